/**
 * AIRUDDER prints times as "YYYY-MM-DD HH:mm:ss" in the account's time zone, with no offset.
 * Pure helpers. Intl is exact but slow (formatToParts costs microseconds, on every request of the
 * hot paths), so a zone's offset is read from Intl once per clock hour and cached: an hour whose
 * start and end have the same offset has it throughout (no zone changes its offset twice within an
 * hour); an hour with a change in it (a DST edge) asks Intl on every call, so the answer stays
 * exact across transitions.
 */
import { integerProblem } from './option-checks.ts';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/**
 * The last instant the vendor's "YYYY-MM-DD HH:mm:ss" can write (a 4-digit year, with a day of
 * margin for any time zone): no clock may move past it, or every payload and view would break.
 */
export const MAX_CLOCK_TIME = Date.UTC(9999, 11, 30, 23, 59, 59);

/** Unless `ms` is a whole number of ms that keeps the clock at or before MAX_CLOCK_TIME: why not. */
export function clockAdvanceProblem(now: number, ms: unknown): string | undefined {
  const problem = integerProblem('ms', ms, 0, Math.max(0, MAX_CLOCK_TIME - now));
  if (problem === undefined) return undefined;
  return `${problem}: the clock cannot move past 9999-12-30 23:59:59 UTC, the last time the vendor's "YYYY-MM-DD HH:mm:ss" can write`;
}

export interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** The exact local fields from Intl (the reference the cache is filled from). */
export function intlLocalParts(epochMs: number, timeZone: string): LocalParts {
  const parts: Record<string, string> = {};
  for (const p of formatterFor(timeZone).formatToParts(new Date(epochMs))) parts[p.type] = p.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
  };
}

const HOUR_MS = 3_600_000;
/** Cached hours per zone before the zone's cache starts over (bounds memory on a long session). */
const MAX_CACHED_HOURS = 4096;
/** Per zone: clock hour → offset in ms, or null for an hour with a change of offset inside it. */
const offsets = new Map<string, Map<number, number | null>>();

/** Offset from Intl: the local fields read as UTC, minus the instant (to the second). */
function intlOffset(epochMs: number, timeZone: string): number {
  const p = intlLocalParts(epochMs, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(epochMs / 1000) * 1000;
}

/** Offset of `timeZone` at `epochMs` in ms, cached per clock hour (see above). */
function offsetAt(epochMs: number, timeZone: string): number {
  let hours = offsets.get(timeZone);
  if (!hours) {
    hours = new Map();
    offsets.set(timeZone, hours);
  }
  const hour = Math.floor(epochMs / HOUR_MS);
  let off = hours.get(hour);
  if (off === undefined) {
    const start = intlOffset(hour * HOUR_MS, timeZone);
    off = start === intlOffset(hour * HOUR_MS + HOUR_MS - 1, timeZone) ? start : null;
    if (hours.size >= MAX_CACHED_HOURS) hours.clear();
    hours.set(hour, off);
  }
  return off ?? intlOffset(epochMs, timeZone);
}

/** The local date and time fields of `epochMs` in `timeZone` (exact: the same as Intl's). */
export function localParts(epochMs: number, timeZone: string): LocalParts {
  const d = new Date(Math.floor(epochMs / 1000) * 1000 + offsetAt(epochMs, timeZone));
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
  };
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** "YYYY-MM-DD HH:mm:ss" in `timeZone`. */
export function formatVendorTime(epochMs: number, timeZone: string): string {
  const p = localParts(epochMs, timeZone);
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)} ${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}`;
}

/** Offset of `timeZone` from UTC at `epochMs`, in ms (local = utc + offset). */
export function zoneOffsetMs(epochMs: number, timeZone: string): number {
  return offsetAt(epochMs, timeZone);
}

/**
 * Parse "YYYY-MM-DD HH:mm:ss" (local to `timeZone`), optionally followed by an explicit
 * offset ("+08:00", as one real client sends `end_time`), or an ISO-8601 string. Returns epoch ms,
 * or null when the text is not a time.
 */
export function parseVendorTime(text: string, timeZone: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/.exec(text);
  if (!m) return null;
  const [, y, mo, d, h, mi, s, off] = m;
  const utc = Date.UTC(+y!, +mo! - 1, +d!, +h!, +mi!, +s!);
  if (Number.isNaN(utc)) return null;
  const check = new Date(utc);
  if (check.getUTCMonth() !== +mo! - 1 || check.getUTCDate() !== +d! || +h! > 23 || +mi! > 59 || +s! > 59) {
    return null;
  }
  if (off) {
    if (off === 'Z') return utc;
    const sign = off[0] === '-' ? -1 : 1;
    const digits = off.slice(1).replace(':', '');
    const offMs = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
    return utc - offMs;
  }
  // Local wall time in timeZone: correct by the zone offset (twice, to settle across DST edges).
  let guess = utc - zoneOffsetMs(utc, timeZone);
  guess = utc - zoneOffsetMs(guess, timeZone);
  return guess;
}
