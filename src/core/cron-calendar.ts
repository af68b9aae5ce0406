/**
 * Calling windows and recurring triggers as node-cron expressions, evaluated in the account's
 * time zone against *any* instant (virtual clock), never the wall clock. No hand-written cron code
 * here, and only public package APIs:
 *
 * - node-cron says whether an expression is valid (`validateDetailed`) and whether an instant
 *   matches it (`ScheduledTask.match`): node-cron's reading of an expression is the one that counts.
 * - node-cron 4 only answers "next run after the wall clock's now", so the next match after an
 *   arbitrary instant comes from croner (`Cron.nextRun(after)`, day-of-month AND day-of-week as in
 *   node-cron), and each candidate is confirmed with node-cron's `match` (a candidate node-cron
 *   does not match, e.g. croner's run after a DST gap, is skipped).
 */
import type { Cron } from 'croner';
import type { ScheduledTask } from 'node-cron';
import { croner, nodeCron } from './lazy-packages.ts';

interface Matcher {
  /** node-cron: does `date` match? */
  match(date: Date): boolean;
  /** croner, then node-cron: the first match strictly after `date`. */
  next(date: Date): Date;
}

/** How many croner candidates node-cron may turn down before giving up (each is a real run). */
const MAX_REJECTED = 10_000;

const matchers = new Map<string, Matcher>();

function matcherFor(expr: string, timeZone: string): Matcher {
  const key = `${timeZone}\u0000${expr}`;
  let m = matchers.get(key);
  if (!m) {
    const problem = cronProblem(expr);
    if (problem) throw new Error(`invalid cron expression "${expr}": ${problem}`);
    // createTask registers the task globally; it is never started, and destroyed at once so the
    // registry does not grow. `match` keeps working after destroy (it holds no timers).
    const task: ScheduledTask = nodeCron().createTask(expr, () => undefined, { timezone: timeZone });
    void task.destroy();
    let runs: Cron | undefined;
    const match = (date: Date): boolean => task.match(date);
    m = {
      match,
      next(date) {
        // Created on the first "next" question only: a window that is merely checked needs no croner.
        // No job function: croner schedules nothing, it only computes runs.
        runs ??= new (croner().Cron)(expr, { timezone: timeZone, domAndDow: true, sloppyRanges: true });
        let at = runs.nextRun(date);
        for (let rejected = 0; at && !match(at); rejected++) {
          if (rejected >= MAX_REJECTED) {
            throw new Error(
              `cron expression "${expr}": no match node-cron accepts after ${date.toISOString()}`,
            );
          }
          at = runs.nextRun(at);
        }
        if (!at) throw new Error(`cron expression "${expr}" never matches after ${date.toISOString()}`);
        return at;
      },
    };
    matchers.set(key, m);
  }
  return m;
}

/** Why `expr` is not a valid node-cron expression, or null when it is. */
export function cronProblem(expr: string): string | null {
  const r = nodeCron().validateDetailed(expr);
  if (r.valid) return null;
  return r.errors.map((e) => `${e.field}: ${e.message}`).join('; ') || 'invalid';
}

/** Granularity of an expression: 6 fields = seconds, 5 fields = whole minutes. */
function stepMs(expr: string): number {
  return expr.trim().split(/\s+/).length >= 6 ? 1000 : 60_000;
}

/**
 * Is instant `t` (epoch ms) inside the window `expr` in `timeZone`? A 5-field expression names
 * whole minutes ("* 8-20 * * 1-6" = every minute from 08:00 to 20:59, Monday to Saturday), so
 * `t` is truncated to its minute (to its second for a 6-field expression).
 */
export function isInWindow(expr: string, timeZone: string, t: number): boolean {
  const step = stepMs(expr);
  return matcherFor(expr, timeZone).match(new Date(Math.floor(t / step) * step));
}

/** `after` itself when inside the window, else the start of the next window (epoch ms). */
export function nextWindowStart(expr: string, timeZone: string, after: number): number {
  if (isInWindow(expr, timeZone, after)) return after;
  return matcherFor(expr, timeZone).next(new Date(after)).getTime();
}

/**
 * A memoised calendar over one or more window expressions (open when any matches). The engine
 * asks per dial, so answers are cached per minute/second slot.
 */
export interface WindowCalendar {
  isOpen(t: number): boolean;
  /** `t` when open, else the earliest next window start over all expressions. */
  nextOpen(t: number): number;
  /** End of the open stretch containing `t` (first closed slot), searched up to `horizonMs`. */
  closesAt(t: number, horizonMs?: number): number;
}

const calendars = new Map<string, WindowCalendar>();

/** Calendars are shared per (expressions, time zone): their memo serves every campaign. */
export function createWindowCalendar(exprs: readonly string[], timeZone: string): WindowCalendar {
  const key = `${timeZone}\u0000${exprs.join('\u0000')}`;
  let cal = calendars.get(key);
  if (!cal) {
    if (calendars.size > 1000) calendars.clear();
    cal = buildCalendar(exprs, timeZone);
    calendars.set(key, cal);
  }
  return cal;
}

function buildCalendar(exprs: readonly string[], timeZone: string): WindowCalendar {
  if (exprs.length === 0) throw new Error('a calling window needs at least one cron expression');
  // "Every minute of every day" is the common default: no need to ask node-cron.
  const always = exprs.some((e) => /^(\*\s+){4}\*$/.test(e.trim()) || /^(\*\s+){5}\*$/.test(e.trim()));
  for (const e of exprs) matcherFor(e, timeZone);
  const step = Math.min(...exprs.map(stepMs));
  const memo = new Map<number, boolean>();
  const isOpen = (t: number): boolean => {
    if (always) return true;
    const slot = Math.floor(t / step);
    let v = memo.get(slot);
    if (v === undefined) {
      v = exprs.some((e) => isInWindow(e, timeZone, slot * step));
      if (memo.size > 100_000) memo.clear();
      memo.set(slot, v);
    }
    return v;
  };
  return {
    isOpen,
    nextOpen(t) {
      if (isOpen(t)) return t;
      let best = Infinity;
      for (const e of exprs) best = Math.min(best, nextWindowStart(e, timeZone, t));
      return best;
    },
    closesAt(t, horizonMs = 86_400_000) {
      if (always) return t + horizonMs;
      let s = Math.floor(t / step) * step;
      const end = t + horizonMs;
      while (s < end && isOpen(s)) s += step;
      return Math.min(s, end);
    },
  };
}
