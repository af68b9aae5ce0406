/**
 * The vendor's "YYYY-MM-DD HH:mm:ss" in a zone is computed from a per-hour offset cache instead of
 * Intl on every call: it must stay exactly Intl's answer, around DST transitions included, for
 * zones with and without DST, half- and quarter-hour offsets and southern-hemisphere rules.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  formatVendorTime,
  intlLocalParts,
  localParts,
  parseVendorTime,
  zoneOffsetMs,
} from '../../src/core/vendor-time.ts';
import { Rng } from '../../src/engine/rng.ts';

const ZONES = [
  'America/New_York',
  'Europe/London',
  'Europe/Berlin',
  'Australia/Sydney',
  'Australia/Lord_Howe',
  'America/Santiago',
  'Asia/Kathmandu',
  'Asia/Kolkata',
  'Asia/Jakarta',
  'Pacific/Chatham',
  'America/St_Johns',
  'UTC',
];

const HOUR = 3_600_000;
const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const intlText = (ms: number, zone: string) => {
  const p = intlLocalParts(ms, zone);
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)} ${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}`;
};

/** The instants where a zone's offset changes between `from` and `to` (to the second). */
function transitions(zone: string, from: number, to: number): number[] {
  const out: number[] = [];
  const offset = (ms: number) => {
    const p = intlLocalParts(ms, zone);
    return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(ms / 1000) * 1000;
  };
  // A day apart: no zone changes its offset twice within a day.
  for (let t = from; t < to; t += 24 * HOUR) {
    if (offset(t) === offset(t + 24 * HOUR)) continue;
    let lo = t;
    let hi = t + 24 * HOUR;
    while (hi - lo > 1000) {
      const mid = Math.floor((lo + hi) / 2000) * 1000;
      if (offset(mid) === offset(t)) lo = mid;
      else hi = mid;
    }
    out.push(hi);
  }
  return out;
}

describe('vendor time: the cached offsets agree with Intl', () => {
  it('every second around each DST transition of 2024-2026, in every zone', () => {
    const from = Date.UTC(2024, 0, 1);
    const to = Date.UTC(2027, 0, 1);
    let edges = 0;
    for (const zone of ZONES) {
      for (const edge of transitions(zone, from, to)) {
        edges++;
        // Each second of the quarter hour either side, and the hour edges around it.
        for (let t = edge - 900_000; t <= edge + 900_000; t += 1000) {
          assert.equal(
            formatVendorTime(t, zone),
            intlText(t, zone),
            `${zone} at ${new Date(t).toISOString()}`,
          );
          assert.deepEqual(localParts(t + 999, zone), intlLocalParts(t + 999, zone));
        }
      }
    }
    assert.ok(edges >= 40, `transitions found: ${edges}`);
  });

  it('30,000 random instants from 1900 to 2100, in random zones (sub-second too)', () => {
    const rng = new Rng(20261201);
    const from = Date.UTC(1900, 0, 1);
    const span = Date.UTC(2100, 0, 1) - from;
    for (let i = 0; i < 30_000; i++) {
      const zone = ZONES[Math.floor(rng.unit() * ZONES.length)]!;
      const t = from + Math.floor(rng.unit() * span);
      assert.equal(formatVendorTime(t, zone), intlText(t, zone), `${zone} at ${t}`);
    }
  });

  it('parses local wall times back to the instant Intl prints them for, across transitions', () => {
    for (const zone of ZONES) {
      for (const edge of transitions(zone, Date.UTC(2025, 0, 1), Date.UTC(2026, 0, 1))) {
        for (let t = edge - 2 * HOUR; t <= edge + 2 * HOUR; t += 60_000) {
          const text = intlText(t, zone);
          const back = parseVendorTime(text, zone)!;
          // A wall time repeated by a fall-back maps to one of its two instants; either prints the same.
          assert.equal(intlText(back, zone), text, `${zone} ${text}`);
          assert.equal(zoneOffsetMs(t, zone), Date.parse(`${text.replace(' ', 'T')}Z`) - t);
        }
      }
    }
  });
});
