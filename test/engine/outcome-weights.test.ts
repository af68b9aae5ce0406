/**
 * The outcome model's weights are honoured. Tolerance: 4 standard deviations of a binomial
 * proportion (sqrt(p(1-p)/n)); for n = 10,000 that is at most 0.02 — a correct engine fails this
 * with probability < 1e-4 per check, and the draws are seeded, so the test is deterministic.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { simulate } from '../../src/engine/campaign.ts';
import { fixture, T0 } from './scenario-fixture.ts';

function within(label: string, observed: number, n: number, p: number): void {
  const tol = 4 * Math.sqrt((p * (1 - p)) / n);
  assert.ok(
    Math.abs(observed / n - p) <= tol,
    `${label}: ${(observed / n).toFixed(4)} vs ${p} ± ${tol.toFixed(4)} (n=${n})`,
  );
}

describe('outcome weights over 10,000 contacts', () => {
  const scenario = fixture({
    count: 10_000,
    repeatNumber: 0,
    callbacks: ['call-completion'],
    nodes: [{ type: 'voicebot_call', robot_id: '1', sip_line: 'L', repeat_number: 0, repeat_interval: 0 }],
    outcomes: {
      dial: { answered: 50, normal: 25, busy: 15, switchoff: 10 },
      hangup: { ByCallee: 70, ByRobot: 30 },
      intentions: [
        { label: 'A', description: 'Promise to pay', weight: 60, kind: 'ptp' },
        { label: 'C', description: 'Refuse to pay', weight: 30, kind: 'refuse' },
        { label: 'D', description: 'Call back later', weight: 10, kind: 'later' },
      ],
    },
  });
  const dials = simulate({ scenario, startTime: T0 })
    .filter((e) => e.kind === 'dial.finished')
    .map((e) => e.data);

  it('one dial per contact', () => assert.equal(dials.length, 10_000));

  it('answered and ring_type weights', () => {
    const n = dials.length;
    within('answered', dials.filter((d) => d.answered).length, n, 0.5);
    within('normal no-answer', dials.filter((d) => !d.answered && d.ringType === 'normal').length, n, 0.25);
    within('busy', dials.filter((d) => d.ringType === 'busy').length, n, 0.15);
    within('switchoff', dials.filter((d) => d.ringType === 'switchoff').length, n, 0.1);
  });

  it('intention and hang-up weights among answered calls', () => {
    const answered = dials.filter((d) => d.answered);
    const n = answered.length;
    within('A', answered.filter((d) => d.label === 'A').length, n, 0.6);
    within('C', answered.filter((d) => d.label === 'C').length, n, 0.3);
    within('D', answered.filter((d) => d.label === 'D').length, n, 0.1);
    within('ByCallee', answered.filter((d) => d.hangup === 'ByCallee').length, n, 0.7);
  });

  it('durations stay inside their ranges', () => {
    for (const d of dials) {
      if (d.answered) assert.ok(d.ringTime >= 2 && d.ringTime <= 15);
      // 0 for about half, else 0–15 s (the vendor examples: 0, 15, 0, 3).
      else if (d.ringType === 'normal') assert.ok(d.ringTime >= 0 && d.ringTime <= 15);
      else assert.ok(d.ringTime >= 0 && d.ringTime <= 3);
    }
  });
});
