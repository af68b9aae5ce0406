/**
 * Recurring triggers on any Clock. node-cron's own scheduler reads the host timers and `new Date()`,
 * so under a virtual clock it would fire at wall instants (or report "missed" runs after a jump).
 * Here node-cron only answers "which instant comes next" (through src/core/cron-calendar.ts) and
 * the Clock does the waiting. Each next instant is computed from the previous *planned* instant, not
 * from now(): no drift, and a clock jump over several instants still runs each one, in order.
 */
import type { Clock, TimerHandle } from '../core/clock.ts';
import { cronProblem, nextWindowStart } from '../core/cron-calendar.ts';

export interface CronJob {
  /** Next planned instant (epoch ms), or null once stopped / finished. */
  nextRun(): number | null;
  /** How many times `fn` has run. */
  runs(): number;
  stop(): void;
}

export interface CronOptions {
  /** Stop after this many runs. */
  maxRuns?: number;
  /** Do not run at or after this clock instant (epoch ms). */
  until?: number;
}

function stepMs(expr: string): number {
  // A 6-field expression has a seconds field; 5 fields name whole minutes.
  return expr.trim().split(/\s+/).length >= 6 ? 1000 : 60_000;
}

/** The first instant strictly after `after` at which `expr` fires in `timeZone`. */
export function nextCronInstant(expr: string, timeZone: string, after: number): number {
  const step = stepMs(expr);
  const candidate = Math.ceil((after + 1) / step) * step;
  return nextWindowStart(expr, timeZone, candidate);
}

/**
 * Run `fn(instant)` at every instant matching `expr` in `timeZone`, strictly after the clock's
 * current time. Throws on an invalid expression.
 */
export function scheduleCron(
  clock: Clock,
  expr: string,
  timeZone: string,
  fn: (instant: number) => void,
  opts: CronOptions = {},
): CronJob {
  const problem = cronProblem(expr);
  if (problem) throw new Error(`invalid cron expression "${expr}": ${problem}`);
  let runs = 0;
  let next: number | null = null;
  let handle: TimerHandle | null = null;

  const arm = (after: number) => {
    const at = nextCronInstant(expr, timeZone, after);
    if (
      (opts.until !== undefined && at >= opts.until) ||
      (opts.maxRuns !== undefined && runs >= opts.maxRuns)
    ) {
      next = null;
      handle = null;
      return;
    }
    next = at;
    handle = clock.setTimer(() => {
      runs++;
      // Arm first so the job's own exceptions cannot stop the schedule.
      arm(at);
      fn(at);
    }, at - clock.now());
  };
  arm(clock.now());

  return {
    nextRun: () => next,
    runs: () => runs,
    stop() {
      if (handle) clock.clearTimer(handle);
      handle = null;
      next = null;
    },
  };
}
