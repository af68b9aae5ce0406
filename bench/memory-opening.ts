/**
 * What a campaign holds through a night and at the morning opening, engine alone: `large-campaign`
 * (08:00-20:59 window in Asia/Manila, 600 rows a minute) started at 21:00 with argv[2] rows
 * (default 396,000: one night's worth), stepped to 07:59 and then to 08:00, with argv[3] as its
 * `pacing.closed_window`: `queue` (default here: the night's rows wait for the opening) or `pause`
 * (as shipped: the pacer waits for the opening, rows start 600 a minute from it). Prints one JSON line:
 * the rows held (made / waiting unmade / dialling as ghosts) and the live heap plus typed arrays
 * after a forced GC (MB over the heap after setup): at 07:59, and at 08:00 with the opening's
 * events still referenced and after they are let go.
 * Run: `node --expose-gc --import tsx bench/memory-opening.ts [rows] [queue|pause]`.
 */
import { CampaignRun } from '../src/engine/campaign-run.ts';
import { setupCampaign } from '../src/engine/campaign-setup.ts';
import { loadScenarioFile } from '../src/scenario/load.ts';
import { resolveScenarioRef } from '../src/scenario/refs.ts';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');
const count = Number(process.argv[2] ?? 396_000);
const EVENING = Date.UTC(2024, 2, 11, 13, 0); // 2024-03-11 21:00 in Asia/Manila (UTC+8)
const MORNING = Date.UTC(2024, 2, 12, 0, 0); // 08:00 the next day
const base = loadScenarioFile(resolveScenarioRef('large-campaign'), 'large-campaign');
const closedWindow = process.argv[3] ?? 'queue';
if (closedWindow !== 'queue' && closedWindow !== 'pause') throw new Error('argv[3]: queue or pause');
const scenario = {
  ...base,
  pacing: { ...base.pacing, closed_window: closedWindow },
  contacts: { ...base.contacts, generate: { ...base.contacts.generate!, count } },
} as const;

const heapMb = (): number => {
  gc();
  // Typed arrays (the queue, the waiting rows) live outside the V8 heap: counted too.
  const m = process.memoryUsage();
  return (m.heapUsed + m.arrayBuffers) / 1e6;
};
const run = new CampaignRun(setupCampaign({ scenario, startTime: EVENING }));
const start = heapMb();
run.advanceTo(MORNING - 60_000);
const night = { rows: run.rowsHeld(), heapMb: heapMb() - start };
/** The opening's advance, measured while its events are still referenced. */
function open(): { events: number; heapWithEventsMb: number } {
  const events = run.advanceTo(MORNING);
  return { events: events.length, heapWithEventsMb: heapMb() - start };
}
const opened = open();
run.advanceTo(MORNING); // the run's own reference to the opening's events goes too
const opening = { ...opened, rows: run.rowsHeld(), heapMb: heapMb() - start };
const mb = (_: string, v: unknown): unknown =>
  typeof v === 'number' && !Number.isInteger(v) ? Math.round(v * 10) / 10 : v;
process.stdout.write(`${JSON.stringify({ count, closedWindow, at0759: night, at0800: opening }, mb)}\n`);
