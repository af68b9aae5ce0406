/**
 * Callback signing. The call-completion pages document a per-callback KEY "used for parameter
 * signing" (default `airudder`), the chatbot page an `X-AIRudder-Sign` header; no page gives the
 * algorithm (reference §5.0, NOT FOUND) and the push page names no KEY at all. So the scheme is
 * emulator-defined and configurable: HMAC-SHA256 of the raw body by default, the two plain-hash
 * alternatives of reference §5.0, or none. Signatures are lowercase hex over the exact bytes sent
 * on the wire.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { CallbackType } from '../contract/callbacks.ts';
import { headerValue } from './aes.ts';
import { didYouMean } from './suggest.ts';

export const SIGN_HEADER = 'X-AIRudder-Sign';
export const DEFAULT_SIGNING_KEY = 'airudder';

/**
 * The callbacks whose vendor page has a KEY setting: the call-completion pages ("KEY: the key used
 * for parameter signing", default `airudder`) and the chatbot session end page (the one naming
 * `X-AIRudder-Sign`). The push, list-completion and status-change pages name no KEY, so those are
 * sent unsigned unless their template configures a key.
 */
export const SIGNED_BY_DEFAULT: readonly CallbackType[] = [
  'call-completion',
  'call-completion-info-check',
  'chatbot-session-end',
];

/**
 * The KEY that signs a callback of `type`: the template's `key` when it configures one (any type,
 * the push included), else the documented default `airudder` for the types of SIGNED_BY_DEFAULT,
 * else undefined (no signature header).
 */
export function callbackSigningKey(type: CallbackType, key: string | undefined): string | undefined {
  if (key !== undefined) return key;
  return SIGNED_BY_DEFAULT.includes(type) ? DEFAULT_SIGNING_KEY : undefined;
}

/**
 * - `hmac-sha256`: hex(HMAC-SHA256(key, body)) — the default.
 * - `sha256-body-key`: hex(SHA-256(body + key)).
 * - `md5-body-key`: hex(MD5(body + key)).
 * - `none`: no signature header.
 */
export type SigningScheme = 'hmac-sha256' | 'sha256-body-key' | 'md5-body-key' | 'none';
export const SIGNING_SCHEMES: readonly SigningScheme[] = [
  'hmac-sha256',
  'sha256-body-key',
  'md5-body-key',
  'none',
];
export const DEFAULT_SIGNING_SCHEME: SigningScheme = 'hmac-sha256';

/** A scenario's `delivery.signing`, resolved: `enabled: false` is the algorithm `none`. */
export interface SigningConfig {
  algorithm: SigningScheme;
  /** Header carrying the signature (default `X-AIRudder-Sign`). */
  header?: string;
}

export function isSigningScheme(value: unknown): value is SigningScheme {
  return typeof value === 'string' && (SIGNING_SCHEMES as readonly string[]).includes(value);
}

/** Why `value` is not a signing algorithm (`must be one of …`), or undefined when it is one. */
export function signingAlgorithmProblem(value: unknown): string | undefined {
  if (isSigningScheme(value)) return undefined;
  const hint =
    typeof value === 'string' ? didYouMean(value, SIGNING_SCHEMES).replace(/^ \((.*)\)$/, '; $1') : '';
  return `must be one of ${SIGNING_SCHEMES.join(', ')} (got ${JSON.stringify(value)}${hint})`;
}

/** An HTTP header name (RFC 9110 token). */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** Headers a delivery sets itself: a signature header of one of these names would clobber it. */
const OWN_HEADERS = [
  'Content-Type',
  'Content-Length',
  'User-Agent',
  'Host',
  'Connection',
  'Transfer-Encoding',
  'Is-Encrypted',
  'Signed',
  'X-Emulator-Delivery-Id',
  'X-Emulator-Attempt',
];

/** Why `name` cannot carry the signature, or undefined when it can. */
export function signatureHeaderProblem(name: string): string | undefined {
  if (!TOKEN.test(name)) return `must be an HTTP header name (got ${JSON.stringify(name)})`;
  const own = OWN_HEADERS.find((h) => h.toLowerCase() === name.toLowerCase());
  if (own !== undefined) return `must not be ${own}: every delivery sets that header itself`;
  return undefined;
}

/** The signature of `body` under `scheme`, or null for `none`. */
export function signBody(
  body: string | Buffer,
  key: string,
  scheme: SigningScheme = DEFAULT_SIGNING_SCHEME,
): string | null {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  switch (scheme) {
    case 'hmac-sha256':
      return createHmac('sha256', key).update(bytes).digest('hex');
    case 'sha256-body-key':
      return createHash('sha256').update(bytes).update(key, 'utf8').digest('hex');
    case 'md5-body-key':
      return createHash('md5').update(bytes).update(key, 'utf8').digest('hex');
    case 'none':
      return null;
    default:
      throw new Error(`unknown signing scheme "${String(scheme)}" (known: ${SIGNING_SCHEMES.join(', ')})`);
  }
}

/** The signing header(s) for `body` (empty for `none`). */
export function signingHeaders(
  body: string | Buffer,
  key: string,
  config: SigningConfig,
): Record<string, string> {
  const sig = signBody(body, key, config.algorithm);
  return sig === null ? {} : { [config.header ?? SIGN_HEADER]: sig };
}

/**
 * Receiver helper: does the signature header match `body` (the raw bytes received) under `key`?
 * `none` accepts anything. Comparison is constant-time.
 */
export function verifySignature(
  body: string | Buffer,
  headers: Record<string, string | string[] | undefined> | Headers,
  key: string = DEFAULT_SIGNING_KEY,
  scheme: SigningScheme = DEFAULT_SIGNING_SCHEME,
  header: string = SIGN_HEADER,
): boolean {
  const expected = signBody(body, key, scheme);
  if (expected === null) return true;
  const got = headerValue(headers, header)?.trim().toLowerCase();
  if (!got || got.length !== expected.length) return false;
  return timingSafeEqual(Buffer.from(got), Buffer.from(expected));
}
