/**
 * What `run` keeps of its deliveries: counters, per-type failure samples and the expectations'
 * inputs, fed each delivery once it settles, in creation order (a reorder buffer holds the settled
 * ones a still-pending earlier delivery keeps back). Each report entry goes to `emit` (a file, or
 * the caller's array) and nothing else of the delivery is kept: memory does not grow with the
 * campaign, except for the deliveries still pending and those held back behind them.
 */
import type { CallbackType } from '../contract/callbacks.ts';
import type { DeliveryRecord } from '../delivery/types.ts';
import type { DeliverySummary } from '../scenario/expectations.ts';
import {
  cut,
  reportDelivery,
  type ReportDelivery,
  type RunSummary,
  type TypeFailures,
  type TypeSummary,
} from './report.ts';

export interface RunTally {
  /** A delivery was created (creation order is the report's order). */
  created(d: DeliveryRecord): void;
  /** It was delivered or exhausted. */
  settled(d: DeliveryRecord): void;
  /** Everything left (a stopped run's pending deliveries) goes out, in order. */
  flush(): void;
  summary(): RunSummary;
  failures(): TypeFailures[];
  /** The latest attempt instant of any delivery. */
  lastAttemptAt(): number;
  /** What the expectations read of every delivery tallied: alike ones grouped, in order. */
  shapes(): DeliverySummary['deliveries'];
}

type Shape = Omit<DeliverySummary['deliveries'][number], 'count'> & { n: number };

const emptyType = (): TypeSummary => ({ deliveries: 0, delivered: 0, exhausted: 0, attempts: 0 });

export function createRunTally(opts: { chars: number; emit: (d: ReportDelivery) => void }): RunTally {
  /** Created and not yet emitted, by creation number. */
  const waiting = new Map<number, { rec: DeliveryRecord; settled: boolean }>();
  let next = 0;
  let head = 0;
  let lastAt = -Infinity;
  const summary: RunSummary = { ...emptyType(), pending: 0, stopped: 0, notAttempted: 0, byType: {} };
  const failures = new Map<CallbackType, TypeFailures>();
  /** Per-delivery facts the expectations read: (type, outcome, attempts) → how many, first seen. */
  const shapes = new Map<string, Shape>();

  function take(rec: DeliveryRecord): void {
    const t = (summary.byType[rec.type] ??= emptyType());
    for (const s of [summary, t]) {
      s.deliveries++;
      s.attempts += rec.attempts.length;
      if (rec.outcome === 'delivered') s.delivered++;
      if (rec.outcome === 'exhausted') s.exhausted++;
    }
    if (rec.outcome === 'pending') {
      summary.pending++;
      if (rec.attempts.length > 0) summary.stopped++;
      else summary.notAttempted++;
    }
    for (const a of rec.attempts) lastAt = Math.max(lastAt, a.at);
    noteFailure(rec);
    const outcome = rec.outcome === 'exhausted' ? 'failed' : rec.outcome;
    const key = `${rec.type} ${outcome} ${rec.attempts.length}`;
    const shape = shapes.get(key);
    if (shape) shape.n++;
    else shapes.set(key, { type: rec.type, outcome, attempts: rec.attempts.length, n: 1 });
    opts.emit(reportDelivery(rec, opts.chars));
  }

  function noteFailure(d: DeliveryRecord): void {
    if (d.outcome === 'delivered') return;
    const f = failures.get(d.type);
    if (f) {
      f.undelivered++;
      return;
    }
    failures.set(d.type, {
      type: d.type,
      deliveries: 0,
      undelivered: 1,
      first: failureSample(d, opts.chars),
    });
  }

  function drain(all: boolean): void {
    for (let w = waiting.get(head); w !== undefined && (all || w.settled); w = waiting.get(head)) {
      waiting.delete(head++);
      take(w.rec);
    }
  }

  const byId = new Map<string, number>();
  return {
    created(d) {
      byId.set(d.id, next);
      waiting.set(next++, { rec: d, settled: false });
    },
    settled(d) {
      const n = byId.get(d.id);
      if (n === undefined) return;
      byId.delete(d.id);
      waiting.get(n)!.settled = true;
      drain(false);
    },
    flush() {
      byId.clear();
      drain(true);
    },
    summary: () => summary,
    failures() {
      for (const f of failures.values()) f.deliveries = summary.byType[f.type]!.deliveries;
      return [...failures.values()];
    },
    lastAttemptAt: () => lastAt,
    shapes: () => [...shapes.values()].map(({ n, ...rest }) => ({ ...rest, count: n })),
  };
}

function failureSample(d: DeliveryRecord, chars: number): TypeFailures['first'] {
  const a = d.attempts.at(-1);
  return {
    id: d.id,
    url: d.url,
    request: cut(JSON.stringify(d.payload), chars),
    attempts: d.attempts.length,
    ...(a?.status !== undefined ? { status: a.status } : {}),
    ...(a?.error !== undefined ? { error: a.error } : {}),
    ...(a?.message !== undefined ? { message: a.message } : {}),
    ...(a?.response !== undefined ? { response: cut(a.response, chars) } : {}),
  };
}
