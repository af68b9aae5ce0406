/**
 * One verify request: a variant's body bytes and headers, built the way src/delivery builds a
 * delivery's. Shared by the pack (run-verify.ts) and the negative cases (negative.ts).
 */
import { encryptWithHeaders } from '../core/aes.ts';
import {
  callbackSigningKey,
  DEFAULT_SIGNING_SCHEME,
  signingHeaders,
  type SigningScheme,
} from '../core/signing.ts';
import type { CallbackType } from '../contract/callbacks.ts';
import { variantBody, type Variant } from './variants.ts';

/** Names the variant on every request, so the receiver's logs can be matched to the report. */
export const VARIANT_HEADER = 'X-Emulator-Variant';

/** How requests are signed and encrypted, in the words of RunVerifyOptions. */
export interface RequestOptions {
  key?: string;
  signing?: { algorithm?: SigningScheme; header?: string };
  encryption?: { key: string };
  debugHeaders?: boolean;
}

/** Body bytes and headers for one variant, built the way src/delivery builds a delivery's. */
export function requestFor(
  v: Variant,
  opts: RequestOptions,
): { body: Buffer; headers: Record<string, string> } {
  const json = variantBody(v);
  const enc = opts.encryption !== undefined ? encryptWithHeaders(json, opts.encryption.key) : null;
  const body = Buffer.from(enc ? enc.body : json, 'utf8');
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    'User-Agent': 'Airudder',
    ...(enc ? enc.headers : {}),
    // The signature covers the exact bytes on the wire (the ciphertext when encrypted).
    ...signatureHeaders(v.type, body, opts),
    ...(opts.debugHeaders === false ? {} : { [VARIANT_HEADER]: v.name }),
    'Content-Length': String(body.length),
  };
  return { body, headers };
}

/** The variant's signature header, when a delivery of its type would carry one. */
function signatureHeaders(
  type: CallbackType,
  body: Buffer,
  opts: Pick<RequestOptions, 'key' | 'signing'>,
): Record<string, string> {
  const key = callbackSigningKey(type, opts.key);
  if (key === undefined) return {};
  return signingHeaders(body, key, {
    algorithm: opts.signing?.algorithm ?? DEFAULT_SIGNING_SCHEME,
    ...(opts.signing?.header !== undefined ? { header: opts.signing.header } : {}),
  });
}
