/**
 * The dial plan of a Voicebot Call node: after each dial, whether the number is redialled, the
 * row's next number is dialled, or the row moves on; and what a finished number reports.
 * Every wait lands in the node's calling window.
 */
import type { WindowCalendar } from '../core/cron-calendar.ts';
import type { DetailResult } from '../generated/types.ts';
import type { DialRecord } from './dial-record.ts';
import type { CallTask } from './payloads/context.ts';

/**
 * Outcomes that mean the number itself is unusable (its ring type, or rejected before dialling):
 * an exhausted number reports `failed`.
 */
const INVALID_NUMBER: ReadonlySet<string> = new Set([
  'wrongnum',
  'unregister',
  'notmatch',
  'cantuse',
  'invalid_number',
]);

/** What follows a dial that just ended. */
export type NextStep =
  /** Dial the same number again at `at`. */
  | { kind: 'redial'; at: number }
  /** The number is done (`result`); the row was cancelled meanwhile and stops here. */
  | { kind: 'cancelled'; result: DetailResult }
  /** The number is done (`result`) and so is the node for this row: on to the next node. */
  | { kind: 'next-node'; result: DetailResult }
  /** The number is done (`result`); the row's next number is dialled at `at`. */
  | { kind: 'next-number'; result: DetailResult; at: number };

/**
 * The step after dial `d` of row number `numberIndex` (of `numbers`) in `task`, ended at `at`.
 * Unanswered dials are redialled until `repeat_number` redials are used up, unless the row was
 * cancelled; a number that connects, or the last number, ends the node for the row.
 */
export function nextStep(
  d: DialRecord,
  task: CallTask,
  row: { numberIndex: number; numbers: number; cancelRequested: boolean },
  at: number,
  calendar: WindowCalendar,
): NextStep {
  const exhausted = d.attempt >= task.spec.repeat_number + 1;
  if (!d.answered && !exhausted && !row.cancelRequested) {
    return {
      kind: 'redial',
      at: calendar.nextOpen(at + task.spec.repeat_interval * 60_000 + d.redialDelayMs),
    };
  }
  const result = numberResult(d, row.cancelRequested);
  if (row.cancelRequested) return { kind: 'cancelled', result };
  if (d.answered || row.numberIndex >= row.numbers - 1) return { kind: 'next-node', result };
  return { kind: 'next-number', result, at: calendar.nextOpen(at + d.nextNumberDelayMs) };
}

/** What a finished number reports, from its last dial. */
export function numberResult(last: DialRecord, cancelRequested: boolean): DetailResult {
  if (last.answered) return 'finished';
  if (cancelRequested) return 'cancelled';
  return INVALID_NUMBER.has(last.outcome) ? 'failed' : 'finished';
}
