/**
 * The run report (`run --report file.json`): what was sent, to where, and how each attempt went.
 * Times are epoch milliseconds (numbers), as in the library's DeliveryRecord and the admin API;
 * payloads keep the vendor's own time format. Wall times and latencies are real measurements and
 * the only fields that differ between two runs of the same scenario, seed and start time under the virtual
 * clock (given a receiver that answers the same way) — `deterministicView` drops them.
 */
import { closeSync, openSync, readSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import type { CallbackPayload, CallbackType } from '../contract/callbacks.ts';
import type { ExpectationResult } from '../scenario/expectations.ts';
import type { AttemptError, DeliveryOutcome, DeliveryRecord } from '../delivery/types.ts';

export interface ReportAttempt {
  n: number;
  /** Clock instant the attempt was due, epoch ms (AttemptRecord.at). */
  at: number;
  status?: number;
  error?: AttemptError;
  /** Error detail (socket error code, deadline). */
  message?: string;
  latencyMs: number;
  /** The start of the answer body (`responseChars`, default 300 characters), when there was one. */
  response?: string;
}

/** Characters of each answer body a report keeps by default (the sender keeps the first KB). */
export const DEFAULT_RESPONSE_CHARS = 300;

/**
 * What became of a delivery: `delivered`, `exhausted` (every attempt failed), or — only in a run
 * that was stopped (`aborted`) — `stopped` (attempts made, retries cut short) or `not-attempted`.
 */
export type ReportOutcome = Exclude<DeliveryOutcome, 'pending'> | 'stopped' | 'not-attempted';

/** The first undelivered delivery of a type, for the failure summary. */
export interface FailureSample {
  id: string;
  url: string;
  /** The request body (the payload JSON), truncated to `responseChars`. */
  request: string;
  /** Its last attempt. */
  attempts: number;
  status?: number;
  error?: AttemptError;
  message?: string;
  response?: string;
}

/** Undelivered deliveries of one callback type. */
export interface TypeFailures {
  type: CallbackType;
  deliveries: number;
  undelivered: number;
  first: FailureSample;
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
  outcome: ReportOutcome;
  attempts: ReportAttempt[];
}

export interface TypeSummary {
  deliveries: number;
  delivered: number;
  exhausted: number;
  attempts: number;
}

export interface RunSummary extends TypeSummary {
  /** Deliveries neither delivered nor exhausted: only in a stopped run (`stopped` + `notAttempted`). */
  pending: number;
  /** Of those, the ones with attempts made (retries cut short) and the ones never attempted. */
  stopped: number;
  notAttempted: number;
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
  /** Set when the run was stopped early (connection failures, `--max-duration`): why. */
  aborted?: string;
  /** Contacts (list rows) the workflows were to call, and how many were finished. */
  contacts: { planned: number; finished: number };
  expectations: ExpectationOutcome[];
  summary: RunSummary;
  /** Per callback type with undelivered deliveries: how many, and the first one's exchange. */
  failures: TypeFailures[];
  deliveries: ReportDelivery[];
}

export const cut = (text: string, chars: number): string =>
  text.length > chars ? `${text.slice(0, chars)}…` : text;

export function outcomeOf(d: DeliveryRecord): ReportOutcome {
  if (d.outcome !== 'pending') return d.outcome;
  return d.attempts.length > 0 ? 'stopped' : 'not-attempted';
}

export function reportDelivery(d: DeliveryRecord, chars = DEFAULT_RESPONSE_CHARS): ReportDelivery {
  return {
    id: d.id,
    type: d.type,
    url: d.url,
    ...(d.workflowId !== undefined ? { workflowId: d.workflowId } : {}),
    ...(d.replayOf !== undefined ? { replayOf: d.replayOf } : {}),
    ...(d.duplicateOf !== undefined ? { duplicateOf: d.duplicateOf } : {}),
    ...(d.chaos !== undefined ? { chaos: [...d.chaos] } : {}),
    payload: d.payload,
    outcome: outcomeOf(d),
    attempts: d.attempts.map((a) => ({
      n: a.n,
      at: a.at,
      ...(a.status !== undefined ? { status: a.status } : {}),
      ...(a.error !== undefined ? { error: a.error } : {}),
      ...(a.message !== undefined ? { message: a.message } : {}),
      latencyMs: a.latencyMs,
      ...(a.response && chars > 0 ? { response: cut(a.response, chars) } : {}),
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
  summary: RunSummary;
  failures: TypeFailures[];
  /** The report's deliveries, or none when they were streamed elsewhere (`writeJsonReport`). */
  deliveries: ReportDelivery[];
  expectations: ExpectationOutcome[];
  contacts?: { planned: number; finished: number };
  aborted?: string;
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
    // A stopped run proves nothing, whatever its expectations say.
    ok: r.aborted === undefined && r.expectations.every((e) => e.ok),
    ...(r.aborted !== undefined ? { aborted: r.aborted } : {}),
    contacts: r.contacts ?? { planned: 0, finished: 0 },
    expectations: r.expectations,
    summary: r.summary,
    failures: r.failures,
    deliveries: r.deliveries,
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

/**
 * `writeJsonReport` as the run goes: each delivery's entry is appended to `<path>.part` as it
 * settles (so memory does not grow with the campaign), and `finish` writes the report around
 * them. The file is byte-identical to `writeJsonReport` of the whole report.
 */
export interface ReportWriter {
  delivery(d: ReportDelivery): void;
  /** Write the report (its own `deliveries` ignored: the streamed ones take their place). */
  finish(report: RunReport): void;
  /** Remove the part file (a run that failed). */
  discard(): void;
}

/** Bytes buffered before a write to the part file. */
const CHUNK = 1 << 16;

export function createReportWriter(path: string): ReportWriter {
  const part = `${path}.part`;
  const fd = openSync(part, 'w');
  let buf = '';
  let count = 0;
  let closed = false;
  const flush = () => {
    if (buf.length > 0) writeSync(fd, buf);
    buf = '';
  };
  const close = () => {
    if (closed) return;
    closed = true;
    flush();
    closeSync(fd);
  };
  return {
    delivery(d) {
      // Indented as JSON.stringify(report, null, 2) indents an element of `deliveries`.
      buf += `${count++ === 0 ? '' : ',\n'}    ${JSON.stringify(d, null, 2).replace(/\n/g, '\n    ')}`;
      if (buf.length >= CHUNK) flush();
    },
    finish(report) {
      close();
      const head = JSON.stringify({ ...report, deliveries: [] }, null, 2);
      // The head ends with `"deliveries": []\n}`: the streamed entries go between the brackets.
      const open = head.slice(0, head.length - '[]\n}'.length);
      const out = openSync(path, 'w');
      try {
        if (count === 0) {
          writeSync(out, `${head}\n`);
          return;
        }
        writeSync(out, `${open}[\n`);
        copyInto(part, out);
        writeSync(out, '\n  ]\n}\n');
      } finally {
        closeSync(out);
        rmSync(part, { force: true });
      }
    },
    discard() {
      close();
      rmSync(part, { force: true });
    },
  };
}

function copyInto(from: string, to: number): void {
  const fd = openSync(from, 'r');
  const chunk = Buffer.alloc(CHUNK);
  try {
    for (let n = readSync(fd, chunk); n > 0; n = readSync(fd, chunk)) writeSync(to, chunk, 0, n);
  } finally {
    closeSync(fd);
  }
}
