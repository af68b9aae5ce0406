import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { SIGN_HEADER, signBody, signingHeaders, verifySignature } from '../../src/core/signing.ts';

const BODY = '{"workflow_id":"abc","call":{"call_id":"x"}}';

describe('callback signing (emulator-defined)', () => {
  it('defaults to hex HMAC-SHA256 of the raw body with the KEY', () => {
    assert.equal(signBody(BODY, 'airudder'), createHmac('sha256', 'airudder').update(BODY).digest('hex'));
  });

  it('offers sha256(body+key), md5(body+key) and none', () => {
    assert.equal(
      signBody(BODY, 'k', 'sha256-body-key'),
      createHash('sha256')
        .update(BODY + 'k')
        .digest('hex'),
    );
    assert.equal(
      signBody(BODY, 'k', 'md5-body-key'),
      createHash('md5')
        .update(BODY + 'k')
        .digest('hex'),
    );
    assert.equal(signBody(BODY, 'k', 'none'), null);
    assert.deepEqual(signingHeaders(BODY, 'k', { algorithm: 'none' }), {});
    assert.throws(() => signBody(BODY, 'k', 'rot13' as never), /unknown signing scheme/);
  });

  it('verifySignature accepts the right signature in any header case and rejects tampering', () => {
    for (const scheme of ['hmac-sha256', 'sha256-body-key', 'md5-body-key'] as const) {
      const headers = signingHeaders(BODY, 'secret', { algorithm: scheme });
      assert.ok(verifySignature(BODY, headers, 'secret', scheme));
      const lower = { [SIGN_HEADER.toLowerCase()]: headers[SIGN_HEADER] };
      assert.ok(verifySignature(Buffer.from(BODY), lower, 'secret', scheme));
      assert.equal(verifySignature(BODY + ' ', headers, 'secret', scheme), false);
      assert.equal(verifySignature(BODY, headers, 'other', scheme), false);
    }
    assert.equal(verifySignature(BODY, {}, 'airudder'), false);
    assert.ok(verifySignature(BODY, {}, 'airudder', 'none'));
  });
});
