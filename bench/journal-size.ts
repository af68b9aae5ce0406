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
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { journalPath } from '../src/store/journal.ts';
import { createEmulator } from '../src/server/emulator.ts';
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
export async function measureJournal(scenario = 'collection-ptp'): Promise<JournalMeasure> {
  const dir = mkdtempSync(join(tmpdir(), 'airudder-journal-size-'));
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

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const m = await measureJournal();
  process.stdout.write(
    `collection-ptp: ${m.bytes} bytes, ${m.lines} lines, ${m.deliveries} deliveries ` +
      `(${((m.bytes / FULL_PAYLOAD_BYTES) * 100).toFixed(1)}% of ${FULL_PAYLOAD_BYTES})\n`,
  );
}
