/**
 * Rows waiting for a closed calling window hold no state: after an evening's rows are paced past
 * the window's close, what the campaign holds at 07:59 is the rows still in flight from the
 * evening (redials due in the morning), not the night's rows; those are made when the window
 * opens. Counted with the engine's own row counter, not timed.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CampaignRun } from '../../src/engine/campaign-run.ts';
import { setupCampaign } from '../../src/engine/campaign-setup.ts';
import type { CampaignEvent } from '../../src/engine/types.ts';
import { fixture } from './scenario-fixture.ts';

const MIN = 60_000;
// 2024-03-11 20:30 in Asia/Jakarta (UTC+7): 30 minutes before the 08:00-20:59 window closes.
const EVENING = Date.UTC(2024, 2, 11, 13, 30);
const MORNING = Date.UTC(2024, 2, 12, 1, 0); // 08:00 the next day

/** Rows that started dialling and have not finished, from the events. */
function inFlight(events: CampaignEvent[]): number {
  const open = new Set<string>();
  for (const e of events) {
    if (e.kind === 'dial.started') open.add(e.caseId);
    if (e.kind === 'contact.finished') open.delete(e.caseId);
  }
  return open.size;
}

describe('rows waiting for a closed calling window', () => {
  const paced = (count: number) => ({
    ...fixture({ count, window: '* 8-20 * * *', repeatNumber: 1, repeatInterval: 15 }),
    pacing: { calls_per_minute: 600 },
  });

  it('100,000 rows paced through the night: at 07:59 only the evening rows still in flight are held', () => {
    const run = new CampaignRun(setupCampaign({ scenario: paced(100_000), startTime: EVENING }));
    const events = run.advanceTo(MORNING - MIN);
    // 30 minutes at 600 a minute got in while the window was open; the other 82,000 wait unmade.
    assert.deepEqual(run.rowsHeld(), { made: inFlight(events), waiting: 82_000, dialling: 0 });
    assert.ok(run.rowsHeld().made < 18_000);
    const dialled = new Set(events.filter((e) => e.kind === 'dial.started').map((e) => e.caseId));
    assert.equal(dialled.size, 18_000);
  });

  it('the window opens: the waiting rows are made and dial, in list order after the evening rows', () => {
    // 20:58: 1,200 rows in the window's last two minutes, 800 through the night.
    const run = new CampaignRun(
      setupCampaign({ scenario: paced(2_000), startTime: MORNING - 12 * 60 * MIN + 58 * MIN }),
    );
    run.advanceTo(MORNING - MIN);
    assert.equal(run.rowsHeld().waiting, 800);
    const opening = run.advanceTo(MORNING);
    const first = opening.filter((e) => e.kind === 'dial.started' && e.data.attempt === 1);
    assert.deepEqual(
      first.map((e) => e.caseId),
      Array.from({ length: 800 }, (_, i) => `CASE-${String(1201 + i).padStart(5, '0')}`),
    );
    // Their dials in progress hold no row: each is made again when its dial ends.
    const ended = opening.filter((e) => e.kind === 'dial.finished' && e.caseId >= 'CASE-01201').length;
    assert.deepEqual(run.rowsHeld(), {
      made: inFlight(opening) - 800 + ended,
      waiting: 0,
      dialling: 800 - ended,
    });
  });
});
