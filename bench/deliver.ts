/**
 * Delivery throughput, measured against a bare keep-alive node:http POST loop in the same run:
 *
 * 1. deliveries/s from the delivery service (virtual clock: validation, signing, attempt log,
 *    per-target limiter) to a loopback receiver, vs the bare loop sending the same bodies to the
 *    same receiver with the same concurrency. Goal: ratio >= 0.6.
 * 2. retry exhaustion: 1,000 deliveries to a receiver that always answers 500, under the virtual
 *    clock (6,000 attempts over 5 simulated minutes), vs the bare loop sending 6,000 POSTs.
 *    Goal: at most 2x the bare loop's wall time.
 *
 * The receiver runs in a worker thread so it does not share the sender's event loop. Loopback
 * only, bounded loops.
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { createVirtualClock } from '../src/clock/virtual-clock.ts';
import { isValid, schemas } from '../src/contract/registry.ts';
import { signBody } from '../src/core/signing.ts';
import { createDeliveryService, DEFAULT_CONCURRENCY_PER_TARGET } from '../src/delivery/delivery-service.ts';
import type { BenchResult } from './index.ts';
import type { CustomApiNodePush } from '../src/generated/types.ts';

const CONCURRENCY = DEFAULT_CONCURRENCY_PER_TARGET;
const THROUGHPUT_N = 3_000;
const EXHAUST_N = 1_000;
// This kind of machine is shared and noisy: many short interleaved rounds, best of each side.
const ROUNDS = 7;

const RECEIVER = `
const http = require('node:http');
const { parentPort } = require('node:worker_threads');
const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    const fail = req.url === '/fail';
    res.writeHead(fail ? 500 : 200, { 'Content-Type': 'application/json' }).end(fail ? '{"error":"nope"}' : '{}');
  });
});
server.keepAliveTimeout = 60000;
server.listen(0, '127.0.0.1', () => parentPort.postMessage(server.address().port));
parentPort.on('message', (m) => { if (m === 'close') { server.closeAllConnections(); server.close(() => process.exit(0)); } });
`;

async function startReceiver(): Promise<{ base: string; close(): Promise<void> }> {
  const worker = new Worker(RECEIVER, { eval: true });
  const port = await new Promise<number>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  return {
    base: `http://127.0.0.1:${port}`,
    close: async () => {
      worker.postMessage('close');
      await new Promise((r) => worker.once('exit', r));
    },
  };
}

function payloads(n: number): CustomApiNodePush[] {
  const example = schemas().schema('custom-api-node-push').examples?.[0];
  if (!isValid('custom-api-node-push', example)) throw new Error('bench: the push schema example is invalid');
  return Array.from({ length: n }, (_, i) => {
    const p = structuredClone(example);
    p.callee.case_id = `bench-${i}`;
    return p;
  });
}

/** The baseline: POST each body with a keep-alive agent, `CONCURRENCY` at a time. */
async function bareLoop(url: string, bodies: string[], repeat = 1): Promise<number> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  // Same bytes and headers as the emulator sends, prepared before the clock starts: the loop
  // itself does nothing but POST.
  const prepared = bodies.map((b) => ({
    body: Buffer.from(b),
    headers: {
      'Content-Type': 'application/json',
      'User-Agent': 'Airudder',
      'X-AIRudder-Sign': signBody(b, 'airudder')!,
      'Content-Length': String(Buffer.byteLength(b)),
    },
  }));
  const jobs = prepared.flatMap((p) => Array.from({ length: repeat }, () => p));
  let next = 0;
  const post = ({ body, headers }: (typeof prepared)[number]) =>
    new Promise<void>((resolve, reject) => {
      const req = http.request(url, { method: 'POST', agent, headers });
      req.on('response', (res) => {
        res.resume();
        res.on('end', resolve);
      });
      req.on('error', reject);
      req.end(body);
    });
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < jobs.length) await post(jobs[next++]!);
    }),
  );
  const ms = performance.now() - t0;
  agent.destroy();
  return ms;
}

/** The emulator: the delivery service on a virtual clock; returns wall ms until all settled. */
async function emulator(url: string, items: CustomApiNodePush[]): Promise<{ ms: number; attempts: number }> {
  const clock = createVirtualClock({ startTime: Date.UTC(2024, 2, 11, 1, 0, 0) });
  const service = createDeliveryService({ clock, concurrencyPerTarget: CONCURRENCY });
  const t0 = performance.now();
  items.forEach((payload, i) => service.deliver({ id: `b${i}`, type: 'custom-api-node-push', url, payload }));
  await service.settled();
  const ms = performance.now() - t0;
  const attempts = service.list().reduce((n, d) => n + d.attempts.length, 0);
  if (service.list().some((d) => d.outcome === 'pending'))
    throw new Error('bench: a delivery is still pending');
  service.close();
  clock.close();
  return { ms, attempts };
}

const best = (xs: number[]) => Math.min(...xs);

export async function bench(): Promise<BenchResult[]> {
  const rx = await startReceiver();
  try {
    const items = payloads(THROUGHPUT_N);
    const bodies = items.map((p) => JSON.stringify(p));
    const ok = `${rx.base}/ok`;
    const fail = `${rx.base}/fail`;
    // Warm both paths (JIT, sockets, schema compile) before timing.
    await bareLoop(ok, bodies.slice(0, 500));
    await emulator(ok, items.slice(0, 500));

    const bare: number[] = [];
    const emu: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      bare.push(await bareLoop(ok, bodies));
      emu.push((await emulator(ok, items)).ms);
    }
    const bareRate = (THROUGHPUT_N / best(bare)) * 1000;
    const emuRate = (THROUGHPUT_N / best(emu)) * 1000;

    const exhaustItems = items.slice(0, EXHAUST_N);
    const bareEx: number[] = [];
    const emuEx: number[] = [];
    let attempts = 0;
    for (let r = 0; r < ROUNDS; r++) {
      bareEx.push(await bareLoop(fail, bodies.slice(0, EXHAUST_N), 6));
      const e = await emulator(fail, exhaustItems);
      emuEx.push(e.ms);
      attempts = e.attempts;
    }
    if (attempts !== EXHAUST_N * 6)
      throw new Error(`bench: expected ${EXHAUST_N * 6} attempts, got ${attempts}`);

    return [
      {
        name: `deliver: ${THROUGHPUT_N} deliveries, emulator vs bare keep-alive loop`,
        value: Math.round(emuRate),
        unit: 'deliveries/s',
        baseline: Math.round(bareRate),
        ratio: emuRate / bareRate,
        goal: '>= 0.6',
      },
      {
        name: `deliver: retry exhaustion, ${EXHAUST_N} x 6 attempts (virtual clock) vs ${EXHAUST_N * 6} bare POSTs`,
        value: Math.round(best(emuEx)),
        unit: 'ms',
        baseline: Math.round(best(bareEx)),
        ratio: best(emuEx) / best(bareEx),
        goal: '<= 2',
      },
    ];
  } finally {
    await rx.close();
  }
}
