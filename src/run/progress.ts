/**
 * Progress output for `run`. On a terminal: one status line redrawn in place (at most ten times a
 * real second) with a bar of finished over planned contacts — the planned work, known once the
 * workflows exist, rather than deliveries, whose number grows as calls end. Otherwise (CI logs):
 * plain lines — the first exhausted delivery of each callback type with its last answer, a status
 * line at most every few real seconds, and the final summary.
 */
import { formatVendorTime } from '../core/vendor-time.ts';
import type { Wall } from '../clock/wall.ts';
import type { DeliveryRecord } from '../delivery/types.ts';
import type { EmulationEvent } from '../emulation/events.ts';

export interface ProgressOptions {
  out: { write(text: string): unknown; isTTY?: boolean };
  wall: Wall;
  /** Clock time source, shown in the account's time zone. */
  now: () => number;
  timeZone: string;
  quiet?: boolean;
}

export interface Progress {
  /** The work planned: the contacts the workflows will call. */
  onPlan(plan: { contacts: number }): void;
  /** Any event of the core's stream; contact and delivery events count. */
  onEvent(event: EmulationEvent): void;
  /** Clear the live line and print the final one. */
  finish(): void;
}

const BAR = 24;
/** Characters of an answer body a progress line shows. */
const BODY_CHARS = 120;

function exhaustedLine(d: DeliveryRecord): string {
  const a = d.attempts.at(-1);
  let why = 'no attempt';
  if (a?.status !== undefined) {
    const body = a.response
      ? a.response.slice(0, BODY_CHARS) + (a.response.length > BODY_CHARS ? '…' : '')
      : '';
    why = `HTTP ${a.status}${body ? ` ${JSON.stringify(body)}` : ''}`;
  } else if (a?.error !== undefined) why = a.message ? `${a.error} (${a.message})` : a.error;
  return `exhausted ${d.id} (${d.type}) after ${d.attempts.length} attempts, last: ${why}`;
}

export function createProgress(opts: ProgressOptions): Progress {
  const tty = opts.out.isTTY === true;
  const every = tty ? 100 : 5_000;
  let planned = 0;
  let finished = 0;
  let created = 0;
  let delivered = 0;
  let exhausted = 0;
  let attempts = 0;
  let last = -Infinity;
  const reported = new Set<string>();
  let drawn = false;

  const status = () => {
    const settled = delivered + exhausted;
    const clock = formatVendorTime(opts.now(), opts.timeZone);
    const counts = `${finished}/${planned} contacts, ${settled}/${created} deliveries settled (${delivered} delivered, ${exhausted} exhausted), ${attempts} attempts, clock ${clock}`;
    if (!tty) return counts;
    const filled = planned === 0 ? 0 : Math.min(BAR, Math.round((finished / planned) * BAR));
    return `[${'#'.repeat(filled)}${'-'.repeat(BAR - filled)}] ${counts}`;
  };
  const draw = (force = false) => {
    const t = opts.wall.now();
    if (!force && t - last < every) return;
    last = t;
    if (tty) {
      opts.out.write(`\r\u001b[2K${status()}`);
      drawn = true;
    } else opts.out.write(`${status()}\n`);
  };

  if (opts.quiet) return { onPlan: () => undefined, onEvent: () => undefined, finish: () => undefined };
  return {
    onPlan(plan) {
      planned = plan.contacts;
    },
    onEvent(e) {
      if (e.type === 'contact:finished') finished++;
      else if (e.type === 'delivery:created') created++;
      else if (e.type === 'delivery:attempt') attempts++;
      else if (e.type === 'delivery:delivered') delivered++;
      else if (e.type === 'delivery:exhausted') {
        exhausted++;
        // One line per type, not per delivery: the first says what the handler answered, and a
        // bug in one branch does not bury the log under hundreds of identical lines.
        if (reported.has(e.delivery.type)) return draw();
        reported.add(e.delivery.type);
        const line = `${exhaustedLine(e.delivery)} (further exhausted ${e.delivery.type} deliveries are counted, not listed)`;
        if (tty) opts.out.write(`\r\u001b[2K${line}\n`);
        else opts.out.write(`${line}\n`);
        drawn = false;
      } else return;
      draw();
    },
    finish() {
      if (tty && drawn) opts.out.write('\r\u001b[2K');
      opts.out.write(`${status()}\n`);
    },
  };
}
