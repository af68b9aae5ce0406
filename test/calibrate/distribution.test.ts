/**
 * The scenario's `distribution` (empirical buckets) and the statistics calibrate fits with: what a
 * bucketed setting draws, what the loader rejects, and the KS helper the round trip relies on.
 */
import { describe, it } from 'node:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../helpers/cli.ts';
import assert from 'node:assert/strict';
import { fitDistribution, ksTwoSample } from '../../src/calibrate/stats.ts';
import { drawSpan, span } from '../../src/engine/model.ts';
import { Rng } from '../../src/engine/rng.ts';
import { checkScenario } from '../../src/scenario/load.ts';

describe('scenario distribution (buckets)', () => {
  it('draws only inside the buckets, in proportion to their weights', () => {
    const s = span(
      {
        buckets: [
          { min: 2, max: 3, weight: 3 },
          { min: 10, max: 10, weight: 1 },
        ],
      },
      { min: 0, max: 0 },
    );
    const rng = new Rng(7);
    const counts = new Map<number, number>();
    for (let i = 0; i < 8000; i++) {
      const v = drawSpan(rng, s);
      counts.set(v, (counts.get(v) ?? 0) + 1);
    }
    assert.deepEqual(
      [...counts.keys()].sort((a, b) => a - b),
      [2, 3, 10],
    );
    assert.ok(Math.abs(counts.get(10)! / 8000 - 0.25) < 0.02);
  });

  it('a bucket with min above max is an error at its path', () => {
    const yaml = readFileSync(join(ROOT, 'scenarios', 'telemarketing.yaml'), 'utf8').replace(
      'talk_time_s: { min: 30, max: 150 }',
      'ring_time_s: { answered: { buckets: [{ min: 5, max: 2, weight: 1 }] } }',
    );
    const r = checkScenario(yaml, 'telemarketing.yaml');
    assert.equal(r.ok, false);
    assert.match(JSON.stringify(r), /buckets\[0\]: min \(5\) must not exceed max \(2\)/);
  });
});

describe('calibrate statistics', () => {
  it('fits quantile buckets that hold every observation once', () => {
    const xs = Array.from({ length: 400 }, (_, i) => i % 50);
    const d = fitDistribution(xs);
    assert.ok(typeof d === 'object' && 'buckets' in d);
    assert.equal(
      d.buckets.reduce((a, b) => a + b.weight, 0),
      400,
    );
    for (let i = 1; i < d.buckets.length; i++) assert.equal(d.buckets[i]!.min, d.buckets[i - 1]!.max + 1);
    assert.equal(fitDistribution([4, 4, 4]), 4);
    assert.deepEqual(fitDistribution([1, 9]), { min: 1, max: 9 });
  });

  it('KS: the same distribution passes, a shifted one fails', () => {
    const rng = new Rng(3);
    const a = Array.from({ length: 2000 }, () => rng.int(0, 60));
    const b = Array.from({ length: 2000 }, () => rng.int(0, 60));
    const c = Array.from({ length: 2000 }, () => rng.int(5, 65));
    assert.ok(ksTwoSample(a, b).p > 0.01);
    assert.ok(ksTwoSample(a, c).p < 0.01);
  });
});
