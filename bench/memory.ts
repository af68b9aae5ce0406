/**
 * Constant memory of `run`: a generated campaign (`large-campaign` with `generate.count` set) on
 * the virtual clock against an instant in-process receiver, end to end (rows made as the campaign
 * reaches them, every callback delivered and tallied, report built), each size in a child process
 * so its peak RSS is its own. Default 100,000 contacts under the scenario's calling window
 * (08:00-20:59: 100,000 rows at 600 a minute all fit in the first day); `npm run bench -- --huge`
 * adds 1,000,000 calling all day and 1,000,000 under the window, paced only while it is open
 * (`pacing.closed_window: pause`, as shipped). The child also takes `queue`: the window with rows
 * paced through the night, all dialling at the next opening (docs/benchmarks.md "Memory": out of
 * memory there at 1,000,000).
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

/**
 * `window`: `shipped` (the scenario's calling window, pacing paused while it is closed), `queue`
 * (the same window, rows paced through the night) or `all-day`.
 */
export type CallingWindow = 'shipped' | 'queue' | 'all-day';

export function runChild(
  contacts: number,
  window: CallingWindow = 'shipped',
  heapLimitMb: number | null = HEAP_LIMIT_MB,
): ChildResult {
  const flags = heapLimitMb === null ? [] : [`--max-old-space-size=${heapLimitMb}`];
  const child = new URL('./memory-child.ts', import.meta.url).pathname;
  const out = execFileSync(process.execPath, [...flags, '--import', 'tsx', child, String(contacts), window], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return JSON.parse(out.trim().split('\n').at(-1)!) as ChildResult;
}

const LABELS: Record<CallingWindow, string> = {
  shipped: '',
  queue: ', paced through the night',
  'all-day': ', calling all day',
};

export async function bench(): Promise<BenchResult[]> {
  const runs: [number, CallingWindow][] = process.argv.includes('--huge')
    ? [
        [100_000, 'shipped'],
        [1_000_000, 'all-day'],
        [1_000_000, 'shipped'],
      ]
    : [[100_000, 'shipped']];
  const rows: BenchResult[] = [];
  for (const [n, window] of runs) {
    const label = `run ${n.toLocaleString('en-US')} contacts${LABELS[window]}`;
    let r: ChildResult;
    try {
      r = runChild(n, window);
    } catch {
      // Out of the heap limit: a missed goal to show, not a crash of the bench.
      rows.push({ name: `${label}: peak RSS (out of memory)`, value: NaN, unit: 'MB', goal: '<= 300 MB' });
      continue;
    }
    // Every callback received exactly once, and the run's own count agrees.
    const exact = r.ok && r.received === r.deliveries && r.receivedOnce === r.deliveries;
    if (!exact)
      throw new Error(`memory bench ${n}: callbacks not received exactly once: ${JSON.stringify(r)}`);
    rows.push({ name: `${label}: peak RSS`, value: r.maxRssBytes / 1e6, unit: 'MB', goal: '<= 300 MB' });
    rows.push({ name: `${label}: wall time`, value: r.wallMs / 1000, unit: 's' });
    rows.push({ name: `${label}: callbacks received once`, value: r.receivedOnce, unit: 'callbacks' });
  }
  return await Promise.resolve(rows);
}
