/**
 * CI expectations of a scenario, evaluated over the delivery summary the runner collects once
 * the scenario has finished. Pure: the runner (delivery side) builds the summary.
 */
import type { CallbackType } from '../contract/callbacks.ts';
import type { CountSpec, ExpectationsSpec } from './types.ts';

/**
 * What the runner hands over: one entry per delivery (one message to one URL), or per group of
 * alike deliveries (`count`), in delivery order — a large run tallies instead of listing.
 */
export interface DeliverySummary {
  deliveries: {
    type: CallbackType;
    /** Final state: delivered (a 2xx), failed (retries exhausted) or pending (still retrying). */
    outcome: 'delivered' | 'failed' | 'pending';
    /** POST attempts made. */
    attempts: number;
    /** Deliveries this entry stands for (default 1). */
    count?: number;
  }[];
}

type Entry = DeliverySummary['deliveries'][number];
/** How many deliveries the entries stand for. */
const total = (ds: readonly Entry[]): number => ds.reduce((n, d) => n + (d.count ?? 1), 0);

export interface ExpectationResult {
  /** Expectation key, e.g. `all_delivered`, `counts.call-completion`. */
  name: string;
  ok: boolean;
  expected: string;
  actual: string;
}

export interface ExpectationReport {
  ok: boolean;
  results: ExpectationResult[];
}

const describeCount = (c: CountSpec): string =>
  typeof c === 'number'
    ? String(c)
    : c.min !== undefined && c.max !== undefined
      ? `${c.min}..${c.max}`
      : c.min !== undefined
        ? `>= ${c.min}`
        : `<= ${c.max}`;

export function countMatches(c: CountSpec, n: number): boolean {
  if (typeof c === 'number') return n === c;
  return (c.min === undefined || n >= c.min) && (c.max === undefined || n <= c.max);
}

export function evaluateExpectations(
  expectations: ExpectationsSpec | undefined,
  summary: DeliverySummary,
): ExpectationReport {
  const results: ExpectationResult[] = [];
  const ds = summary.deliveries;
  const count = (name: string, spec: CountSpec, n: number): void => {
    results.push({ name, ok: countMatches(spec, n), expected: describeCount(spec), actual: String(n) });
  };
  const e = expectations ?? {};
  if (e.all_delivered !== undefined) {
    const undelivered = total(ds.filter((d) => d.outcome !== 'delivered'));
    const ok = e.all_delivered ? undelivered === 0 : undelivered > 0;
    results.push({
      name: 'all_delivered',
      ok,
      expected: e.all_delivered ? 'every delivery delivered' : 'at least one delivery not delivered',
      actual: `${total(ds) - undelivered} of ${total(ds)} delivered`,
    });
  }
  if (e.deliveries !== undefined) count('deliveries', e.deliveries, total(ds));
  // Delivered callbacks, not messages made: a handler that fails every one of a type must not
  // pass its count (what was made and not delivered is in the actual text).
  for (const [type, spec] of Object.entries(e.counts ?? {}) as [CallbackType, CountSpec][]) {
    const ofType = ds.filter((d) => d.type === type);
    const delivered = total(ofType.filter((d) => d.outcome === 'delivered'));
    results.push({
      name: `counts.${type}`,
      ok: countMatches(spec, delivered),
      expected: `${describeCount(spec)} delivered`,
      actual: `${delivered} delivered (of ${total(ofType)} made)`,
    });
  }
  for (const [type, spec] of Object.entries(e.delivered ?? {}) as [CallbackType, CountSpec][]) {
    count(`delivered.${type}`, spec, total(ds.filter((d) => d.type === type && d.outcome === 'delivered')));
  }
  if (e.failed !== undefined) count('failed', e.failed, total(ds.filter((d) => d.outcome === 'failed')));
  if (e.attempts !== undefined) {
    const spec = e.attempts;
    const bad = ds.filter((d) => !countMatches(spec, d.attempts));
    results.push({
      name: 'attempts',
      ok: bad.length === 0,
      expected: `${describeCount(spec)} per delivery`,
      actual:
        bad.length === 0
          ? `all ${total(ds)} deliveries`
          : `${total(bad)} deliveries outside (e.g. ${bad[0]!.type} with ${bad[0]!.attempts})`,
    });
  }
  if (e.total_attempts !== undefined) {
    count(
      'total_attempts',
      e.total_attempts,
      ds.reduce((a, d) => a + d.attempts * (d.count ?? 1), 0),
    );
  }
  return { ok: results.every((r) => r.ok), results };
}
