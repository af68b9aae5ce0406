/**
 * Fast "YYYY-MM-DD HH:mm:ss" in a time zone for the payload hot path. Intl.formatToParts costs
 * microseconds per call; zone offsets only change on quarter-hour UTC boundaries (every zone's
 * offset is a multiple of 15 minutes), so the offset is looked up once per 15-minute bucket and
 * the rest is UTC arithmetic. Checked against core/vendor-time.ts formatVendorTime in tests.
 */
import { zoneOffsetMs } from '../core/vendor-time.ts';

const BUCKET = 900_000;
const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

export interface TimeFormatter {
  time(ms: number): string;
  date(ms: number): string;
  /** Local calendar date `days` after the date of `ms`. */
  dateAfter(ms: number, days: number): string;
}

export function createTimeFormatter(timeZone: string): TimeFormatter {
  const offsets = new Map<number, number>();
  const local = (ms: number): Date => {
    const b = Math.floor(ms / BUCKET);
    let off = offsets.get(b);
    if (off === undefined) {
      off = zoneOffsetMs(b * BUCKET, timeZone);
      if (offsets.size > 50_000) offsets.clear();
      offsets.set(b, off);
    }
    return new Date(Math.floor(ms / 1000) * 1000 + off);
  };
  const date = (d: Date): string =>
    `${String(d.getUTCFullYear()).padStart(4, '0')}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
  return {
    time(ms) {
      const d = local(ms);
      return `${date(d)} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
    },
    date: (ms) => date(local(ms)),
    dateAfter(ms, days) {
      const d = local(ms);
      return date(new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + days)));
    },
  };
}

/** "HH:mm:ss" for an offset in whole seconds (asr_result[].time). */
export function clockOffset(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  return `${pad2(h)}:${pad2(m)}:${pad2(seconds % 60)}`;
}
