/**
 * Fast "YYYY-MM-DD HH:mm:ss" in a time zone for the payload hot path. Intl.formatToParts costs
 * microseconds per call; zone offsets only change on quarter-hour UTC boundaries (every zone's
 * offset is a multiple of 15 minutes), so the offset is looked up once per 15-minute bucket, the
 * date part once per local day, and the rest is integer arithmetic on the local second of the
 * day (no Date objects). Checked against core/vendor-time.ts formatVendorTime in tests.
 */
import { zoneOffsetMs } from '../core/vendor-time.ts';

const BUCKET = 900_000;
const DAY_S = 86_400;
/** "00" .. "99". */
const P2: string[] = Array.from({ length: 100 }, (_, i) => (i < 10 ? `0${i}` : String(i)));
const pad2 = (n: number): string => (n < 100 ? P2[n]! : String(n));

export interface TimeFormatter {
  time(ms: number): string;
  date(ms: number): string;
  /** Local calendar date `days` after the date of `ms`. */
  dateAfter(ms: number, days: number): string;
}

/** "YYYY-MM-DD" of a day number (days since 1970-01-01). */
function dayString(day: number): string {
  const d = new Date(day * DAY_S * 1000);
  return `${String(d.getUTCFullYear()).padStart(4, '0')}-${P2[d.getUTCMonth() + 1]}-${P2[d.getUTCDate()]}`;
}

const shared = new Map<string, TimeFormatter>();

/** The formatter of `timeZone` (one per zone and process: its caches serve every campaign). */
export function createTimeFormatter(timeZone: string): TimeFormatter {
  let f = shared.get(timeZone);
  if (!f) {
    f = buildFormatter(timeZone);
    shared.set(timeZone, f);
  }
  return f;
}

function buildFormatter(timeZone: string): TimeFormatter {
  const offsets = new Map<number, number>();
  let lastBucket = NaN;
  let lastOffset = 0;
  /** Local wall-clock second (seconds since the local epoch) of instant `ms`. */
  const localSecond = (ms: number): number => {
    const b = Math.floor(ms / BUCKET);
    if (b !== lastBucket) {
      let off = offsets.get(b);
      if (off === undefined) {
        off = zoneOffsetMs(b * BUCKET, timeZone);
        if (offsets.size > 50_000) offsets.clear();
        offsets.set(b, off);
      }
      lastBucket = b;
      lastOffset = off;
    }
    return Math.floor(ms / 1000) + lastOffset / 1000;
  };
  const days = new Map<number, string>();
  let lastDay = NaN;
  let lastDayText = '';
  const day = (n: number): string => {
    if (n === lastDay) return lastDayText;
    let s = days.get(n);
    if (s === undefined) {
      s = dayString(n);
      if (days.size > 10_000) days.clear();
      days.set(n, s);
    }
    lastDay = n;
    lastDayText = s;
    return s;
  };
  return {
    time(ms) {
      const s = localSecond(ms);
      const d = Math.floor(s / DAY_S);
      const tod = s - d * DAY_S;
      const h = Math.floor(tod / 3600);
      const m = Math.floor((tod - h * 3600) / 60);
      return `${day(d)} ${P2[h]}:${P2[m]}:${P2[tod - h * 3600 - m * 60]}`;
    },
    date: (ms) => day(Math.floor(localSecond(ms) / DAY_S)),
    dateAfter: (ms, n) => day(Math.floor(localSecond(ms) / DAY_S) + n),
  };
}

/** "HH:mm:ss" for an offset in whole seconds (asr_result[].time). */
export function clockOffset(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  return `${pad2(h)}:${P2[m]}:${P2[seconds % 60]}`;
}
