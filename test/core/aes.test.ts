import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  aesDecrypt,
  aesEncrypt,
  decryptCallback,
  decryptVendorAes,
  encryptVendorAes,
  encryptWithHeaders,
  sha256Hex,
} from '../../src/core/aes.ts';

// The vendor's published test vector (reference §8).
const PLAIN = 'TaskID=69f531a01a9df58aa6de2487be610abb';
const KEY = 'airudderredduria';
const CIPHER = 'qbj8cnqKnqR66qDS49ib9ymU1mpMCyp8Dm0gS1VvmnEqTxPGSBzruAU1sapP+cye';
const SIGNED = '6956d7af4c89b89f19f9ae0a8be4bcf12abe7c6ed893691733f3480ad3f3aabc';

describe('vendor AES scheme', () => {
  it('reproduces the published test vector exactly', () => {
    assert.equal(encryptVendorAes(PLAIN, KEY), CIPHER);
    assert.equal(sha256Hex(PLAIN), SIGNED);
    assert.equal(decryptVendorAes(CIPHER, KEY), PLAIN);
    assert.equal(aesEncrypt(PLAIN, KEY), CIPHER);
    assert.equal(aesDecrypt(CIPHER, KEY), PLAIN);
  });

  it('always pads: a 16-byte plaintext gets a whole block of zero bytes', () => {
    const sixteen = 'abcdefghijklmnop';
    assert.equal(Buffer.from(encryptVendorAes(sixteen, KEY), 'base64').length, 32);
    assert.equal(Buffer.from(encryptVendorAes('', KEY), 'base64').length, 16);
    assert.equal(decryptVendorAes(encryptVendorAes(sixteen, KEY), KEY), sixteen);
  });

  it('round-trips UTF-8 JSON', () => {
    const text = JSON.stringify({ name: 'Siti Rahayu', note: '自定义API ✓' });
    assert.equal(decryptVendorAes(encryptVendorAes(text, KEY), KEY), text);
  });

  it('rejects malformed ciphertext and bad key lengths', () => {
    assert.throws(() => decryptVendorAes('not base64!', KEY), /Base64/);
    assert.throws(() => decryptVendorAes('AAAA', KEY), /multiple of 16/);
    assert.throws(() => encryptVendorAes('x', 'short'), /16, 24 or 32 bytes/);
  });

  it('decryptCallback decrypts, checks Signed and parses; plain bodies pass through', () => {
    const json = JSON.stringify({ workflow_id: 'abc', n: 1 });
    const { body, headers } = encryptWithHeaders(json, KEY);
    const lower = { 'is-encrypted': headers['Is-Encrypted'], signed: headers.Signed };
    assert.deepEqual(decryptCallback(body, lower, KEY), {
      payload: { workflow_id: 'abc', n: 1 },
      text: json,
      encrypted: true,
    });
    assert.throws(() => decryptCallback(body, { ...lower, signed: SIGNED }, KEY), /Signed header/);
    assert.deepEqual(decryptCallback(Buffer.from(json), {}, KEY).payload, { workflow_id: 'abc', n: 1 });
  });
});
