/**
 * The calibrate round trip. Bounds, fixed before the run: every share within ±2 percentage points
 * of the recording's, every duration sample (ring, talk per intention, redial gaps) passing a
 * two-sample Kolmogorov–Smirnov test at α = 0.01. Per business line: record 10,000 contacts of a
 * shipped scenario (calling windows removed: calibrate does not fit them), calibrate, validate and
 * replay the calibrated scenario with another seed, measure both from the raw payloads
 * (test/calibrate/measure.ts), compare. Then the same for a mixed recording of two lines.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { calibrate, ksTwoSample } from '../../src/calibrate/index.ts';
import { messagesOf, simulate } from '../../src/engine/campaign.ts';
import { loadScenarioFile, parseScenario } from '../../src/scenario/load.ts';
import type { Scenario } from '../../src/scenario/types.ts';
import { measure, type Measured } from './measure.ts';

const PP = 0.02;
const ALPHA = 0.01;
const CONTACTS = 10_000;
/** KS needs a sample on both sides; smaller ones are left out (their shares are still compared). */
const MIN_SAMPLE = 30;

/** Case → [shipped scenario, the business line calibrate must find]. */
const SHIPPED: Record<string, [string, string]> = {
  collection: ['collection-ptp', 'collection'],
  telemarketing: ['telemarketing', 'telemarketing'],
  ecommerce: ['ecommerce-order-confirmation', 'ecommerce'],
  info_check: ['info-check-redials', 'info_check'],
  // Three numbers per contact with weights per number position (by_number).
  'multi-number collection': ['multi-number', 'collection'],
};

function withoutWindows(s: Scenario): Scenario {
  for (const t of s.templates)
    for (const n of t.nodes) if (n.type === 'voicebot_call') delete n.calling_window;
  return s;
}

const recordings = new Map<string, unknown[]>();
/** 10,000 contacts of a shipped scenario, as the payloads a receiver would have stored. */
function recording(business: string): unknown[] {
  let r = recordings.get(business);
  if (!r) {
    const s = withoutWindows(loadScenarioFile(SHIPPED[business]![0]));
    s.contacts = { generate: { ...s.contacts.generate, count: CONTACTS } };
    r = messagesOf(simulate({ scenario: s })).map((m) => m.payload);
    recordings.set(business, r);
  }
  return r;
}

function replay(yaml: string): unknown[] {
  const s = parseScenario(yaml, 'calibrated.yaml');
  assert.equal(s.contacts.generate?.count, CONTACTS);
  // The calibrated scenario has no start_time (a recorded date is not copied): the runner's.
  return messagesOf(simulate({ scenario: s, seed: 777, startTime: Date.UTC(2024, 2, 11, 2) })).map(
    (m) => m.payload,
  );
}

function compare(label: string, a: Measured, b: Measured): void {
  for (const [mix, counts] of Object.entries(a.mixes)) {
    const other = b.mixes[mix] ?? new Map<string, number>();
    const na = [...counts.values()].reduce((x, y) => x + y, 0);
    const nb = [...other.values()].reduce((x, y) => x + y, 0);
    for (const key of new Set([...counts.keys(), ...other.keys()])) {
      const pa = (counts.get(key) ?? 0) / na;
      const pb = (other.get(key) ?? 0) / nb;
      assert.ok(
        Math.abs(pa - pb) <= PP,
        `${label} ${mix} ${key}: recorded ${pa.toFixed(4)}, replayed ${pb.toFixed(4)}`,
      );
    }
  }
  for (const [name, xs] of Object.entries(a.samples)) {
    const ys = b.samples[name] ?? [];
    if (xs.length < MIN_SAMPLE || ys.length < MIN_SAMPLE) continue;
    const { d, p } = ksTwoSample(xs, ys);
    assert.ok(
      p >= ALPHA,
      `${label} ${name}: KS D=${d.toFixed(4)} p=${p.toExponential(2)} (n=${xs.length}/${ys.length})`,
    );
  }
}

describe('calibrate round trip (10,000 contacts per business line)', () => {
  for (const [business, [, line]] of Object.entries(SHIPPED)) {
    it(`${business}: the replay of the calibrated scenario matches the recording`, () => {
      const recorded = recording(business);
      const result = calibrate(recorded.map((value, i) => ({ where: `rec.jsonl:${i + 1}`, value })));
      assert.equal(result.groups.length, 1);
      assert.equal(result.groups[0]!.business, line);
      compare(business, measure(recorded), measure(replay(result.groups[0]!.yaml)));
    });
  }

  it('a mixed recording (collection + Info Check) gives one scenario per line, each matching its part', () => {
    const parts = ['collection', 'info_check'].map(recording);
    const result = calibrate(parts.flat().map((value, i) => ({ where: `mixed.jsonl:${i + 1}`, value })));
    assert.deepEqual(
      result.groups.map((g) => `${g.business}/${g.country}`),
      ['collection/ID', 'info_check/MX'],
    );
    result.groups.forEach((g, i) =>
      compare(`mixed ${g.business}`, measure(parts[i]!), measure(replay(g.yaml))),
    );
  });
});
