/**
 * Generated rows are made as the campaign reaches them: a command naming a row not reached yet
 * (cancel, update) or a stop still sees every row, and pacing is as if the whole list had been
 * admitted at once.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createCampaign } from '../../src/engine/campaign.ts';
import type { Campaign, CampaignEvent } from '../../src/engine/types.ts';
import { fixture, T0 } from './scenario-fixture.ts';

function drain(c: Campaign): CampaignEvent[] {
  const out: CampaignEvent[] = [];
  for (let t = c.nextTime(); t !== null; t = c.nextTime()) out.push(...c.advanceTo(t));
  return out;
}

const scenario = fixture({ count: 50, repeatNumber: 0, outcomes: { dial: { answered: 1 } } });
const finished = (events: CampaignEvent[]) => events.filter((e) => e.kind === 'contact.finished');

describe('generated rows made as the campaign reaches them', () => {
  it('a cancel names a row not reached yet: it is cancelled then, the others run', () => {
    const c = createCampaign({ scenario, startTime: T0 });
    const early = c.advanceTo(T0);
    assert.equal(c.cancel({ case_id: 'CASE-00040' }, T0), 1);
    const events = [...early, ...drain(c)];
    const rows = finished(events);
    assert.equal(rows.length, 50);
    const cancelled = rows.find((e) => e.caseId === 'CASE-00040')!;
    assert.equal(cancelled.at, T0);
    assert.equal((cancelled.data as { result: string }).result, 'cancelled');
    assert.equal(rows.filter((e) => (e.data as { result: string }).result === 'cancelled').length, 1);
  });

  it('a stop cancels every row, reached or not, once', () => {
    const c = createCampaign({ scenario, startTime: T0 });
    const early = c.advanceTo(T0 + 60_000);
    c.stop(T0 + 60_000);
    const rows = finished([...early, ...drain(c)]);
    assert.equal(new Set(rows.map((e) => e.caseId)).size, 50);
    assert.equal(rows.length, 50);
  });

  it('the same seed gives the same bytes, row by row', () => {
    const a = JSON.stringify(drain(createCampaign({ scenario, startTime: T0 })));
    assert.equal(a, JSON.stringify(drain(createCampaign({ scenario, startTime: T0 }))));
    const ids = finished(JSON.parse(a) as CampaignEvent[]).map((e) => e.caseId);
    assert.deepEqual(
      ids.sort(),
      Array.from({ length: 50 }, (_, i) => `CASE-${String(i + 1).padStart(5, '0')}`),
    );
  });
});
