/**
 * The admin API under /__emulator: health, clock, deliveries with filters and attempts, replay,
 * scenario trigger, the sink switch driving retries, and reset.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import type { Emulator } from '../../src/server/emulator.ts';
import { START, startEmulator } from './fixture.ts';

const A = '/__emulator';

describe('admin API', () => {
  let emu: Emulator;
  before(async () => {
    emu = await startEmulator({ sink: { mode: 'fail', failStatus: 503, failFirst: 1 } });
  });
  after(() => emu.close());

  it('health and clock', async () => {
    const health = await request(emu.url).get(`${A}/health`);
    assert.equal(health.status, 200);
    assert.equal(health.body.status, 'ok');
    assert.equal(health.body.persistence, 'memory');
    assert.equal(health.body.now, START, 'times are epoch ms');
    const clock = await request(emu.url).get(`${A}/clock`);
    assert.deepEqual(clock.body, { mode: 'virtual', now: START, pending: clock.body.pending });
    const adv = await request(emu.url).post(`${A}/clock/advance`).send({ ms: 60_000 });
    assert.equal(adv.body.now, START + 60_000);
    const bad = await request(emu.url).post(`${A}/clock/advance`).send({ ms: -5 });
    assert.equal(bad.status, 400);
    assert.match(bad.body.message, /^invalid request: ms must be an integer from 0 to \d+ \(got -5\)/);
    const notJson = await request(emu.url)
      .post(`${A}/clock/advance`)
      .set('Content-Type', 'application/json')
      .send('{');
    assert.equal(notJson.status, 400);
    assert.equal(notJson.body.code, -1);
  });

  it('triggers a scenario; the sink fails each first attempt, so every delivery is retried once', async () => {
    const trig = await request(emu.url).post(`${A}/scenarios/tele/trigger`).send({});
    assert.equal(trig.status, 201);
    const workflowId = trig.body.workflow_id as string;
    const idle = await request(emu.url).post(`${A}/clock/run-until-idle`);
    assert.equal(idle.status, 200);
    const list = await request(emu.url).get(`${A}/deliveries`).query({ workflow: workflowId });
    assert.ok(list.body.total > 0);
    for (const d of list.body.list) {
      // The list shows the record's own fields under the record's names, times in epoch ms.
      const rec = emu.delivery(d.id)!;
      assert.deepEqual(d, {
        id: rec.id,
        type: rec.type,
        url: rec.url,
        workflowId,
        outcome: 'delivered',
        attemptCount: 2,
        lastStatus: 200,
        lastError: null,
        firstAt: rec.attempts[0]!.at,
        nextAttemptAt: null,
      });
      assert.equal(rec.attempts[1]!.at, d.firstAt + 60_000);
    }
    const calls = await request(emu.url)
      .get(`${A}/deliveries`)
      .query({ workflow: workflowId, type: 'call-completion' });
    assert.ok(calls.body.list.every((d: { type: string }) => d.type === 'call-completion'));
    const none = await request(emu.url).get(`${A}/deliveries`).query({ outcome: 'exhausted' });
    assert.equal(none.body.total, 0);

    const one = await request(emu.url).get(`${A}/deliveries/${list.body.list[0].id}`);
    assert.equal(one.body.attempts.length, 2);
    assert.equal(one.body.attempts[0].status, 503);
    assert.equal(one.body.attempts[1].status, 200);
    assert.equal(
      one.body.attempts[1].at - one.body.attempts[0].at,
      60_000,
      'the vendor retries a minute later',
    );

    const sink = await request(emu.url).get(`${A}/sink`);
    assert.equal(sink.body.requests.length, list.body.total * 2);
    assert.equal(sink.body.requests[0].headers['user-agent'], 'Airudder');
  });

  it('replays a delivery', async () => {
    const [first] = emu.deliveries();
    const res = await request(emu.url).post(`${A}/deliveries/${first!.id}/replay`).send({});
    assert.equal(res.status, 201);
    assert.equal(res.body.replayOf, first!.id);
    assert.equal(res.body.firstAt, emu.delivery(res.body.id)!.firstAt, 'epoch ms, as in the record');
    await emu.idle();
    assert.equal(emu.delivery(res.body.id)!.outcome, 'delivered');
    const missing = await request(emu.url).post(`${A}/deliveries/nope/replay`).send({});
    assert.equal(missing.status, 404);
  });

  it('switches the sink to hang and back; bad settings are refused', async () => {
    const set = await request(emu.url).put(`${A}/sink`).send({ mode: 'hang', failFirst: null });
    assert.equal(set.body.mode, 'hang');
    const bad = await request(emu.url).put(`${A}/sink`).send({ mode: 'explode' });
    assert.equal(bad.status, 400);
    const ok = await request(emu.url).put(`${A}/sink`).send({ mode: 'ok' });
    assert.equal(ok.body.mode, 'ok');
  });

  it('unknown scenario and unknown admin path are clear 404s', async () => {
    const res = await request(emu.url).post(`${A}/scenarios/nope/trigger`).send({});
    assert.equal(res.status, 404);
    assert.match(res.body.message, /unknown scenario "nope".*\(loaded: tele, ic; shipped: all-unreachable, /);
    const path = await request(emu.url).get(`${A}/nothing`);
    assert.equal(path.status, 404);
  });

  it('reset forgets workflows and deliveries but keeps tokens', async () => {
    const res = await request(emu.url).post(`${A}/reset`);
    assert.equal(res.status, 200);
    assert.equal(emu.store.listWorkflows().length, 0);
    assert.equal(emu.deliveries().length, 0);
    const again = await request(emu.url).post(`${A}/scenarios/tele/trigger`).send({});
    assert.equal(again.status, 201);
  });
});

describe('admin API on a real clock', () => {
  let emu: Emulator;
  after(() => emu.close());
  it('refuses to move a clock that is not virtual', async () => {
    emu = await startEmulator({ clock: 'real' });
    const res = await request(emu.url).post(`${A}/clock/advance`).send({ ms: 1000 });
    assert.equal(res.status, 409);
    assert.match(res.body.message, /only a virtual clock/);
  });
});
