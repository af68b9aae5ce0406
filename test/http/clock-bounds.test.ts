/**
 * Issue 13 item 1: one admin request used to break the server for good — `clock/advance` with
 * `{"ms": 8640000000000000}` (or `1.23e29` from a long digit string) was accepted, and every later
 * /health, /clock and activity-log line failed. The clock now moves only up to the last instant
 * the vendor's time format can write; anything past it is a 400 in the envelope that changes
 * nothing, from the admin API and the library alike.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { formatActivity } from '../../src/cli/activity-log.ts';
import { MAX_CLOCK_TIME } from '../../src/core/vendor-time.ts';
import { VendorError } from '../../src/core/vendor-errors.ts';
import { buildEmulator, type BuiltEmulator } from '../../src/server/emulator.ts';

const START = Date.UTC(2024, 2, 11, 2, 0);
const A = '/__emulator';

describe('the clock moves within its range', () => {
  let emu: BuiltEmulator;
  before(() => {
    emu = buildEmulator({ clock: 'virtual:manual', startTime: START, scenarios: ['collection-ptp'] });
  });
  after(() => emu.close());

  const advance = (raw: string) =>
    request(emu.app).post(`${A}/clock/advance`).set('Content-Type', 'application/json').send(raw);

  for (const raw of [
    '{"ms": 8640000000000000}',
    `{"ms": 1${'0'.repeat(29)}}`,
    '{"ms": 1e400}',
    '{"ms": 1.5}',
    '{"ms": "60000"}',
    '{"ms": null}',
    '{}',
  ]) {
    it(`${raw.slice(0, 40)}: 400 in the envelope, clock unchanged, server fine`, async () => {
      const before = (await request(emu.app).get(`${A}/clock`)).body.now;
      const res = await advance(raw);
      assert.equal(res.status, 400, JSON.stringify(res.body));
      assert.equal(res.body.code, 400);
      assert.equal(res.body.data, null);
      assert.match(
        res.body.message,
        /^invalid request: ms must be an integer from 0 to \d+ \(got .*\): the clock cannot move past 9999-12-30 23:59:59 UTC/,
      );
      assert.deepEqual(
        res.body.errors.map((e: { path: string }) => e.path),
        ['$.ms'],
      );
      assert.equal((await request(emu.app).get(`${A}/clock`)).body.now, before);
      assert.equal((await request(emu.app).get(`${A}/health`)).status, 200);
    });
  }

  it('the library: the same check, a VendorError, nothing moved', async () => {
    await assert.rejects(emu.advance(8_640_000_000_000_000), (err: unknown) => {
      assert.ok(err instanceof VendorError);
      assert.equal(err.kind, 'badRequest');
      return true;
    });
    assert.equal(emu.clock.now(), START);
  });

  it('up to the last instant is fine, and every view still answers there', async () => {
    const emu2 = buildEmulator({ clock: 'virtual:manual', startTime: START, scenarios: [] });
    try {
      const res = await request(emu2.app)
        .post(`${A}/clock/advance`)
        .send({ ms: MAX_CLOCK_TIME - START });
      assert.equal(res.status, 200);
      assert.equal(res.body.now, MAX_CLOCK_TIME);
      assert.equal((await request(emu2.app).get(`${A}/health`)).status, 200);
      assert.equal((await request(emu2.app).post(`${A}/clock/advance`).send({ ms: 1 })).status, 400);
      const line = formatActivity(
        {
          type: 'workflow:status',
          workflowId: 'w',
          workflowName: 'n',
          at: MAX_CLOCK_TIME,
          timeZone: 'Asia/Jakarta',
          status: 'Running',
        },
        { now: () => MAX_CLOCK_TIME, timeZoneOf: () => 'Asia/Jakarta' },
      );
      assert.match(line!, /^06:59:59 {2}workflow w \(n\) Running$/);
    } finally {
      await emu2.close();
    }
  });
});
