/**
 * One `run` of a generated campaign in its own process (so peak RSS is its own): `large-campaign`
 * with `generate.count` set to argv[2], on the virtual clock, against an instant in-process
 * receiver that counts each delivery id. Prints one JSON line: contacts, deliveries, callbacks
 * received exactly once, wall ms, peak RSS bytes.
 */
import { performance } from 'node:perf_hooks';
import { loadScenarioFile } from '../src/scenario/load.ts';
import { resolveScenarioRef } from '../src/scenario/refs.ts';
import { runScenario } from '../src/run/run-scenario.ts';

const count = Number(process.argv[2] ?? 10000);
const base = loadScenarioFile(resolveScenarioRef('large-campaign'), 'large-campaign');
const scenario = {
  ...base,
  contacts: { ...base.contacts, generate: { ...base.contacts.generate!, count } },
  expectations: { all_delivered: true },
};
const seen = new Map<string, number>();
const t0 = performance.now();
const report = await runScenario({
  scenario,
  file: 'scenarios/large-campaign.yaml',
  clock: 'virtual',
  keepDeliveries: false,
  send: (req) => {
    const id = req.headers['X-Emulator-Delivery-Id'] ?? req.headers['x-emulator-delivery-id'] ?? '';
    seen.set(id, (seen.get(id) ?? 0) + 1);
    return Promise.resolve({ status: 200, response: '{}' });
  },
});
const ms = performance.now() - t0;
let once = 0;
for (const n of seen.values()) if (n === 1) once++;
process.stdout.write(
  `${JSON.stringify({
    contacts: report.contacts.planned,
    deliveries: report.summary.deliveries,
    delivered: report.summary.delivered,
    receivedOnce: once,
    received: seen.size,
    ok: report.ok,
    wallMs: Math.round(ms),
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
  })}\n`,
);
