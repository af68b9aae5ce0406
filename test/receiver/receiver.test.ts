/**
 * The receiver entry (`airudder-emulator/receiver`): the middleware on a real node:http server,
 * fed the vendor's own example payloads signed and encrypted the way the emulator sends them.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { encryptWithHeaders } from '../../src/core/aes.ts';
import {
  airudderCallback,
  receiveCallback,
  signBody,
  type AirudderCallbackOptions,
  type CallbackRequest,
} from '../../src/receiver.ts';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures');
const push = readFileSync(join(FIXTURES, 'seed-custom-api-node-push.json'), 'utf8');
const infoCheck = readFileSync(join(FIXTURES, 'seed-call-completion-info-check.json'), 'utf8');
const AES_KEY = 'airudderredduria';

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

/** A server whose route runs the middleware with `opts` and answers what it saw (or the error). */
function serve(opts: AirudderCallbackOptions, preset?: (req: CallbackRequest) => void) {
  const mw = airudderCallback(opts);
  return http.createServer((req: IncomingMessage, res: ServerResponse) => {
    const r = req as CallbackRequest;
    preset?.(r);
    mw(r, res, (err?: unknown) => {
      res.setHeader('content-type', 'application/json');
      if (err) {
        const e = err as { status?: number; message: string };
        res.statusCode = e.status ?? 500;
        res.end(JSON.stringify({ error: e.message }));
        return;
      }
      const cb = r.airudder!;
      res.end(
        JSON.stringify({
          type: cb.type,
          encrypted: cb.encrypted,
          signature: cb.signature,
          sameBody: r.body === cb.payload,
          workflow: (cb.payload as { workflow_id: string }).workflow_id,
          rawBytes: cb.raw.length,
        }),
      );
    });
  });
}

async function post(
  server: http.Server,
  body: string | Buffer,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const { port } = server.address() as AddressInfo;
  const res = await fetch(`http://127.0.0.1:${port}/cb`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const servers: http.Server[] = [];
async function start(
  opts: AirudderCallbackOptions,
  preset?: (req: CallbackRequest) => void,
): Promise<http.Server> {
  const s = serve(opts, preset);
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return s;
}
after(() => Promise.all(servers.map((s) => new Promise((r) => s.close(r)))));

describe('airudderCallback()', () => {
  let lenient: http.Server;
  let strict: http.Server;
  before(async () => {
    lenient = await start({ encryption: { key: AES_KEY } });
    strict = await start({
      enforceSignature: true,
      key: 'k2',
      signing: { algorithm: 'md5-body-key', header: 'X-Sig' },
    });
  });

  it('types a callback by what it is, records a valid signature, sets req.body', async () => {
    const a = await post(lenient, infoCheck, { 'X-AIRudder-Sign': signBody(infoCheck, 'airudder')! });
    assert.equal(a.status, 200);
    assert.deepEqual(a.body, {
      type: 'call-completion-info-check',
      encrypted: false,
      signature: { header: signBody(infoCheck, 'airudder'), valid: true },
      sameBody: true,
      workflow: JSON.parse(infoCheck).workflow_id,
      rawBytes: Buffer.byteLength(infoCheck),
    });
  });

  it('records a missing or wrong signature without rejecting (the default)', async () => {
    const none = await post(lenient, push);
    assert.equal(none.status, 200);
    assert.equal(none.body.type, 'custom-api-node-push');
    assert.deepEqual(none.body.signature, { valid: false });
    const wrong = await post(lenient, push, { 'X-AIRudder-Sign': 'deadbeef' });
    assert.deepEqual(wrong.body.signature, { header: 'deadbeef', valid: false });
  });

  it('enforceSignature: 401 when missing or wrong; the configured key, algorithm and header when right', async () => {
    assert.deepEqual(await post(strict, infoCheck), {
      status: 401,
      body: { error: 'missing X-Sig header' },
    });
    const wrong = await post(strict, push, { 'X-Sig': signBody(push, 'airudder', 'md5-body-key')! });
    assert.deepEqual(wrong, { status: 401, body: { error: 'X-Sig does not match the body' } });
    const right = await post(strict, push, { 'X-Sig': signBody(push, 'k2', 'md5-body-key')! });
    assert.equal(right.status, 200);
    assert.equal(right.body.type, 'custom-api-node-push');
  });

  it('enforceSignature accepts an unsigned push (its page names no KEY) unless signedTypes lists it', async () => {
    const accepted = await post(strict, push);
    assert.equal(accepted.status, 200);
    assert.equal(accepted.body.type, 'custom-api-node-push');
    assert.deepEqual(accepted.body.signature, { valid: false });
    const keyedPush = await start({
      enforceSignature: true,
      key: 'push-key',
      signedTypes: ['custom-api-node-push', 'call-completion-info-check'],
    });
    assert.deepEqual(await post(keyedPush, push), {
      status: 401,
      body: { error: 'missing X-AIRudder-Sign header' },
    });
    const signed = await post(keyedPush, push, { 'X-AIRudder-Sign': signBody(push, 'push-key')! });
    assert.equal(signed.status, 200);
  });

  it('decrypts an Is-Encrypted body; the signature covers the ciphertext as sent', async () => {
    const enc = encryptWithHeaders(infoCheck, AES_KEY);
    const a = await post(lenient, enc.body, {
      ...enc.headers,
      'X-AIRudder-Sign': signBody(enc.body, 'airudder')!,
    });
    assert.equal(a.status, 200);
    assert.equal(a.body.type, 'call-completion-info-check');
    assert.equal(a.body.encrypted, true);
    assert.equal((a.body.signature as { valid: boolean }).valid, true);
    assert.equal(a.body.rawBytes, Buffer.byteLength(enc.body));
  });

  it('400 for bodies that are not a callback, with a message; next(err) carries status', async () => {
    const enc = encryptWithHeaders(push, AES_KEY);
    const noKey = await start({});
    const cases: [http.Server, string, Record<string, string>, string][] = [
      [lenient, '{not json', {}, 'the body is not JSON'],
      [lenient, '{"hello":"world"}', {}, 'the body is not an AIRUDDER callback'],
      [lenient, '[]', {}, 'the body is not an AIRUDDER callback'],
      [
        noKey,
        enc.body,
        enc.headers,
        'the body is encrypted (Is-Encrypted: 1) and no encryption key was given',
      ],
      [
        lenient,
        enc.body,
        { ...enc.headers, Signed: 'bad' },
        'Signed header does not match the SHA-256 of the decrypted body (Signed/Is-Encrypted body)',
      ],
      [
        lenient,
        'AAAA',
        { 'Is-Encrypted': '1' },
        'ciphertext length 3 is not a positive multiple of 16 (Signed/Is-Encrypted body)',
      ],
    ];
    for (const [server, body, headers, error] of cases) {
      assert.deepEqual(
        await post(server, body, headers),
        { status: 400, body: { error } },
        body.slice(0, 20),
      );
    }
  });

  it('413 past the limit', async () => {
    const small = await start({ limit: 100 });
    assert.deepEqual(await post(small, push), { status: 413, body: { error: 'body larger than 100 bytes' } });
  });

  it('works behind express.raw()/text() (a Buffer or string body), and refuses an already-parsed one', async () => {
    const raw = await start({}, (req) => {
      req.body = Buffer.from(push);
      req.resume();
    });
    const a = await post(raw, 'ignored: the Buffer body is used');
    assert.equal(a.status, 200);
    assert.equal(a.body.type, 'custom-api-node-push');
    // As after express.json(): the stream is consumed and req.body is an object.
    const mw = airudderCallback({});
    const parsed = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        (req as CallbackRequest).body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
        mw(req, res, (err?: unknown) => {
          res.statusCode = (err as { status?: number } | undefined)?.status ?? 200;
          res.end(JSON.stringify({ error: (err as Error | undefined)?.message }));
        });
      });
    });
    servers.push(parsed);
    await new Promise<void>((r) => parsed.listen(0, '127.0.0.1', r));
    assert.deepEqual(await post(parsed, push), {
      status: 500,
      body: {
        error:
          'the body was already parsed (mount airudderCallback() before express.json()): the signature needs the raw bytes',
      },
    });
  });
});

describe('receiveCallback()', () => {
  it('works on bytes and headers alone (a plain object or fetch Headers)', () => {
    const sig = signBody(push, 'airudder')!;
    const a = receiveCallback(push, { 'x-airudder-sign': sig });
    assert.equal(a.type, 'custom-api-node-push');
    if (a.type === 'custom-api-node-push') assert.equal(a.payload.node_id, JSON.parse(push).node_id);
    const b = receiveCallback(Buffer.from(push), new Headers({ 'X-AIRudder-Sign': sig }));
    assert.deepEqual(b.signature, { header: sig, valid: true });
  });

  it('rejects an unknown signing algorithm with the known ones', () => {
    assert.throws(() => receiveCallback(push, {}, { signing: { algorithm: 'rot13' as never } }), {
      message: 'unknown signing scheme "rot13" (known: hmac-sha256, sha256-body-key, md5-body-key, none)',
    });
  });
});

describe('the receiver module graph', () => {
  it('imports only node: built-ins (no express, ajv, faker or any package)', () => {
    const seen = new Set<string>();
    const packages = new Set<string>();
    const walk = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/^(?:import|export)\s+(type\s+)?[^;]*?from\s+'([^']+)'/gms)) {
        const [, typeOnly, spec] = m;
        if (typeOnly || /^import type|^export type/.test(m[0])) continue;
        if (spec!.startsWith('.')) walk(resolve(dirname(file), spec!));
        else packages.add(spec!);
      }
    };
    walk(join(import.meta.dirname, '..', '..', 'src', 'receiver.ts'));
    assert.ok(seen.size >= 3, [...seen].join(', '));
    assert.deepEqual(
      [...packages].filter((p) => !p.startsWith('node:')),
      [],
    );
  });
});
