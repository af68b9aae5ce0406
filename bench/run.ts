/**
 * What a CI run waits for: `run collection-ptp --target <receiver>` end to end (load the
 * scenario, build the core, play the campaign on the virtual clock, deliver every callback, build
 * the report), against a receiver that answers at once — vs a bare keep-alive node:http loop
 * POSTing the same number of bodies to the same receiver, one at a time, in the same run.
 * No goal here (the scale issue sets one); the figure shows what changes in the pipeline cost.
 *
 * The receiver runs in a worker thread so it does not share the sender's event loop.
 */
import http from 'node:http';
import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import type { BenchResult } from './index.ts';

const ROUNDS = 3;
const SCENARIO = 'collection-ptp';

const RECEIVER = `
const http = require('node:http');
const { parentPort } = require('node:worker_threads');
const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}'));
});
server.keepAliveTimeout = 60000;
server.listen(0, '127.0.0.1', () => parentPort.postMessage(server.address().port));
parentPort.on('message', (m) => { if (m === 'close') { server.closeAllConnections(); server.close(() => process.exit(0)); } });
`;

type RunScenario = (opts: {
  scenario: string;
  target: string;
  seed: number;
  clock: string;
}) => Promise<{ summary: { deliveries: number; attempts: number }; deliveries: { payload: unknown }[] }>;

/** `runScenario`, wherever this checkout keeps it (the bench also runs on older commits). */
async function loadRunScenario(): Promise<RunScenario> {
  // 0.1.0 kept it in the delivery folder; the run application has its own folder since.
  const at = ['run', 'delivery']
    .map((dir) => new URL(`../src/${dir}/run-scenario.ts`, import.meta.url))
    .find((u) => existsSync(u))!;
  const mod = (await import(at.href)) as { runScenario: RunScenario };
  return mod.runScenario;
}

async function bareLoop(url: string, bodies: string[]): Promise<number> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const t0 = performance.now();
  for (const body of bodies) {
    await new Promise<void>((resolve, reject) => {
      const req = http.request(
        url,
        { method: 'POST', agent, headers: { 'Content-Type': 'application/json' } },
        (res) => {
          res.resume();
          res.on('end', resolve);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }
  const ms = performance.now() - t0;
  agent.destroy();
  return ms;
}

export async function bench(): Promise<BenchResult[]> {
  const worker = new Worker(RECEIVER, { eval: true });
  const port = await new Promise<number>((resolve) => worker.once('message', resolve));
  const url = `http://127.0.0.1:${port}/cb`;
  const runScenario = await loadRunScenario();
  let best = Infinity;
  let bestBare = Infinity;
  let attempts = 0;
  try {
    for (let i = 0; i < ROUNDS; i++) {
      const t0 = performance.now();
      const report = await runScenario({ scenario: SCENARIO, target: url, seed: 1, clock: 'virtual' });
      best = Math.min(best, performance.now() - t0);
      attempts = report.summary.attempts;
      const bodies = report.deliveries.map((d) => JSON.stringify(d.payload));
      bestBare = Math.min(bestBare, await bareLoop(url, bodies));
    }
  } finally {
    worker.postMessage('close');
    await new Promise((r) => worker.once('exit', r));
  }
  return [
    {
      name: `run ${SCENARIO} end to end (${attempts} callbacks, instant receiver), wall ms vs bare POST loop, best of ${ROUNDS}`,
      value: best,
      unit: 'ms',
      baseline: bestBare,
      ratio: best / bestBare,
    },
  ];
}
