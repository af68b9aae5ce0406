/**
 * The vendor's AES request scheme as the API sees it (reference §8): the request body (or GET
 * query string) is Base64 AES-128-ECB with zero padding, `Signed` is the SHA-256 hex of the
 * plaintext, and the answer is encrypted the same way with the same two headers. The crypto
 * itself lives in src/core/aes.ts (shared with callback encryption); this adapter only binds it
 * to an account key and turns failures into the API's error.
 */
import { aesDecrypt, aesEncrypt, sha256Hex } from '../core/aes.ts';
import type { ResponseEncoder } from './envelope.ts';
import { VendorError } from '../core/vendor-errors.ts';

export interface AesCodec {
  /** Decrypt an encrypted request; checks `Signed` when the client sent one. */
  decryptRequest(ciphertext: string, signed: string | undefined): string;
  encodeResponse: ResponseEncoder;
}

export function createAesCodec(key: string): AesCodec {
  return {
    decryptRequest(ciphertext, signed) {
      if (ciphertext === '') return '';
      let plaintext: string;
      try {
        plaintext = aesDecrypt(ciphertext, key);
      } catch (err) {
        throw new VendorError(
          'badSignature',
          `encrypted request could not be decrypted: ${(err as Error).message}`,
        );
      }
      if (signed !== undefined && signed.trim().toLowerCase() !== sha256Hex(plaintext)) {
        throw new VendorError(
          'badSignature',
          'Signed header does not match the SHA-256 of the decrypted request',
        );
      }
      return plaintext;
    },
    encodeResponse(plaintext) {
      return {
        body: aesEncrypt(plaintext, key),
        headers: { 'Is-Encrypted': '1', Signed: sha256Hex(plaintext) },
      };
    },
  };
}
