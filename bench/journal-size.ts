/**
 * Journal size of one `collection-ptp` run, measured as `serve` would make it: an emulator with a
 * data directory, a manual virtual clock and seed 1 (fixed start time), the scenario triggered
 * over the admin API, the clock run until idle, then the size of `journal.jsonl`. The callbacks go
 * to the built-in sink (the scenario's loopback URLs), which answers 200.
 *
 * The same measure, by hand:
 *
 *   airudder-emulator serve --port 4010 --data-dir D --clock virtual:manual --seed 1 \
 *     --start-time 2024-03-11T08:00:00Z --scenario collection-ptp
 *   curl -X POST localhost:4010/__emulator/scenarios/collection-ptp/trigger
 *   curl -X POST localhost:4010/__emulator/clock/run-until-idle
 *   wc -c D/journal.jsonl
 *
 * Goal: at most 25% of the 4.4 MB the full-payload journal wrote (issue 10). Run alone with
 * `tsx bench/journal-size.ts`, or through `npm run bench` (bench/index.ts).
 *
 * Opt-in, not in CI (it writes and reads 600+ MB): `tsx bench/journal-size.ts --large [MB]`
 * (default 640) builds a journal past that size — one run's journal behind that many MB of
 * history (the same run again and again, each ended by a reset) — and starts an emulator on it:
 * the file is read as a stream (the whole-file read before issue 13 failed past 512 MiB, V8's
 * longest string) and compacted on start to the live state, whose deliveries it checks.
 */
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { journalPath } from '../src/store/journal.ts';
import { buildEmulator, createEmulator } from '../src/server/emulator.ts';
import { encodeLine } from '../src/store/journal-line.ts';
import type { BenchResult } from './index.ts';

/** The journal of a collection-ptp run before issue 10 (every payload three times), in bytes. */
export const FULL_PAYLOAD_BYTES = 4_400_000;
export const START_TIME = Date.UTC(2024, 2, 11, 8, 0, 0);

export interface JournalMeasure {
  bytes: number;
  lines: number;
  deliveries: number;
}

/** Run `scenario` once with a journal in a fresh directory; its size, lines and deliveries. */
export async function measureJournal(scenario = 'collection-ptp', keep?: string): Promise<JournalMeasure> {
  const dir = keep ?? mkdtempSync(join(tmpdir(), 'airudder-journal-size-'));
  try {
    const emu = await createEmulator({
      dataDir: dir,
      clock: 'virtual:manual',
      seed: 1,
      startTime: START_TIME,
      scenarios: [scenario],
    });
    let deliveries: number;
    try {
      const post = (path: string) => fetch(`${emu.adminUrl}${path}`, { method: 'POST' });
      const t = await post(`/scenarios/${scenario}/trigger`);
      if (t.status !== 201) throw new Error(`trigger: ${t.status} ${await t.text()}`);
      const r = await post('/clock/run-until-idle');
      if (!r.ok) throw new Error(`run-until-idle: ${r.status} ${await r.text()}`);
      deliveries = emu.deliveries().length;
    } finally {
      await emu.close();
    }
    const text = readFileSync(journalPath(dir), 'utf8');
    return { bytes: Buffer.byteLength(text), lines: text.trimEnd().split('\n').length, deliveries };
  } finally {
    if (keep === undefined) rmSync(dir, { recursive: true, force: true });
  }
}

export interface LargeMeasure {
  bytes: number;
  /** The whole-file read the journal used before (readFileSync into one string): its error. */
  wholeFileRead: string;
  startMs: number;
  compactedBytes: number;
  deliveries: number;
  expectedDeliveries: number;
  heapMb: number;
}

/** A journal of `mb`+ MB (history behind resets, then one live run), and a start on it. */
export async function measureLargeJournal(mb: number): Promise<LargeMeasure> {
  const dir = mkdtempSync(join(tmpdir(), 'airudder-journal-large-'));
  try {
    const one = await measureJournal('collection-ptp', dir);
    const run = readFileSync(journalPath(dir), 'utf8');
    const reset = `${encodeLine({ k: 'reset', at: START_TIME })}\n`;
    const fd = openSync(journalPath(dir), 'w');
    const history = Buffer.from(run + reset);
    let bytes = 0;
    while (bytes < mb * 1_000_000) bytes += writeSync(fd, history);
    bytes += writeSync(fd, Buffer.from(run));
    closeSync(fd);
    let wholeFileRead = 'read';
    try {
      readFileSync(journalPath(dir), 'utf8');
    } catch (err) {
      wholeFileRead = (err as NodeJS.ErrnoException).code ?? String(err);
    }
    const t0 = performance.now();
    const emu = buildEmulator({
      dataDir: dir,
      clock: 'virtual:manual',
      seed: 1,
      scenarios: ['collection-ptp'],
    });
    const startMs = performance.now() - t0;
    const deliveries = emu.deliveries().length;
    await emu.close();
    return {
      bytes,
      wholeFileRead,
      startMs,
      compactedBytes: statSync(journalPath(dir)).size,
      deliveries,
      expectedDeliveries: one.deliveries,
      heapMb: process.memoryUsage().rss / 1e6,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function bench(): Promise<BenchResult[]> {
  const m = await measureJournal();
  return [
    {
      name: `journal of a collection-ptp run (${m.deliveries} deliveries, ${m.lines} lines)`,
      value: m.bytes,
      unit: 'bytes',
      baseline: FULL_PAYLOAD_BYTES,
      ratio: m.bytes / FULL_PAYLOAD_BYTES,
      goal: '<= 0.25',
    },
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href && process.argv[2] === '--large') {
  const m = await measureLargeJournal(Number(process.argv[3] ?? 640));
  process.stdout.write(
    `journal of ${(m.bytes / 1e6).toFixed(0)} MB (one collection-ptp run behind resets): ` +
      `whole-file read ${m.wholeFileRead}; streamed start ${(m.startMs / 1000).toFixed(1)} s, ` +
      `${m.deliveries} of ${m.expectedDeliveries} deliveries, compacted to ${(m.compactedBytes / 1e6).toFixed(2)} MB, ` +
      `rss ${m.heapMb.toFixed(0)} MB\n`,
  );
  if (m.deliveries !== m.expectedDeliveries) process.exitCode = 1;
} else if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const m = await measureJournal();
  process.stdout.write(
    `collection-ptp: ${m.bytes} bytes, ${m.lines} lines, ${m.deliveries} deliveries ` +
      `(${((m.bytes / FULL_PAYLOAD_BYTES) * 100).toFixed(1)}% of ${FULL_PAYLOAD_BYTES})\n`,
  );
}
