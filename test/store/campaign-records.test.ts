import { test } from 'node:test';
import assert from 'node:assert/strict';
import { simulate } from '../../src/engine/campaign.ts';
import { loadScenarioFile } from '../../src/scenario/load.ts';
import { CampaignRecords } from '../../src/store/campaign-records.ts';

const T0 = Date.UTC(2026, 0, 5, 1, 0, 0);

test('dials are ranked among their number’s dials; a finished workflow drops its per-number counts', () => {
  const events = simulate({ scenario: loadScenarioFile('info-check-redials'), startTime: T0 });
  const wf = events[0]!.workflowId;
  const finished = events.findIndex((e) => e.kind === 'workflow.status' && e.data.status === 'Finished');
  assert.ok(finished > 0, 'the scenario runs to Finished');
  const records = new CampaignRecords();
  records.open(wf);
  const w = records.get(wf)!;
  const counts = () => (w as unknown as { perNumber?: Map<string, number> }).perNumber;
  events.slice(0, finished).forEach((e) => records.append(wf, e));
  assert.ok(counts()!.size > 0, 'counted while running');
  events.slice(finished).forEach((e) => records.append(wf, e));
  assert.equal(counts(), undefined);

  const expected = new Map<string, number>();
  const ranks = events
    .filter((e) => e.kind === 'dial.finished')
    .map((e) => {
      const key = `${e.caseId}|${e.callee}`;
      expected.set(key, (expected.get(key) ?? 0) + 1);
      return expected.get(key);
    });
  assert.ok(
    ranks.some((r) => r! > 1),
    'some number is dialled again',
  );
  assert.deepEqual(
    [...w.dials.range()].map((row) => row[11]),
    ranks,
  );
});
