/**
 * Building a delivery's request, once per delivery: the payload checked against its schema,
 * serialized once, optionally encrypted (the vendor AES scheme), signed over the exact bytes every
 * attempt sends, and the headers common to every attempt. Also the debug headers' names and the
 * slab the bodies are cut from.
 */
import { encryptWithHeaders } from '../core/aes.ts';
import {
  callbackSigningKey,
  isSigningScheme,
  SIGN_HEADER,
  signBody,
  type SigningConfig,
  type SigningScheme,
} from '../core/signing.ts';
import type { CallbackPayload, CallbackType } from '../contract/callbacks.ts';
import type { RetryPolicy } from '../core/retry-policy.ts';
import type { ChaosConfig } from './chaos.ts';
import type { SentOnDemand } from './types.ts';

export const DELIVERY_ID_HEADER = 'X-Emulator-Delivery-Id';
export const ATTEMPT_HEADER = 'X-Emulator-Attempt';
const SLAB_BYTES = 256 * 1024;

/** The vendor's AES scheme applied to callback bodies (reference §8). */
export interface EncryptionConfig {
  key: string;
}

/** One message to deliver. An engine `OutboundMessage` is one. */
export interface DeliveryInput {
  /** Unique within the service (default: `d<sequence>`). */
  id?: string;
  type: CallbackType;
  url: string;
  /**
   * The template's signing KEY. Absent: the vendor default `airudder` for the callbacks whose page
   * has a KEY (call completion, chatbot session end), no signature for the others
   * (`callbackSigningKey`).
   */
  key?: string;
  payload: CallbackPayload;
  /** Clock instant of the first attempt (default: now). */
  at?: number;
  workflowId?: string;
  /** Per-template overrides. */
  policy?: Partial<RetryPolicy>;
  signing?: SigningScheme | SigningConfig;
  encryption?: EncryptionConfig | null;
  /**
   * Chaos for this delivery instead of the service's (drawn with the service's seed). Pass the
   * same object for every delivery of a template: the plan maker is cached per object.
   */
  chaos?: ChaosConfig;
  /** A callback sent on demand: recorded on the delivery. */
  onDemand?: SentOnDemand;
  /** Skip the schema check (a deliberately invalid callback sent on demand, for negative tests). */
  unchecked?: boolean;
}

/** A payload failed its schema: the emulator built something the vendor would not send. */
export class DeliveryValidationError extends Error {
  readonly issues: { path: string; message: string }[];
  constructor(type: string, id: string, issues: { path: string; message: string }[]) {
    super(
      `emulator bug: ${type} payload for delivery ${id} does not match its schema: ` +
        issues.map((i) => `${i.path} ${i.message}`).join('; '),
    );
    this.name = 'DeliveryValidationError';
    this.issues = issues;
  }
}

export function signingConfig(
  s: SigningScheme | SigningConfig | undefined,
  fallback: SigningConfig,
): SigningConfig {
  if (s === undefined) return fallback;
  const cfg = typeof s === 'string' ? { algorithm: s } : s;
  if (!isSigningScheme(cfg.algorithm))
    throw new Error(`unknown signing algorithm "${String(cfg.algorithm)}"`);
  return cfg;
}

/**
 * Text → UTF-8 bytes, carved out of shared slabs: Buffer.from on a 3 KB body allocates a fresh
 * 8 KB pool every other call, which showed in profiles. A slab lives while any body cut from it
 * does.
 */
export function createBodyBytes(): (text: string) => Buffer {
  let slab = Buffer.allocUnsafeSlow(0);
  let slabUsed = 0;
  return (text) => {
    const room = text.length * 3; // the most UTF-8 bytes `text` can take
    if (room > SLAB_BYTES / 4) return Buffer.from(text, 'utf8');
    if (slab.length - slabUsed < room) {
      slab = Buffer.allocUnsafeSlow(SLAB_BYTES);
      slabUsed = 0;
    }
    const n = slab.write(text, slabUsed, 'utf8');
    const out = slab.subarray(slabUsed, slabUsed + n);
    slabUsed += n;
    return out;
  };
}

/** What every attempt of a delivery sends. */
export interface BuiltRequest {
  /** The body as text (Base64 ciphertext when encrypted). */
  wire: string;
  /** The same, as the bytes sent. */
  body: Buffer;
  /** Headers common to every attempt (the debug headers are added per attempt). */
  headers: Record<string, string>;
  encrypted: boolean;
  /** The scheme of the signature header sent: `none` when there is none. */
  signing: SigningScheme;
}

/**
 * Serialize once, encrypt, sign over exactly those bytes, and set the common headers. `sign` is
 * the callback's type and its template's KEY: whether it is signed, and with which key, is
 * `callbackSigningKey`'s rule.
 */
export function buildRequest(
  payload: CallbackPayload,
  sign: { type: CallbackType; key?: string | undefined },
  signing: SigningConfig,
  encryption: EncryptionConfig | null | undefined,
  bytesOf: (text: string) => Buffer,
): BuiltRequest {
  const json = JSON.stringify(payload);
  const enc = encryption ? encryptWithHeaders(json, encryption.key) : null;
  const wire = enc ? enc.body : json;
  const body = bytesOf(wire);
  const headers: Record<string, string> = { 'Content-Type': 'application/json', 'User-Agent': 'Airudder' };
  if (enc) Object.assign(headers, enc.headers);
  const key = callbackSigningKey(sign.type, sign.key);
  const sig = key === undefined ? null : signBody(body, key, signing.algorithm);
  if (sig !== null) headers[signing.header ?? SIGN_HEADER] = sig;
  headers['Content-Length'] = String(body.length);
  return { wire, body, headers, encrypted: enc !== null, signing: sig === null ? 'none' : signing.algorithm };
}
