/**
 * How long the largest admin pages hold the event loop: `limit=10000` on a workflow's detail,
 * calls and contacts (a `large-campaign` run: 10,000 contacts), and on `/workflows` and
 * `/requests` with 12,000 of each held. For each: the request's time and the longest event-loop
 * delay while it was answered (perf_hooks.monitorEventLoopDelay; issue 14's bound is 50 ms).
 * One process (emulator, loopback receiver and client), run twice over (the first is colder).
 *
 * `npx tsx bench/pages-probe.ts` (not part of `npm run bench`: bench/views.ts measures the delay
 * over all its admin reads; this one says which page holds the loop for how long).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { createEmulator, type Emulator } from '../src/server/emulator.ts';

const ROWS = 12_000;
const eld = monitorEventLoopDelay({ resolution: 1 });
eld.enable();

const receiver = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}'));
});
await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
const target = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/`;

async function measure(emu: Emulator, path: string): Promise<string> {
  await new Promise((r) => setTimeout(r, 20));
  eld.reset();
  const t = performance.now();
  const res = await fetch(emu.adminUrl + path);
  const text = await res.text();
  const ms = performance.now() - t;
  return `${res.status}, ${ms.toFixed(1)} ms, ${(text.length / 1e6).toFixed(2)} MB, longest event-loop delay ${(eld.max / 1e6).toFixed(1)} ms`;
}

async function report(emu: Emulator, paths: Record<string, string>): Promise<void> {
  for (let round = 1; round <= 2; round++)
    for (const [name, path] of Object.entries(paths))
      process.stdout.write(`${name} (round ${round}): ${await measure(emu, path)}\n`);
}

// A workflow of 10,000 contacts, played out.
const start = Date.UTC(2026, 0, 5, 1, 0, 0);
const played = await createEmulator({ target, clock: 'virtual', startTime: start });
const id = played.trigger('large-campaign').workflowId;
await played.idle();
await report(played, {
  'workflows/:id?limit=10000': `/workflows/${id}?limit=10000`,
  'workflows/:id/calls?limit=10000': `/workflows/${id}/calls?limit=10000`,
  'workflows/:id/contacts?limit=10000': `/workflows/${id}/contacts?limit=10000`,
});
await played.close();

// 12,000 one-row workflows and 12,000 logged vendor-API requests.
const held = await createEmulator({
  target,
  clock: 'virtual:manual',
  startTime: start,
  requestLogSize: ROWS,
});
const input = {
  workflow_template_id: 1006,
  name: 'probe',
  end_time: '2026-12-31 23:00:00',
  details: [{ callee: '+639171234567', case_id: 'P-1', customer_name: 'Probe Row' }],
};
for (let i = 0; i < ROWS; i++) {
  held.workflows.create(input);
  if (i % 500 === 0) await new Promise((r) => setImmediate(r));
}
const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
const templates = () =>
  new Promise<void>((resolve) =>
    http.get(`${held.url}/service/cloud/workflow/templates?q=${'y'.repeat(300)}`, { agent }, (r) => {
      r.resume();
      r.on('end', () => resolve());
    }),
  );
let sent = 0;
await Promise.all(
  Array.from({ length: 8 }, async () => {
    while (sent++ < ROWS) await templates();
  }),
);
agent.destroy();
await report(held, {
  'workflows?limit=10000': '/workflows?limit=10000',
  'requests?limit=10000': '/requests?limit=10000',
});
await held.close();
receiver.close();
