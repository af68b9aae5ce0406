/**
 * Constant memory of `run`: a generated campaign (`large-campaign` with `generate.count` set) on
 * the virtual clock against an instant in-process receiver, end to end (rows made as the campaign
 * reaches them, every callback delivered and tallied, report built), each size in a child process
 * so its peak RSS is its own. Default 100,000 contacts; `npm run bench -- --huge` adds 1,000,000.
 * Each child runs with a 128 MB V8 heap limit (`--max-old-space-size`): a run that kept
 * something per contact would die out of memory; the default (uncapped) figures, where V8 lets
 * the heap grow before collecting, are in docs/benchmarks.md.
 */
import { execFileSync } from 'node:child_process';
import type { BenchResult } from './index.ts';

export const HEAP_LIMIT_MB = 128;

interface ChildResult {
  contacts: number;
  deliveries: number;
  receivedOnce: number;
  received: number;
  ok: boolean;
  wallMs: number;
  maxRssBytes: number;
}

export function runChild(contacts: number, heapLimitMb: number | null = HEAP_LIMIT_MB): ChildResult {
  const flags = heapLimitMb === null ? [] : [`--max-old-space-size=${heapLimitMb}`];
  const out = execFileSync(
    process.execPath,
    [...flags, '--import', 'tsx', new URL('./memory-child.ts', import.meta.url).pathname, String(contacts)],
    { encoding: 'utf8', maxBuffer: 1 << 20 },
  );
  return JSON.parse(out.trim().split('\n').at(-1)!) as ChildResult;
}

export async function bench(): Promise<BenchResult[]> {
  const sizes = process.argv.includes('--huge') ? [100_000, 1_000_000] : [100_000];
  const rows: BenchResult[] = [];
  for (const n of sizes) {
    const r = runChild(n);
    // Every callback received exactly once, and the run's own count agrees.
    const exact = r.ok && r.received === r.deliveries && r.receivedOnce === r.deliveries;
    if (!exact)
      throw new Error(`memory bench ${n}: callbacks not received exactly once: ${JSON.stringify(r)}`);
    const label = `run ${n.toLocaleString('en-US')} contacts`;
    rows.push({ name: `${label}: peak RSS`, value: r.maxRssBytes / 1e6, unit: 'MB', goal: '<= 300 MB' });
    rows.push({ name: `${label}: wall time`, value: r.wallMs / 1000, unit: 's' });
    rows.push({ name: `${label}: callbacks received once`, value: r.receivedOnce, unit: 'callbacks' });
  }
  return await Promise.resolve(rows);
}
