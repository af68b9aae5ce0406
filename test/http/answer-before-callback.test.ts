/**
 * A createinstance is answered before the workflow's status callback goes out (the callback is
 * sent on a clock timer; issue 14 keeps the request path to what the answer needs), and the
 * callback's bytes are those the emulator sent before the request path was trimmed (digest pinned
 * from main at 86acb59).
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, it } from 'node:test';
import request from 'supertest';
import type { Emulator } from '../../src/server/emulator.ts';
import { COLLECTION_TEMPLATE, END_TIME, rows, startEmulator, tokenFor } from './fixture.ts';

const CREATE = '/service/cloud/workflow/createinstance';

interface Arrival {
  body: string;
  /** The request log when the callback arrived: what the emulator had answered by then. */
  logged: [string, number | null][];
}

it('answers createinstance before its status callback arrives, with the same callback bytes', async () => {
  // The emulator is started after its receiver, which reads its request log.
  const started: { emu?: Emulator } = {};
  let arrived!: (a: Arrival) => void;
  const first = new Promise<Arrival>((resolve) => (arrived = resolve));
  const receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    const logged = started.emu!.requests().map((e): [string, number | null] => [e.path, e.status]);
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
      arrived({ body: Buffer.concat(chunks).toString('utf8'), logged });
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
  after(() => receiver.close());
  const emu = await startEmulator({
    target: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/`,
  });
  started.emu = emu;
  after(() => emu.close());

  const token = await tokenFor(emu);
  const answer = await request(emu.url)
    .post(CREATE)
    .set('Authorization', `Token ${token}`)
    .send({ workflow_template_id: COLLECTION_TEMPLATE, name: 'order', end_time: END_TIME, details: rows(1) })
    .expect(200);
  const callback = await first;
  assert.deepEqual(callback.logged.at(0), [CREATE, 200]);
  const sent = JSON.parse(callback.body) as { workflow_id?: string; status?: string };
  assert.equal(sent.workflow_id, answer.body.data.workflow_id);
  assert.equal(
    createHash('sha256').update(callback.body).digest('hex'),
    'c241dc7e1e2234dc57c0963ed5164e7ffda5cfe13c569dc84cf2707e953e4514',
  );
});
