/**
 * The vendor's AES scheme (reference §8, "API接口使用AES加解密对接"; verified against the published
 * test vector): AES-ECB with the key's UTF-8 bytes (16 bytes ⇒ AES-128), no IV, zero-byte padding
 * that *always* pads (a full block of `\0` when the text is already a multiple of 16 — not PKCS#7),
 * standard Base64 output, and `Signed` = lowercase hex SHA-256 of the *plaintext*.
 * Used for callback encryption (src/delivery) and for the REST request scheme (src/http).
 */
import { createCipheriv, createDecipheriv, createHash, timingSafeEqual } from 'node:crypto';

const BLOCK = 16;

/** Header names on an encrypted body (vendor-documented). */
export const IS_ENCRYPTED_HEADER = 'Is-Encrypted';
export const SIGNED_HEADER = 'Signed';

function cipherName(key: Buffer): string {
  // The vendor issues 16-byte keys; longer AES keys are accepted so a user's own key length works.
  if (key.length === 16) return 'aes-128-ecb';
  if (key.length === 24) return 'aes-192-ecb';
  if (key.length === 32) return 'aes-256-ecb';
  throw new Error(`AES key must be 16, 24 or 32 bytes (got ${key.length})`);
}

/** Why `key` cannot be an AES key (`must be 16, 24 or 32 bytes (got 5)`), or undefined. */
export function aesKeyProblem(key: string): string | undefined {
  const n = Buffer.byteLength(key, 'utf8');
  return n === 16 || n === 24 || n === 32 ? undefined : `must be 16, 24 or 32 bytes (got ${n})`;
}

/** Lowercase hex SHA-256 of the UTF-8 text: the vendor's `Signed` value. */
export function sha256Hex(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Encrypt plaintext the vendor's way; returns standard Base64. */
export function encryptVendorAes(plaintext: string | Buffer, key: string): string {
  const k = Buffer.from(key, 'utf8');
  const data = typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext;
  // Always pad: 16 - len % 16 is 16 (a whole block) when len is a multiple of 16.
  const padded = Buffer.concat([data, Buffer.alloc(BLOCK - (data.length % BLOCK))]);
  const cipher = createCipheriv(cipherName(k), k, null);
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(padded), cipher.final()]).toString('base64');
}

/** Decrypt Base64 ciphertext the vendor's way (trailing `\0` bytes stripped); throws on bad input. */
export function decryptVendorAes(base64: string, key: string): string {
  const k = Buffer.from(key, 'utf8');
  const text = base64.trim();
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text)) throw new Error('ciphertext is not Base64');
  const data = Buffer.from(text, 'base64');
  if (data.length === 0 || data.length % BLOCK !== 0) {
    throw new Error(`ciphertext length ${data.length} is not a positive multiple of ${BLOCK}`);
  }
  const decipher = createDecipheriv(cipherName(k), k, null);
  decipher.setAutoPadding(false);
  const plain = Buffer.concat([decipher.update(data), decipher.final()]);
  let end = plain.length;
  while (end > 0 && plain[end - 1] === 0) end--;
  return plain.subarray(0, end).toString('utf8');
}

/** Short names used by the REST adapter (src/http/aes-codec.ts). */
export const aesEncrypt = encryptVendorAes;
export const aesDecrypt = decryptVendorAes;

/** Body and the two vendor headers for an encrypted message. */
export function encryptWithHeaders(
  plaintext: string,
  key: string,
): { body: string; headers: { 'Is-Encrypted': '1'; Signed: string } } {
  return {
    body: encryptVendorAes(plaintext, key),
    headers: { 'Is-Encrypted': '1', Signed: sha256Hex(plaintext) },
  };
}

type HeaderBag = Record<string, string | string[] | undefined> | Headers;

/** Case-insensitive header lookup over node's IncomingHttpHeaders, a plain record or a fetch Headers. */
export function headerValue(headers: HeaderBag, name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const wanted = name.toLowerCase();
  for (const [k, v] of Object.entries(headers as Record<string, string | string[] | undefined>)) {
    if (k.toLowerCase() === wanted) return Array.isArray(v) ? v[0] : v;
  }
  return undefined;
}

export interface DecryptedCallback {
  /** The parsed JSON payload. */
  payload: unknown;
  /** The JSON text (decrypted when the body was encrypted). */
  text: string;
  encrypted: boolean;
}

/**
 * Receiver helper: turn a callback body into its JSON payload. When `Is-Encrypted: 1`, decrypt with
 * `key` and check `Signed` against the SHA-256 of the plaintext (throws on mismatch); otherwise
 * parse the body as JSON.
 */
export function decryptCallback(body: string | Buffer, headers: HeaderBag, key: string): DecryptedCallback {
  const raw = typeof body === 'string' ? body : body.toString('utf8');
  const encrypted = headerValue(headers, IS_ENCRYPTED_HEADER)?.trim() === '1';
  const text = encrypted ? decryptVendorAes(raw, key) : raw;
  if (encrypted) {
    const signed = headerValue(headers, SIGNED_HEADER)?.trim().toLowerCase() ?? '';
    const expected = sha256Hex(text);
    const ok =
      signed.length === expected.length && timingSafeEqual(Buffer.from(signed), Buffer.from(expected));
    if (!ok) throw new Error('Signed header does not match the SHA-256 of the decrypted body');
  }
  return { payload: JSON.parse(text) as unknown, text, encrypted };
}
