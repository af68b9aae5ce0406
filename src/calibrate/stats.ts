/**
 * The statistics `calibrate` fits with: empirical quantile buckets (what the scenario's
 * `distribution` can express), the distance between a sample and its fitted buckets, shares, and
 * the two-sample Kolmogorov–Smirnov test the round-trip tests use.
 */
import type { Bucket, Distribution } from '../scenario/types.ts';

/** At most this many buckets per distribution: enough to follow a skewed shape, still readable. */
export const MAX_BUCKETS = 16;

const ascending = (a: number, b: number): number => a - b;

/**
 * Whole-second samples → a fixed number (one value), a range (few observations), or non-overlapping integer buckets cut at
 * the sample's quantiles, each weighted by the observations it holds.
 */
export function fitDistribution(sample: readonly number[]): Distribution {
  const xs = sample.map((x) => Math.max(0, Math.round(x))).sort(ascending);
  const lo = xs[0]!;
  const hi = xs[xs.length - 1]!;
  if (lo === hi) return lo;
  // A bucket per ~4·√n observations: small samples get a plain range, not a copy of their noise.
  const maxBuckets = Math.min(MAX_BUCKETS, Math.round(Math.sqrt(xs.length) / 2));
  if (maxBuckets <= 1) return { min: lo, max: hi };
  const cuts: number[] = [lo];
  for (let j = 1; j < maxBuckets; j++) {
    const c = xs[Math.floor((j * xs.length) / maxBuckets)]!;
    if (c > cuts[cuts.length - 1]!) cuts.push(c);
  }
  const buckets: Bucket[] = cuts.map((c, i) => ({
    min: c,
    max: i + 1 < cuts.length ? cuts[i + 1]! - 1 : hi,
    weight: 0,
  }));
  let b = 0;
  for (const x of xs) {
    while (x > buckets[b]!.max) b++;
    buckets[b]!.weight++;
  }
  return { buckets };
}

/** P(X ≤ x) of a fitted distribution drawn as the engine does (integers inside each bucket). */
function fittedCdf(d: Distribution): (x: number) => number {
  const parts =
    typeof d === 'number'
      ? [{ min: d, max: d, weight: 1 }]
      : 'buckets' in d
        ? d.buckets
        : [{ ...d, weight: 1 }];
  const total = parts.reduce((a, p) => a + p.weight, 0);
  return (x) => {
    let p = 0;
    for (const b of parts) {
      if (x >= b.max) p += b.weight;
      else if (x >= b.min) p += (b.weight * (Math.floor(x) - b.min + 1)) / (b.max - b.min + 1);
    }
    return p / total;
  };
}

/** Largest gap between a sample's step CDF and its fit's, over the sample's values. */
export function fitDistance(sample: readonly number[], fit: Distribution): number {
  const xs = sample.map((x) => Math.round(x)).sort(ascending);
  const cdf = fittedCdf(fit);
  let worst = 0;
  for (let i = 0; i < xs.length; i++) {
    if (i + 1 < xs.length && xs[i + 1] === xs[i]) continue;
    worst = Math.max(worst, Math.abs((i + 1) / xs.length - cdf(xs[i]!)));
  }
  return worst;
}

/** Counts of each value, largest first (ties by name), as [value, count] pairs. */
export function tally(values: readonly string[]): [string, number][] {
  const m = new Map<string, number>();
  for (const v of values) m.set(v, (m.get(v) ?? 0) + 1);
  return [...m].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
}

export interface KsResult {
  /** The largest gap between the two empirical CDFs. */
  d: number;
  /** Asymptotic p-value of "both samples come from one distribution". */
  p: number;
}

/**
 * Two-sample Kolmogorov–Smirnov test (asymptotic Kolmogorov distribution with Stephens'
 * small-sample correction). With ties (whole seconds) the test is conservative.
 */
export function ksTwoSample(a: readonly number[], b: readonly number[]): KsResult {
  const xs = [...a].sort(ascending);
  const ys = [...b].sort(ascending);
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < xs.length && j < ys.length) {
    const v = Math.min(xs[i]!, ys[j]!);
    while (i < xs.length && xs[i] === v) i++;
    while (j < ys.length && ys[j] === v) j++;
    d = Math.max(d, Math.abs(i / xs.length - j / ys.length));
  }
  const ne = (xs.length * ys.length) / (xs.length + ys.length);
  const lambda = (Math.sqrt(ne) + 0.12 + 0.11 / Math.sqrt(ne)) * d;
  return { d, p: kolmogorovQ(lambda) };
}

/** Q_KS(λ) = 2 Σ (−1)^(k−1) e^(−2k²λ²). */
function kolmogorovQ(lambda: number): number {
  if (lambda < 0.2) return 1;
  let sum = 0;
  for (let k = 1; k <= 100; k++) {
    const term = 2 * (k % 2 === 1 ? 1 : -1) * Math.exp(-2 * k * k * lambda * lambda);
    sum += term;
    if (Math.abs(term) < 1e-12) break;
  }
  return Math.min(1, Math.max(0, sum));
}
