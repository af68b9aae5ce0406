/**
 * `airudder-emulator/receiver`: what a team's production service needs to receive AIRUDDER
 * callbacks — the payload types under their generated names, `verifySignature`, `decryptCallback`,
 * `idempotencyKey` and `airudderCallback()`, a middleware for express (or plain `node:http`). It
 * imports only `node:` modules: no express, no ajv, no faker, so it is cheap to load in a real
 * service.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { decryptCallback, IS_ENCRYPTED_HEADER, SIGNED_HEADER, headerValue } from './core/aes.ts';
import { detectMessage } from './contract/detect.ts';
import {
  DEFAULT_SIGNING_KEY,
  DEFAULT_SIGNING_SCHEME,
  isSigningScheme,
  SIGN_HEADER,
  SIGNED_BY_DEFAULT,
  SIGNING_SCHEMES,
  verifySignature,
  type SigningScheme,
} from './core/signing.ts';
import type { CallbackType } from './contract/callbacks.ts';
import type { MessageTypes } from './generated/types.ts';

export type * from './generated/types.ts';
export {
  decryptCallback,
  decryptVendorAes,
  encryptVendorAes,
  sha256Hex,
  IS_ENCRYPTED_HEADER,
  SIGNED_HEADER,
  type DecryptedCallback,
} from './core/aes.ts';
export {
  verifySignature,
  signBody,
  DEFAULT_SIGNING_KEY,
  DEFAULT_SIGNING_SCHEME,
  SIGN_HEADER,
  SIGNED_BY_DEFAULT,
  SIGNING_SCHEMES,
  type SigningScheme,
} from './core/signing.ts';

export { idempotencyKey, IDEMPOTENCY_KEY_RULES, type IdempotencyKeyRule } from './contract/idempotency.ts';

/** Each callback's payload type by its name (the schema file name in schemas/). */
export type CallbackPayloads = Pick<MessageTypes, CallbackType>;
export type CallbackName = keyof CallbackPayloads;

/** What the signature check found. It never decides by itself unless `enforceSignature` is set. */
export interface SignatureCheck {
  /** The header's value as received (undefined: the callback was not signed). */
  header: string | undefined;
  /** true: matches the body under the key and scheme; false: absent or different. */
  valid: boolean;
}

/** A received callback, typed by what it is. `type` is undefined for a body that is no callback. */
export type ReceivedCallback = {
  [K in CallbackName]: ReceivedBase & { type: K; payload: CallbackPayloads[K] };
}[CallbackName];

interface ReceivedBase {
  /** The bytes as received (ciphertext when encrypted); the signature covers these. */
  raw: Buffer;
  /** The JSON text (decrypted when the body was encrypted). */
  text: string;
  encrypted: boolean;
  signature: SignatureCheck;
}

/**
 * Named as a scenario names them, in camelCase: `key` is a template callback's `key`, `signing`
 * and `encryption` are the scenario's `delivery.signing` / `delivery.encryption`.
 */
export interface AirudderCallbackOptions {
  /** The template's KEY (default `airudder`, the vendor's documented default). */
  key?: string;
  /**
   * The callbacks that arrive signed. Default: those whose vendor page has a KEY setting
   * (`call-completion`, `call-completion-info-check`, `chatbot-session-end`); the push,
   * list-completion and status-change pages name no KEY, so those come unsigned unless the
   * template configures a key on them — then list them here. Only used by `enforceSignature`.
   */
  signedTypes?: readonly CallbackName[];
  signing?: {
    /** *Emulator-defined* (the vendor does not publish it). Default hmac-sha256. */
    algorithm?: SigningScheme;
    /** Default `X-AIRudder-Sign`. */
    header?: string;
  };
  /**
   * Reject (401) a callback whose signature is wrong, or missing on one of `signedTypes`. Default
   * false: the check is only recorded, because the vendor's algorithm is not public (the emulator's
   * is its own guess) and a production callback must not be refused on it until the vendor
   * confirms one.
   */
  enforceSignature?: boolean;
  /** The AES key, to decrypt bodies sent with `Is-Encrypted: 1` (the vendor's scheme). */
  encryption?: { key: string };
  /** Largest body read, in bytes (default 10 MiB); a larger one is refused with 413. */
  limit?: number;
}

/** The request after the middleware: `body` is the parsed payload, `airudder` the whole record. */
export type CallbackRequest = IncomingMessage & { body?: unknown; airudder?: ReceivedCallback };

/** An error passed to `next()`, with the HTTP status an error handler should answer. */
export class CallbackError extends Error {
  readonly status: number;
  readonly statusCode: number;
  readonly expose = true;
  constructor(status: number, message: string) {
    super(message);
    this.name = 'CallbackError';
    this.status = status;
    this.statusCode = status;
  }
}

const DEFAULT_LIMIT = 10 * 1024 * 1024;

/**
 * Read, check, decrypt and parse one callback from its raw bytes and headers (what the
 * middleware does, without the request). Throws `CallbackError` (400, 401) on a bad one.
 */
export function receiveCallback(
  raw: Buffer | string,
  headers: Record<string, string | string[] | undefined> | Headers,
  opts: AirudderCallbackOptions = {},
): ReceivedCallback {
  const bytes = typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw;
  const scheme = opts.signing?.algorithm ?? DEFAULT_SIGNING_SCHEME;
  if (!isSigningScheme(scheme)) {
    throw new TypeError(`unknown signing scheme "${String(scheme)}" (known: ${SIGNING_SCHEMES.join(', ')})`);
  }
  const header = opts.signing?.header ?? SIGN_HEADER;
  const got = headerValue(headers, header);
  const valid =
    got !== undefined && verifySignature(bytes, headers, opts.key ?? DEFAULT_SIGNING_KEY, scheme, header);
  if (opts.enforceSignature && got !== undefined && !valid) {
    throw new CallbackError(401, `${header} does not match the body`);
  }
  const encrypted = headerValue(headers, IS_ENCRYPTED_HEADER)?.trim() === '1';
  if (encrypted && opts.encryption === undefined) {
    throw new CallbackError(
      400,
      `the body is encrypted (${IS_ENCRYPTED_HEADER}: 1) and no encryption key was given`,
    );
  }
  let decoded: { payload: unknown; text: string };
  try {
    decoded = decryptCallback(bytes, headers, opts.encryption?.key ?? '');
  } catch (err) {
    const why = err instanceof SyntaxError ? 'the body is not JSON' : (err as Error).message;
    throw new CallbackError(
      400,
      `${why}${encrypted ? ` (${SIGNED_HEADER}/${IS_ENCRYPTED_HEADER} body)` : ''}`,
    );
  }
  const type = detectMessage(decoded.payload)?.name;
  if (type === undefined || !(type in CALLBACK_NAMES)) {
    throw new CallbackError(400, 'the body is not an AIRUDDER callback');
  }
  // A missing header is only wrong on a callback that is signed at all (told by its type).
  const signedTypes: readonly string[] = opts.signedTypes ?? SIGNED_BY_DEFAULT;
  if (opts.enforceSignature && got === undefined && signedTypes.includes(type)) {
    throw new CallbackError(401, `missing ${header} header`);
  }
  return {
    type,
    payload: decoded.payload,
    raw: bytes,
    text: decoded.text,
    encrypted,
    signature: { header: got, valid },
  } as ReceivedCallback;
}

const CALLBACK_NAMES: Record<CallbackName, true> = {
  'custom-api-node-push': true,
  'call-completion-info-check': true,
  'call-completion': true,
  'list-completion': true,
  'workflow-status-change': true,
  'chatbot-session-end': true,
};

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new CallbackError(413, `body larger than ${limit} bytes`));
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** The raw body: read from the stream, or what an earlier `express.raw()` / `express.text()` kept. */
async function rawBody(req: CallbackRequest, limit: number): Promise<Buffer> {
  const body = req.body;
  if (Buffer.isBuffer(body)) return body;
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (body !== undefined && body !== null && req.readableEnded) {
    throw new CallbackError(
      500,
      'the body was already parsed (mount airudderCallback() before express.json()): the signature needs the raw bytes',
    );
  }
  return readBody(req, limit);
}

/**
 * Express-compatible middleware (also a plain `node:http` handler step) for a callback route:
 * reads the raw body, records the signature check (rejects with 401 only when
 * `enforceSignature: true`: a wrong signature, or none on one of `signedTypes`), decrypts an `Is-Encrypted: 1` body with `encryption.key`, parses it, tells
 * which callback it is, and sets `req.body` (the payload) and `req.airudder` (the typed record)
 * before calling `next()`. A bad body goes to `next(err)` with `err.status` 400, 401 or 413.
 */
export function airudderCallback(
  opts: AirudderCallbackOptions = {},
): (req: CallbackRequest, res: ServerResponse, next: (err?: unknown) => void) => void {
  const limit = opts.limit ?? DEFAULT_LIMIT;
  return (req, _res, next) => {
    rawBody(req, limit)
      .then((raw) => {
        const received = receiveCallback(raw, req.headers, opts);
        req.airudder = received;
        req.body = received.payload;
        next();
      })
      .catch((err: unknown) => next(err));
  };
}
