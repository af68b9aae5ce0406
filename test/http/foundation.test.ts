/**
 * The vendor API's plumbing, independent of workflows: auth and token rules under a hand-driven
 * clock, the error envelope for every kind of bad input, 404/405, body limits and nesting, and
 * the AES request scheme.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import request from 'supertest';
import { schemas } from '../../src/contract/registry.ts';
import { encryptVendorAes, decryptVendorAes, sha256Hex } from '../../src/core/aes.ts';
import { createAesCodec } from '../../src/http/aes-codec.ts';
import { createApp } from '../../src/http/app.ts';
import {
  createAuthService,
  DEFAULT_APP_KEY,
  DEFAULT_APP_SECRET,
  TOKEN_LIFETIME_MS,
} from '../../src/http/auth.ts';
import { RAW, route } from '../../src/http/route-table.ts';
import { authRoutes } from '../../src/http/vendor/auth-routes.ts';
import { MemoryStore } from '../../src/store/memory-store.ts';
import { manualClock } from './manual-clock.ts';

const AES_KEY = 'airudderredduria';

function build(opts: { bodyLimitBytes?: number; aes?: boolean; rotate?: boolean } = {}) {
  const clock = manualClock();
  const store = new MemoryStore();
  let n = 0;
  const auth = createAuthService({
    accounts: [{ appKey: DEFAULT_APP_KEY, appSecret: DEFAULT_APP_SECRET }],
    clock,
    tokens: store,
    rotateOnReauth: opts.rotate,
    newToken: () => `tok+/${++n}`,
  });
  const echo = route({
    method: 'POST',
    path: '/service/cloud/workflow/echo',
    summary: 'test echo',
    fidelity: 'emulator-defined',
    handle: ({ input }) => input,
  });
  const echoGet = route({
    method: 'GET',
    path: '/service/cloud/workflow/echo-get',
    summary: 'test echo',
    fidelity: 'emulator-defined',
    handle: ({ input }) => input,
  });
  const boom = route({
    method: 'GET',
    path: '/service/cloud/workflow/boom',
    summary: 'emulator bug',
    fidelity: 'emulator-defined',
    handle: () => {
      throw new Error('kaboom');
    },
  });
  const raw = route({
    method: 'GET',
    path: '/service/cloud/workflow/raw',
    summary: 'raw',
    fidelity: 'emulator-defined',
    auth: false,
    handle: ({ res }) => {
      res.type('text/plain').send('raw');
      return RAW;
    },
  });
  const errors: unknown[] = [];
  const app = createApp({
    registry: schemas(),
    auth,
    routes: [...authRoutes(auth), echo, echoGet, boom, raw],
    bodyLimitBytes: opts.bodyLimitBytes,
    aes: opts.aes ? createAesCodec(AES_KEY) : undefined,
    logger: { error: (_m, e) => errors.push(e) },
  });
  return { app, clock, errors };
}

async function login(app: ReturnType<typeof build>['app']): Promise<string> {
  const res = await request(app)
    .post('/service/cloud/auth')
    .send({ APPKey: DEFAULT_APP_KEY, APPSecret: DEFAULT_APP_SECRET });
  assert.equal(res.status, 200);
  return res.body.data.token as string;
}

describe('auth', () => {
  it('issues a token in the vendor envelope', async () => {
    const { app } = build();
    const res = await request(app)
      .post('/service/cloud/auth')
      .set('User-Agent', 'Airudder')
      .send({ APPKey: DEFAULT_APP_KEY, APPSecret: DEFAULT_APP_SECRET });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { code: 200, status: 'OK', data: { token: 'tok+/1' } });
    assert.equal(schemas().validate('auth-response', res.body).ok, true);
  });

  it('rejects a bad APPKey with 10301 and a bad APPSecret with 10302', async () => {
    const { app } = build();
    const key = await request(app)
      .post('/service/cloud/auth')
      .send({ APPKey: 'nope', APPSecret: DEFAULT_APP_SECRET });
    assert.equal(key.status, 403);
    assert.equal(key.body.code, 10301);
    assert.equal(key.body.data, null);
    const secret = await request(app)
      .post('/service/cloud/auth')
      .send({ APPKey: DEFAULT_APP_KEY, APPSecret: 'nope' });
    assert.equal(secret.status, 403);
    assert.equal(secret.body.code, 10302);
  });

  it('names each missing field', async () => {
    const { app } = build();
    const res = await request(app).post('/service/cloud/auth').send({});
    assert.equal(res.status, 400);
    assert.match(res.body.message, /APPKey is required/);
    assert.match(res.body.message, /APPSecret is required/);
    assert.deepEqual(
      res.body.errors.map((e: { path: string }) => e.path),
      ['$.APPKey', '$.APPSecret'],
    );
    assert.equal(schemas().validate('envelope-error', res.body).ok, true);
  });

  it('accepts Token and Bearer, rejects missing, unparsable and unknown tokens', async () => {
    const { app } = build();
    const token = await login(app);
    const ok1 = await request(app)
      .post('/service/cloud/workflow/echo')
      .set('Authorization', `Token ${token}`)
      .send({ a: 1 });
    assert.deepEqual(ok1.body, { code: 200, status: 'OK', data: { a: 1 } });
    const ok2 = await request(app)
      .post('/service/cloud/workflow/echo')
      .set('Authorization', `Bearer ${token}`)
      .send({ a: 2 });
    assert.equal(ok2.body.data.a, 2);
    const none = await request(app).post('/service/cloud/workflow/echo').send({});
    assert.equal(none.status, 401);
    assert.equal(none.body.code, 10810);
    const garbled = await request(app)
      .post('/service/cloud/workflow/echo')
      .set('Authorization', token)
      .send({});
    assert.equal(garbled.body.code, 10811);
    const unknown = await request(app)
      .post('/service/cloud/workflow/echo')
      .set('Authorization', 'Token nope')
      .send({});
    assert.equal(unknown.body.code, 10812);
  });

  it('expires a token after 24 h of clock time; re-auth while valid extends the same token', async () => {
    const { app, clock } = build();
    const token = await login(app);
    clock.add(TOKEN_LIFETIME_MS - 60_000);
    assert.equal(await login(app), token, 're-auth while valid returns the same token');
    clock.add(TOKEN_LIFETIME_MS - 60_000);
    const stillOk = await request(app)
      .get('/service/cloud/workflow/echo-get')
      .set('Authorization', `Token ${token}`);
    assert.equal(stillOk.status, 200, 'the extension moved the expiry out');
    clock.add(60_000);
    const expired = await request(app)
      .get('/service/cloud/workflow/echo-get')
      .set('Authorization', `Token ${token}`);
    assert.equal(expired.status, 401);
    assert.equal(expired.body.code, 10813);
    const fresh = await login(app);
    assert.notEqual(fresh, token, 'an expired token is replaced');
  });

  it('rotates on re-auth when configured', async () => {
    const { app } = build({ rotate: true });
    const a = await login(app);
    const b = await login(app);
    assert.notEqual(a, b);
  });
});

describe('bad input', () => {
  it('malformed JSON is 400 with the vendor code -1', async () => {
    const { app } = build();
    const res = await request(app)
      .post('/service/cloud/auth')
      .set('Content-Type', 'application/json')
      .send('{"APPKey": ');
    assert.equal(res.status, 400);
    assert.equal(res.body.code, -1);
    assert.match(res.body.message, /not valid JSON/);
  });

  it('a wrong content type is 415', async () => {
    const { app } = build();
    const res = await request(app)
      .post('/service/cloud/auth')
      .set('Content-Type', 'text/plain')
      .send('APPKey=x');
    assert.equal(res.status, 415);
    assert.equal(res.body.code, 415);
    assert.match(res.body.message, /text\/plain/);
  });

  it('an oversized body is 413 in the envelope', async () => {
    const { app } = build({ bodyLimitBytes: 1024 });
    const res = await request(app)
      .post('/service/cloud/auth')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ APPKey: 'x'.repeat(5000), APPSecret: 'y' }));
    assert.equal(res.status, 413);
    assert.equal(res.body.code, 413);
    assert.match(res.body.message, /limit is 1024 bytes/);
  });

  it('absurd nesting is refused without a crash', async () => {
    const { app } = build();
    const deep = '['.repeat(50_000) + ']'.repeat(50_000);
    const res = await request(app)
      .post('/service/cloud/auth')
      .set('Content-Type', 'application/json')
      .send(deep);
    assert.equal(res.status, 400);
    assert.ok(res.body.code === -1 || /nested deeper/.test(res.body.message), res.body.message);
    const forty = JSON.stringify({
      APPKey: 'a',
      APPSecret: 'b',
      x: JSON.parse('['.repeat(40) + ']'.repeat(40)),
    });
    const res2 = await request(app)
      .post('/service/cloud/auth')
      .set('Content-Type', 'application/json')
      .send(forty);
    assert.equal(res2.status, 400);
    assert.match(res2.body.message, /nested deeper than 32/);
  });

  it('a JSON body that is not an object names the problem', async () => {
    const { app } = build();
    const res = await request(app)
      .post('/service/cloud/auth')
      .set('Content-Type', 'application/json')
      .send('[1,2]');
    assert.equal(res.status, 400);
    assert.match(res.body.message, /must be of type object/);
  });

  it('unknown paths answer a vendor-style 404; known paths with another method 405', async () => {
    const { app } = build();
    const res = await request(app).get('/service/cloud/nothing-here');
    assert.equal(res.status, 404);
    assert.deepEqual(Object.keys(res.body).sort(), ['code', 'data', 'message', 'status']);
    assert.equal(res.body.code, 404);
    assert.match(res.body.message, /GET \/service\/cloud\/nothing-here/);
    const wrong = await request(app).get('/service/cloud/auth');
    assert.equal(wrong.status, 405);
    assert.match(wrong.body.message, /use POST/);
  });

  it('a malformed percent-encoding in the path is a 4xx, not a crash', async () => {
    const { app } = build();
    const res = await request(app).get('/service/cloud/%E0%A4%A');
    assert.ok(res.status >= 400 && res.status < 500, String(res.status));
    assert.equal(typeof res.body.code, 'number');
  });

  it('an emulator bug is 500 / 10201 and logged, never blamed on the client', async () => {
    const { app, errors } = build();
    const token = await login(app);
    const res = await request(app).get('/service/cloud/workflow/boom').set('Authorization', `Token ${token}`);
    assert.equal(res.status, 500);
    assert.equal(res.body.code, 10201);
    assert.equal(errors.length, 1);
  });

  it('a handler may answer on its own', async () => {
    const { app } = build();
    const res = await request(app).get('/service/cloud/workflow/raw');
    assert.equal(res.text, 'raw');
  });
});

describe('AES request scheme', () => {
  it('decrypts an encrypted POST and answers in kind', async () => {
    const { app } = build({ aes: true });
    const plaintext = JSON.stringify({ APPKey: DEFAULT_APP_KEY, APPSecret: DEFAULT_APP_SECRET });
    const res = await request(app)
      .post('/service/cloud/auth')
      .set('Is-Encrypted', '1')
      .set('Signed', sha256Hex(plaintext))
      .set('Content-Type', 'application/json')
      .send(encryptVendorAes(plaintext, AES_KEY));
    assert.equal(res.status, 200);
    assert.equal(res.headers['is-encrypted'], '1');
    const answer = decryptVendorAes(res.text, AES_KEY);
    assert.equal(res.headers.signed, sha256Hex(answer));
    assert.equal(JSON.parse(answer).data.token, 'tok+/1');
  });

  it('decrypts an encrypted GET query string (unencoded Base64 after "?")', async () => {
    const { app } = build({ aes: true });
    const token = await login(app);
    const query = 'workflow_id=abc&x=1';
    const res = await request(app)
      .get(`/service/cloud/workflow/echo-get?${encryptVendorAes(query, AES_KEY)}`)
      .set('Authorization', `Token ${token}`)
      .set('Is-Encrypted', '1')
      .set('Signed', sha256Hex(query));
    assert.equal(res.status, 200);
    assert.deepEqual(JSON.parse(decryptVendorAes(res.text, AES_KEY)).data, { workflow_id: 'abc', x: '1' });
  });

  it('a bad signature or garbage ciphertext is a 400, encrypted in kind', async () => {
    const { app } = build({ aes: true });
    const plaintext = JSON.stringify({ APPKey: DEFAULT_APP_KEY, APPSecret: DEFAULT_APP_SECRET });
    const bad = await request(app)
      .post('/service/cloud/auth')
      .set('Is-Encrypted', '1')
      .set('Signed', 'deadbeef')
      .send(encryptVendorAes(plaintext, AES_KEY));
    assert.equal(bad.status, 400);
    assert.match(JSON.parse(decryptVendorAes(bad.text, AES_KEY)).message, /Signed header/);
    const garbage = await request(app)
      .post('/service/cloud/auth')
      .set('Is-Encrypted', '1')
      .send('not base64 !!');
    assert.equal(garbage.status, 400);
  });

  it('refuses encryption when AES is not enabled', async () => {
    const { app } = build();
    const res = await request(app).post('/service/cloud/auth').set('Is-Encrypted', '1').send('abcd');
    assert.equal(res.status, 400);
    assert.match(res.body.message, /AES is not enabled/);
  });
});
