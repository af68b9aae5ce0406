/**
 * Calling windows and recurring triggers as node-cron expressions, evaluated in the account's
 * time zone against *any* instant (virtual clock), never the wall clock. node-cron does the
 * parsing and matching — no hand-written cron code here.
 *
 * node-cron 4 only exposes "next run after now()"; the matcher behind a task (`timeMatcher`,
 * with `match(date)` and `getNextMatch(date)`) is internal, so it is reached through a narrow
 * typed cast, checked at creation and covered by test/engine/cron-calendar.test.ts.
 */
import { nodeCron } from './lazy-packages.ts';

interface TimeMatcher {
  match(date: Date): boolean;
  getNextMatch(date: Date): Date;
}

const matchers = new Map<string, TimeMatcher>();

function matcherFor(expr: string, timeZone: string): TimeMatcher {
  const key = `${timeZone}\u0000${expr}`;
  let m = matchers.get(key);
  if (!m) {
    const problem = cronProblem(expr);
    if (problem) throw new Error(`invalid cron expression "${expr}": ${problem}`);
    // createTask registers the task globally; it is never started, and destroyed at once so the
    // registry does not grow. The matcher keeps working after destroy (it holds no timers).
    const task = nodeCron().createTask(expr, () => undefined, { timezone: timeZone });
    const inner = (task as unknown as { timeMatcher?: Partial<TimeMatcher> }).timeMatcher;
    void task.destroy();
    if (!inner || typeof inner.match !== 'function' || typeof inner.getNextMatch !== 'function') {
      throw new Error('node-cron internals changed: ScheduledTask.timeMatcher.getNextMatch is missing');
    }
    m = inner as TimeMatcher;
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
  return matcherFor(expr, timeZone).getNextMatch(new Date(after)).getTime();
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
