/**
 * The `serve` console activity log: one line per delivery attempt and per workflow status change,
 * so a newcomer watching the terminal sees calls turn into callbacks, failures and retries:
 *
 *   10:00:12  call-completion  → http://127.0.0.1:4010/__emulator/sink/demo  503 (attempt 1/6, retry in 60 s)
 *   10:01:12  call-completion  → http://127.0.0.1:4010/__emulator/sink/demo  200 delivered on attempt 2
 *   10:05:00  workflow 044e1d00f13b1e019c7c2c30e3f63502 (retry_policy_check) Finished
 *
 * Times are clock times in the workflow's account time zone — the zone of the payloads' own
 * timestamps — so a log line can be matched with the payload it is about.
 */
import { nextAttemptAt } from '../core/retry-policy.ts';
import { formatVendorTime } from '../core/vendor-time.ts';
import type { AttemptRecord, DeliveryRecord } from '../delivery/types.ts';
import type { EmulatorEvent } from '../server/emulator.ts';

/** Wide enough for most callback names; longer ones push the line rather than being cut. */
const TYPE_WIDTH = 22;

export interface ActivityContext {
  /** Clock now (epoch ms), for when a failed attempt will be retried. */
  now: () => number;
  /** The account time zone of a workflow, when known. */
  timeZoneOf: (workflowId: string | undefined) => string | undefined;
}

/** `HH:mm:ss` in the time zone, or `HH:mm:ssZ` (UTC) when there is none. */
export function clockTime(at: number, timeZone: string | undefined): string {
  if (timeZone) {
    try {
      return formatVendorTime(at, timeZone).slice(11);
    } catch {
      // An unknown zone name: fall through to UTC rather than losing the line.
    }
  }
  return `${new Date(at).toISOString().slice(11, 19)}Z`;
}

/** A clock duration for people: `45 s`, `5 min`, `1.5 h`. */
export function humanDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 120) return `${s} s`;
  const min = s / 60;
  if (min < 120) return `${round1(min)} min`;
  return `${round1(min / 60)} h`;
}

const round1 = (n: number): string => String(Math.round(n * 10) / 10);

/** The attempt's answer: the HTTP status, else what went wrong (timeout, refused…). */
function answer(a: AttemptRecord): string {
  return a.status !== undefined ? String(a.status) : (a.error ?? 'failed');
}

export function formatAttempt(d: DeliveryRecord, a: AttemptRecord, ctx: ActivityContext): string {
  const max = d.policy.maxRetries + 1;
  const head = `${clockTime(a.at, ctx.timeZoneOf(d.workflowId))}  ${d.type.padEnd(TYPE_WIDTH)}  → ${d.url}  ${answer(a)}`;
  const replay = d.replayOf ? ` (replay of ${d.replayOf})` : '';
  if (a.ok) return `${head} delivered${a.n > 1 ? ` on attempt ${a.n}` : ''}${replay}`;
  const next = nextAttemptAt(a.n, a.at, Math.max(a.at, ctx.now()), d.policy);
  if (next === null) return `${head} (attempt ${a.n}/${max}) exhausted after ${a.n} attempts${replay}`;
  return `${head} (attempt ${a.n}/${max}, retry in ${humanDuration(next - a.at)})${replay}`;
}

/** One line for the event, or null for events the log leaves out (creation, final outcome). */
export function formatActivity(event: EmulatorEvent, ctx: ActivityContext): string | null {
  switch (event.type) {
    case 'delivery:attempt':
      return formatAttempt(event.delivery, event.attempt, ctx);
    case 'workflow:status':
      return `${clockTime(event.at, event.timeZone)}  workflow ${event.workflowId} (${event.workflowName}) ${event.status}`;
    case 'workflow:waiting':
      return (
        `${clockTime(event.at, event.timeZone)}  workflow ${event.workflowId} (${event.workflowName}) waiting for ` +
        `its calling window: next call at ${formatVendorTime(event.until, event.timeZone)} (${event.timeZone}), ` +
        `in ${humanDuration(event.until - event.at)} of clock time`
      );
    default:
      // delivered / exhausted are already said on the attempt's own line.
      return null;
  }
}

/** An `onEvent` handler writing each line to `write` (stdout for `serve`). */
export function createActivityLog(
  write: (line: string) => void,
  ctx: ActivityContext,
): (event: EmulatorEvent) => void {
  return (event) => {
    const line = formatActivity(event, ctx);
    if (line !== null) write(`${line}\n`);
  };
}
