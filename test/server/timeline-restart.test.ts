/**
 * Issue 13 item 5: on scaled and real clocks the timeline shifted after a restart —
 * `contacts_finished` 1001 of 1000, a contact's node-passed / contact-finished events twice, 316 ms
 * apart, under the same ids — because `upload()` gave the campaign its rows at one `clock.now()`
 * and journaled them with a later one, so a replay added them where they had not been added.
 * A command now reads the clock once: the campaign and its journal entry share the instant.
 *
 * Pinned with a scaled clock whose time moves on every read (as a busy real one does), so any
 * command that reads it twice journals a different instant than it used.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import request from 'supertest';
import { createWallClock } from '../../src/clock/wall-clock.ts';
import type { Wall } from '../../src/clock/wall.ts';
import type { Send } from '../../src/delivery/types.ts';
import { buildEmulator, type BuiltEmulator } from '../../src/server/emulator.ts';
import { createFakeWall, settle } from '../clock/fake-wall.ts';
import { COLLECTION_TEMPLATE, END_TIME, rows, scenario, START } from '../http/fixture.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const W = '/service/cloud/workflow';
const SCALE = 60;
const ok: Send = () => Promise.resolve({ status: 200, response: '{}' });

describe('the timeline after a restart on a scaled clock', () => {
  const dir = mkdtempSync(join(tmpdir(), 'airudder-timeline-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('each contact finishes once, at the same instant, live and after a restart', async () => {
    const base = createFakeWall();
    let drift = 0;
    // Every read of the time moves it on a little (0.1 real ms: 6 clock ms at 60×).
    const wall: Wall = { ...base, now: () => base.now() + (drift += 0.1) };
    const build = (startTime: number): BuiltEmulator =>
      buildEmulator({
        dataDir: dir,
        clock: createWallClock({ startTime, scale: SCALE, wall }),
        seed: 11,
        scenarios: [scenario('tele', 'telemarketing', COLLECTION_TEMPLATE)],
        delivery: { send: ok },
      });
    const emu = build(START);
    const auth = await request(emu.app)
      .post('/service/cloud/auth')
      .send({ APPKey: emu.credentials.appKey, APPSecret: emu.credentials.appSecret });
    const token = auth.body.data.token as string;
    const post = (path: string, body: object) =>
      request(emu.app).post(path).set('Authorization', `Token ${token}`).send(body).expect(200);
    const created = await post(`${W}/createinstance`, {
      workflow_template_id: COLLECTION_TEMPLATE,
      name: 'timeline',
      end_time: END_TIME,
      details: rows(4),
    });
    const id = created.body.data.workflow_id as string;
    base.tick(500);
    await settle();
    await post(`${W}/uploaddetails`, { workflow_id: id, details: rows(4, 'MORE-') });
    await post(`${W}/updatedetail`, { workflow_id: id, case_id: 'MORE-2', detail: { customer_name: 'X' } });
    await post(`${W}/canceldetail`, { workflow_id: id, case_id: 'MORE-4' });
    // An hour of clock time, a real second at a time.
    for (let i = 0; i < 60; i++) {
      base.tick(1000);
      await settle();
    }
    const live = view(emu, id);
    const stoppedAt = emu.clock.now();
    await emu.close();
    assert.equal(live.finished, 8, JSON.stringify(live.summary));

    const again = build(stoppedAt);
    try {
      const restored = view(again, id);
      assert.equal(restored.finished, 8);
      assert.deepEqual(restored.events, live.events, 'the same events at the same instants');
      const keys = restored.events.filter((e) => /contact\.finished|node\.passed/.test(e));
      assert.equal(new Set(keys).size, keys.length, 'no event twice');
      assert.deepEqual(restored.deliveries, live.deliveries);
    } finally {
      await again.close();
    }
  });
});

function view(
  emu: BuiltEmulator,
  id: string,
): { finished: number; summary: Json; events: string[]; deliveries: Json[] } {
  const rows = emu.store.rowsOf(id);
  return {
    finished: rows.filter((r) => r.finishedAt !== undefined).length,
    summary: rows.map((r) => [r.input.case_id, r.addedAt, r.finishedAt]),
    events: emu.store
      .eventsOf(id)
      .map((e) => `${e.at} ${e.kind} ${e.caseId ?? ''} ${'callId' in e ? String(e.callId) : ''}`),
    deliveries: emu.deliveries().map((d) => ({ id: d.id, firstAt: d.firstAt, body: d.body })),
  };
}
