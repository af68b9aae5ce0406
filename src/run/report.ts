/**
 * The run report (`run --report file.json`): what was sent, to where, and how each attempt went.
 * Times are epoch milliseconds (numbers), as in the library's DeliveryRecord and the admin API;
 * payloads keep the vendor's own time format. Wall times and latencies are real measurements and
 * the only fields that differ between two runs of the same scenario, seed and start time under the virtual
 * clock (given a receiver that answers the same way) — `deterministicView` drops them.
 */
import { writeFileSync } from 'node:fs';
import type { CallbackPayload, CallbackType } from '../contract/callbacks.ts';
import type { ExpectationResult } from '../scenario/expectations.ts';
import type { AttemptError, DeliveryOutcome, DeliveryRecord } from '../delivery/types.ts';

export interface ReportAttempt {
  n: number;
  /** Clock instant the attempt was due, epoch ms (AttemptRecord.at). */
  at: number;
  status?: number;
  error?: AttemptError;
  latencyMs: number;
}

export interface ReportDelivery {
  id: string;
  type: CallbackType;
  url: string;
  workflowId?: string;
  replayOf?: string;
  duplicateOf?: string;
  chaos?: string[];
  payload: CallbackPayload;
  outcome: DeliveryOutcome;
  attempts: ReportAttempt[];
}

export interface TypeSummary {
  deliveries: number;
  delivered: number;
  exhausted: number;
  attempts: number;
}

export interface RunSummary extends TypeSummary {
  pending: number;
  byType: Partial<Record<CallbackType, TypeSummary>>;
}

/** One checked expectation (the scenario evaluator's result, src/scenario/expectations.ts). */
export type ExpectationOutcome = ExpectationResult;

export interface RunReport {
  scenario: string;
  file?: string;
  seed: number;
  /** Clock mode: `virtual`, `real` or `scaled:<n>`. */
  clock: string;
  timeZone: string;
  /** Clock and real (wall) time the run started, epoch ms. */
  start: { clock: number; wall: number };
  /** The last planned clock instant (event or attempt) and the real time the run ended, epoch ms. */
  end: { clock: number; wall: number };
  ok: boolean;
  expectations: ExpectationOutcome[];
  summary: RunSummary;
  deliveries: ReportDelivery[];
}

export function summarize(deliveries: readonly DeliveryRecord[]): RunSummary {
  const empty = (): TypeSummary => ({ deliveries: 0, delivered: 0, exhausted: 0, attempts: 0 });
  const out: RunSummary = { ...empty(), pending: 0, byType: {} };
  for (const d of deliveries) {
    const t = (out.byType[d.type] ??= empty());
    for (const s of [out, t]) {
      s.deliveries++;
      s.attempts += d.attempts.length;
      if (d.outcome === 'delivered') s.delivered++;
      if (d.outcome === 'exhausted') s.exhausted++;
    }
    if (d.outcome === 'pending') out.pending++;
  }
  return out;
}

export function reportDelivery(d: DeliveryRecord): ReportDelivery {
  return {
    id: d.id,
    type: d.type,
    url: d.url,
    ...(d.workflowId !== undefined ? { workflowId: d.workflowId } : {}),
    ...(d.replayOf !== undefined ? { replayOf: d.replayOf } : {}),
    ...(d.duplicateOf !== undefined ? { duplicateOf: d.duplicateOf } : {}),
    ...(d.chaos !== undefined ? { chaos: [...d.chaos] } : {}),
    payload: d.payload,
    outcome: d.outcome,
    attempts: d.attempts.map((a) => ({
      n: a.n,
      at: a.at,
      ...(a.status !== undefined ? { status: a.status } : {}),
      ...(a.error !== undefined ? { error: a.error } : {}),
      latencyMs: a.latencyMs,
    })),
  };
}

export interface ReportInput {
  scenario: string;
  file?: string;
  seed: number;
  clock: string;
  timeZone: string;
  startClock: number;
  endClock: number;
  startWall: number;
  endWall: number;
  deliveries: readonly DeliveryRecord[];
  expectations: ExpectationOutcome[];
}

export function buildReport(r: ReportInput): RunReport {
  return {
    scenario: r.scenario,
    ...(r.file !== undefined ? { file: r.file } : {}),
    seed: r.seed,
    clock: r.clock,
    timeZone: r.timeZone,
    start: { clock: r.startClock, wall: r.startWall },
    end: { clock: r.endClock, wall: r.endWall },
    ok: r.expectations.every((e) => e.ok),
    expectations: r.expectations,
    summary: summarize(r.deliveries),
    deliveries: r.deliveries.map(reportDelivery),
  };
}

/**
 * The report without real-time measurements (wall times, latencies): byte-identical for the same
 * scenario, seed and start time under the virtual clock, given the same receiver behaviour.
 * Under real and scaled clocks attempt times follow the host timers and are not reproducible.
 */
export function deterministicView(report: RunReport): unknown {
  return {
    ...report,
    start: { clock: report.start.clock },
    end: { clock: report.end.clock },
    deliveries: report.deliveries.map((d) => ({
      ...d,
      attempts: d.attempts.map(({ latencyMs: _latency, ...rest }) => rest),
    })),
  };
}

export function writeJsonReport(path: string, report: RunReport): void {
  writeFileSync(path, `${JSON.stringify(report, null, 2)}\n`);
}
