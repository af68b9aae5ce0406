/**
 * One `run` of a generated campaign in its own process (so peak RSS is its own): `large-campaign`
 * with `generate.count` set to argv[2] and its calling window (argv[3], below), on the virtual
 * clock, against an instant in-process receiver that counts each delivery id. Prints one JSON
 * line: contacts, deliveries, callbacks received exactly once, wall ms, peak RSS bytes.
 */
import { performance } from 'node:perf_hooks';
import { loadScenarioFile } from '../src/scenario/load.ts';
import { resolveScenarioRef } from '../src/scenario/refs.ts';
import { runScenario } from '../src/run/run-scenario.ts';
import type { Scenario } from '../src/scenario/types.ts';

const count = Number(process.argv[2] ?? 10000);
// `shipped` (default): the scenario as shipped, its 08:00-20:59 calling window with pacing paused
// while it is closed (`closed_window: pause`); `queue`: the same window with rows paced through
// the night, waiting for the morning's opening (`closed_window: queue`); `all-day`: calling every
// minute.
const window = process.argv[3] ?? 'shipped';
const VARIANTS = ['shipped', 'queue', 'all-day'];
if (!VARIANTS.includes(window))
  throw new Error(`window must be one of ${VARIANTS.join(', ')} (got "${window}")`);
const base = loadScenarioFile(resolveScenarioRef('large-campaign'), 'large-campaign');
const templates =
  window === 'all-day'
    ? base.templates.map((t) => ({
        ...t,
        nodes: t.nodes.map((n) => (n.type === 'voicebot_call' ? { ...n, calling_window: '* * * * *' } : n)),
      }))
    : base.templates;
const pacing: Scenario['pacing'] =
  window === 'queue' ? { ...base.pacing, closed_window: 'queue' } : base.pacing;
const scenario = {
  ...base,
  pacing,
  templates,
  contacts: { ...base.contacts, generate: { ...base.contacts.generate!, count } },
  expectations: { all_delivered: true },
};
// Times each delivery id was received, kept in a byte per id so the bench's own bookkeeping does
// not grow like a Map of 3 million strings would: a campaign message's id ends in its number in
// the workflow (`<workflow id>-000123`); anything else is counted apart.
const received = new Uint8Array(count * 3 + 16);
const others = new Map<string, number>();
function receive(id: string): void {
  const n = Number(id.slice(id.lastIndexOf('-') + 1));
  if (Number.isInteger(n) && n > 0 && n < received.length) received[n] = Math.min(255, received[n]! + 1);
  else others.set(id, (others.get(id) ?? 0) + 1);
}
const t0 = performance.now();
const report = await runScenario({
  scenario,
  file: 'scenarios/large-campaign.yaml',
  clock: 'virtual',
  keepDeliveries: false,
  send: (req) => {
    receive(req.headers['X-Emulator-Delivery-Id'] ?? '');
    return Promise.resolve({ status: 200, response: '{}' });
  },
});
const ms = performance.now() - t0;
let once = 0;
let distinct = others.size;
for (const n of received) {
  if (n > 0) distinct++;
  if (n === 1) once++;
}
for (const n of others.values()) if (n === 1) once++;
process.stdout.write(
  `${JSON.stringify({
    contacts: report.contacts.planned,
    window,
    closedWindow: pacing?.closed_window ?? 'queue',
    deliveries: report.summary.deliveries,
    delivered: report.summary.delivered,
    receivedOnce: once,
    received: distinct,
    ok: report.ok,
    wallMs: Math.round(ms),
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
  })}\n`,
);
