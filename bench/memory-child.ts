/**
 * One `run` of a generated campaign in its own process (so peak RSS is its own): `large-campaign`
 * with `generate.count` set to argv[2] and its calling window (argv[3]: `shipped`, the default,
 * or `all-day`), on the virtual clock, against an instant in-process
 * receiver that counts each delivery id. Prints one JSON line: contacts, deliveries, callbacks
 * received exactly once, wall ms, peak RSS bytes.
 */
import { performance } from 'node:perf_hooks';
import { loadScenarioFile } from '../src/scenario/load.ts';
import { resolveScenarioRef } from '../src/scenario/refs.ts';
import { runScenario } from '../src/run/run-scenario.ts';

const count = Number(process.argv[2] ?? 10000);
// `shipped` (default): the scenario's 08:00-20:59 calling window, rows paced at 600 a minute
// through the night wait for the morning unmade; `all-day`: calling every minute.
const window = process.argv[3] ?? 'shipped';
const base = loadScenarioFile(resolveScenarioRef('large-campaign'), 'large-campaign');
const templates =
  window === 'all-day'
    ? base.templates.map((t) => ({
        ...t,
        nodes: t.nodes.map((n) => (n.type === 'voicebot_call' ? { ...n, calling_window: '* * * * *' } : n)),
      }))
    : base.templates;
const scenario = {
  ...base,
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
    deliveries: report.summary.deliveries,
    delivered: report.summary.delivered,
    receivedOnce: once,
    received: distinct,
    ok: report.ok,
    wallMs: Math.round(ms),
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
  })}\n`,
);
