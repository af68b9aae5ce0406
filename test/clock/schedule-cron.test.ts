import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createVirtualClock } from '../../src/clock/virtual-clock.ts';
import { nextCronInstant, scheduleCron } from '../../src/clock/schedule-cron.ts';
import { formatVendorTime } from '../../src/core/vendor-time.ts';

const JAKARTA = 'Asia/Jakarta';
// Friday 2024-03-08 08:59:30 in Jakarta (UTC+7).
const START = Date.UTC(2024, 2, 8, 1, 59, 30);

describe('scheduleCron on the virtual clock', () => {
  it("fires a weekday trigger at 09:00 in the account's time zone, skipping the weekend", async () => {
    const clock = createVirtualClock({ startTime: START });
    const runs: string[] = [];
    scheduleCron(clock, '0 9 * * 1-5', JAKARTA, (at) => runs.push(formatVendorTime(at, JAKARTA)), {
      maxRuns: 3,
    });
    await clock.idle();
    assert.deepEqual(runs, ['2024-03-08 09:00:00', '2024-03-11 09:00:00', '2024-03-12 09:00:00']);
  });

  it('runs every instant of a seconds expression across a long jump: no drift, none missed', async () => {
    const clock = createVirtualClock({ startTime: START, auto: false });
    const runs: number[] = [];
    const job = scheduleCron(clock, '*/10 * * * * *', JAKARTA, (at) => runs.push(at));
    await clock.advance(3_600_000);
    job.stop();
    assert.equal(runs.length, 360);
    // START is hh:59:30, so the first instant is hh:59:40 and the last one the end of the hour.
    assert.equal(runs[0], START + 10_000);
    for (let i = 1; i < runs.length; i++) assert.equal(runs[i]! - runs[i - 1]!, 10_000);
    assert.equal(runs.at(-1), START + 3_600_000);
    assert.equal(job.nextRun(), null);
    await clock.runUntilIdle();
    assert.equal(runs.length, 360, 'stopped jobs do not fire');
  });

  it('honours until, and rejects invalid expressions', async () => {
    const clock = createVirtualClock({ startTime: START });
    const runs: number[] = [];
    const job = scheduleCron(clock, '*/15 * * * *', JAKARTA, (at) => runs.push(at), {
      until: START + 3_600_000,
    });
    await clock.idle();
    assert.equal(runs.length, 4);
    assert.equal(job.runs(), 4);
    assert.throws(() => scheduleCron(clock, 'not cron', JAKARTA, () => undefined), /invalid cron expression/);
  });

  it('nextCronInstant is strictly after the given instant', () => {
    const nine = Date.UTC(2024, 2, 8, 2, 0, 0);
    assert.equal(nextCronInstant('0 9 * * *', JAKARTA, nine - 1), nine);
    assert.equal(nextCronInstant('0 9 * * *', JAKARTA, nine), nine + 86_400_000);
  });
});
