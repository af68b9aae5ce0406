/**
 * `serve` keeps delivery summaries (issue 14): a settled delivery's payload, body and headers
 * leave the store and are re-derived when read. Checked here against what the receiver got, byte
 * for byte: every delivery of a session with retries, exhausted deliveries, chaos duplicates, a
 * replay, a callback sent on demand, signed and AES-encrypted bodies, the emulator restarted from
 * its journal mid-way and again at the end, and a replay after the restart — read through the
 * library (`delivery`, `deliveries`, `deliveryPage`) and the admin API (`GET /deliveries/:id`).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import request from 'supertest';
import { createVirtualClock } from '../../src/clock/virtual-clock.ts';
import { decryptCallback } from '../../src/core/aes.ts';
import { ATTEMPT_HEADER, DELIVERY_ID_HEADER } from '../../src/delivery/delivery-service.ts';
import { VENDOR_TEST_AES_KEY } from '../../src/delivery/scenario-config.ts';
import type { DeliveryRecord, Send } from '../../src/delivery/types.ts';
import { buildEmulator, type BuiltEmulator } from '../../src/server/emulator.ts';
import { createFakeWall } from '../clock/fake-wall.ts';
import { COLLECTION_TEMPLATE, END_TIME, rows, scenario, START } from '../http/fixture.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const W = '/service/cloud/workflow';
const MIN = 60_000;

/** What the receiver got: per delivery id, every attempt's body and headers (debug headers out). */
type Received = Map<string, { body: string; headers: Record<string, string> }[]>;

describe('delivery content re-derived on demand', () => {
  const dirs: string[] = [];
  after(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  async function session(encrypted: boolean): Promise<void> {
    const dir = mkdtempSync(join(tmpdir(), 'airudder-content-'));
    dirs.push(dir);
    const wall = createFakeWall();
    const received: Received = new Map();
    // Every first attempt fails; every fifth campaign delivery never gets through (exhausted).
    const send: Send = (req) => {
      const { [DELIVERY_ID_HEADER]: id, [ATTEMPT_HEADER]: attempt, ...headers } = req.headers;
      const list = received.get(id!) ?? [];
      list.push({ body: req.body.toString('utf8'), headers });
      received.set(id!, list);
      const seq = Number(/-(\d+)/.exec(id!)?.[1] ?? 1);
      const status = seq % 5 === 0 || attempt === '1' ? 503 : 200;
      return Promise.resolve({ status, response: '{}' });
    };
    const build = (at: number): BuiltEmulator =>
      buildEmulator({
        dataDir: dir,
        clock: createVirtualClock({ startTime: at, auto: false, wall }),
        seed: 7,
        scenarios: [scenario('tele', 'telemarketing', COLLECTION_TEMPLATE)],
        delivery: {
          send,
          maxRetries: 2,
          ...(encrypted ? { encryption: { enabled: true } } : {}),
          chaos: { duplicateRate: 0.25 },
        },
        logger: { error: (m, e) => console.error(m, e) },
      });
    let emu = build(START);
    const restart = async () => {
      const at = emu.clock.now();
      await emu.close();
      emu = build(at);
    };
    const post = async (path: string, body: object, token?: string): Promise<Json> => {
      const req = request(emu.app).post(path);
      if (token) req.set('Authorization', `Token ${token}`);
      const res = await req.send(body);
      assert.ok(res.status < 300, `${path}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body as Json;
    };
    try {
      const auth = await post('/service/cloud/auth', {
        APPKey: emu.credentials.appKey,
        APPSecret: emu.credentials.appSecret,
      });
      const token = auth.data.token as string;
      const created = await post(
        `${W}/createinstance`,
        { workflow_template_id: COLLECTION_TEMPLATE, name: 'content', end_time: END_TIME, details: rows(5) },
        token,
      );
      const id = created.data.workflow_id as string;
      emu.send({ type: 'call-completion', set: { 'details[0].CaseID': 'ON-DEMAND' } });
      await emu.advance(2 * MIN);
      await post(`/__emulator/deliveries/${id}-000001/replay`, {});
      // Some deliveries are settled, others still retrying: the restart resumes those.
      assert.ok(emu.deliveries({ outcome: 'pending' }).length > 0);
      await restart();
      await emu.advance(30 * MIN);
      await emu.idle();
      check(emu, received, encrypted);
      await checkAdmin(emu);

      await restart();
      check(emu, received, encrypted);
      // A replay after the restart sends the bytes the original sent.
      const replayed = await post(`/__emulator/deliveries/${id}-000002/replay`, {});
      await emu.idle();
      assert.equal(received.get(replayed.id as string)![0]!.body, received.get(`${id}-000002`)![0]!.body);
      check(emu, received, encrypted);
    } finally {
      await emu.close();
    }
  }

  /** Every delivery, read through the library, is settled, kept without content, and as sent. */
  function check(emu: BuiltEmulator, received: Received, encrypted: boolean): void {
    const all = emu.deliveries();
    assert.ok(all.length > 10);
    assert.ok(
      all.some((d) => d.duplicateOf !== undefined),
      'a chaos duplicate',
    );
    assert.ok(
      all.some((d) => d.replayOf !== undefined),
      'a replay',
    );
    assert.ok(
      all.some((d) => d.onDemand !== undefined),
      'a callback sent on demand',
    );
    assert.ok(all.some((d) => d.outcome === 'exhausted'));
    assert.ok(all.some((d) => d.attempts.length > 1 && d.outcome === 'delivered'));
    for (const d of all) {
      assert.notEqual(d.outcome, 'pending', d.id);
      assert.equal(emu.store.storedDelivery(d.id)!.payload, undefined, `${d.id} keeps its payload`);
      assertAsSent(emu.delivery(d.id)!, received, encrypted);
      assert.deepEqual(emu.delivery(d.id), d);
    }
    const page = emu.deliveryPage({ limit: 1000 });
    assert.deepEqual(page.list, all);
  }

  function assertAsSent(d: DeliveryRecord, received: Received, encrypted: boolean): void {
    const got = received.get(d.id);
    assert.ok(got && got.length === d.attempts.length, `${d.id}: ${got?.length} received`);
    for (const g of got) {
      assert.equal(d.body, g.body, `${d.id}: body`);
      assert.deepEqual(d.headers, g.headers, `${d.id}: headers`);
    }
    assert.equal(d.encrypted, encrypted);
    assert.ok(d.headers['X-AIRudder-Sign'] !== undefined || d.signing === 'none', `${d.id}: signed`);
    const opened = decryptCallback(d.body, d.headers, VENDOR_TEST_AES_KEY);
    assert.equal(opened.encrypted, encrypted);
    assert.deepEqual(opened.payload, d.payload, `${d.id}: payload`);
  }

  /** The admin API's detail is the library's record, byte for byte. */
  async function checkAdmin(emu: BuiltEmulator): Promise<void> {
    for (const d of emu.deliveries()) {
      const res = await request(emu.app).get(`/__emulator/deliveries/${d.id}`).expect(200);
      assert.equal(res.text, JSON.stringify(emu.delivery(d.id)));
    }
  }

  it('plain, signed bodies: every delivery reads back as the receiver got it, before and after a restart', async () => {
    await session(false);
  });

  it('AES-encrypted bodies: the same', async () => {
    await session(true);
  });
});
