/** Calling windows through node-cron, evaluated at arbitrary instants (no wall clock). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import type NodeCron from 'node-cron';
import {
  createWindowCalendar,
  cronProblem,
  isInWindow,
  nextWindowStart,
} from '../../src/core/cron-calendar.ts';
import { createTimeFormatter } from '../../src/engine/time-format.ts';
import { formatVendorTime } from '../../src/core/vendor-time.ts';

const J = 'Asia/Jakarta'; // UTC+7, no DST
// The instance src/core/lazy-packages.ts requires (node-cron's CommonJS build): its task registry.
const cron = createRequire(import.meta.url)('node-cron') as typeof NodeCron;

describe('cron calendar', () => {
  it('isInWindow matches whole minutes in the time zone', () => {
    const expr = '* 8-20 * * 1-6';
    assert.equal(isInWindow(expr, J, Date.UTC(2024, 2, 11, 1, 0, 30)), true); // Mon 08:00:30
    assert.equal(isInWindow(expr, J, Date.UTC(2024, 2, 11, 0, 59, 59)), false); // Mon 07:59:59
    assert.equal(isInWindow(expr, J, Date.UTC(2024, 2, 11, 13, 59, 59)), true); // Mon 20:59:59
    assert.equal(isInWindow(expr, J, Date.UTC(2024, 2, 11, 14, 0, 0)), false); // Mon 21:00
    assert.equal(isInWindow(expr, J, Date.UTC(2024, 2, 10, 3, 0, 0)), false); // Sunday
  });

  it('nextWindowStart uses node-cron getNextMatch (internal matcher, tested here)', () => {
    const expr = '* 8-20 * * 1-6';
    const inside = Date.UTC(2024, 2, 11, 3, 0, 0);
    assert.equal(nextWindowStart(expr, J, inside), inside);
    // Saturday 21:00 → Monday 08:00.
    assert.equal(nextWindowStart(expr, J, Date.UTC(2024, 2, 16, 14, 0, 0)), Date.UTC(2024, 2, 18, 1, 0, 0));
    // A DST zone: New York springs forward on 2024-03-10.
    assert.equal(
      nextWindowStart('0 9 * * *', 'America/New_York', Date.UTC(2024, 2, 10, 12, 0, 0)),
      Date.UTC(2024, 2, 10, 13, 0, 0),
    );
    assert.equal(
      nextWindowStart('0 9 * * *', 'America/New_York', Date.UTC(2024, 2, 9, 15, 0, 0)),
      Date.UTC(2024, 2, 10, 13, 0, 0),
    );
  });

  it('does not leak node-cron tasks', () => {
    const before = cron.getTasks().size;
    for (let i = 0; i < 5; i++) isInWindow(`* ${i + 1} * * *`, J, 0);
    assert.equal(cron.getTasks().size, before);
  });

  it('a calendar over several windows opens at the earliest next one and knows when it closes', () => {
    const cal = createWindowCalendar(['* 8-11 * * *', '* 13-16 * * *'], J);
    assert.equal(cal.nextOpen(Date.UTC(2024, 2, 11, 5, 0, 30)), Date.UTC(2024, 2, 11, 6, 0, 0)); // 12:00 → 13:00
    assert.equal(cal.closesAt(Date.UTC(2024, 2, 11, 3, 0, 30)), Date.UTC(2024, 2, 11, 5, 0, 0)); // 10:00 → 12:00
    assert.equal(createWindowCalendar(['* * * * *'], J).closesAt(0), 86_400_000);
  });

  it('reports invalid expressions', () => {
    assert.equal(cronProblem('* 8-20 * * 1-6'), null);
    assert.notEqual(cronProblem('* 25 * * *'), null);
    assert.throws(() => isInWindow('nope', J, 0), /invalid cron/);
  });
});

describe('fast vendor time formatter', () => {
  it('agrees with formatVendorTime across zones and DST edges', () => {
    for (const tz of [
      'Asia/Jakarta',
      'Asia/Manila',
      'America/Mexico_City',
      'Asia/Kolkata',
      'America/New_York',
      'Australia/Lord_Howe',
    ]) {
      const f = createTimeFormatter(tz);
      for (let t = Date.UTC(2024, 0, 1); t < Date.UTC(2025, 0, 1); t += 3_601_537) {
        assert.equal(f.time(t), formatVendorTime(t, tz), `${tz} ${t}`);
      }
      // Around the US / AU transitions, minute by minute.
      for (const edge of [
        Date.UTC(2024, 2, 10, 6),
        Date.UTC(2024, 10, 3, 5),
        Date.UTC(2024, 3, 6, 14),
        Date.UTC(2024, 9, 5, 15),
      ]) {
        for (let t = edge - 7_200_000; t < edge + 7_200_000; t += 60_000 + 7)
          assert.equal(f.time(t), formatVendorTime(t, tz));
      }
    }
  });
});
