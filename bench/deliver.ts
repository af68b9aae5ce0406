/**
 * Delivery throughput on the virtual clock, each figure against a bare keep-alive node:http POST
 * loop measured in the same run (the same bodies, pre-serialised, to the same receiver, with the
 * same concurrency — the per-target limit, 32):
 *
 * 1. a burst: every delivery queued at one instant, instant receiver. Goal: ratio >= 0.6.
 * 2. deliveries spread over clock time as a campaign produces them (the instants and payloads of a
 *    `collection-ptp` run, handed to the service instant by instant as the campaign driver does),
 *    against receivers that answer at once, after 5 ms and after 20 ms. Goal: ratio >= 0.6 each.
 *    Attempts overlap because the virtual clock moves on to every delivery due before the
 *    earliest retry instant in flight (docs/delivery-concurrency.md).
 * 3. retry exhaustion: 1,000 deliveries to a receiver that always answers 500 (6,000 attempts over
 *    5 simulated minutes) vs 6,000 bare POSTs. Goal: at most 2x the bare loop's wall time.
 * 4. hanging receiver: N deliveries (N up to the concurrency limit, at consecutive campaign
 *    instants) that all time out (200 ms deadline, 3 attempts), wall time vs attempts x timeout.
 *    Goal: <= 2. And, for scale, a whole 30-contact `run` against a receiver that never answers
 *    (200 ms deadline, the vendor's 6 attempts): no goal — each minute of campaign time that has
 *    an attempt in flight costs one deadline of wall time (docs/delivery-concurrency.md).
 *
 * Ratio rows are the median of 5 interleaved rounds (per-round ratios). `BENCH_QUICK=1` runs one
 * round of fewer deliveries, for development. The receiver runs in a worker thread so it does not
 * share the sender's event loop. Loopback only, bounded loops.
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { createVirtualClock } from '../src/clock/virtual-clock.ts';
import type { CallbackPayload, CallbackType } from '../src/contract/callbacks.ts';
import { isValid, schemas } from '../src/contract/registry.ts';
import type { RetryPolicy } from '../src/core/retry-policy.ts';
import { signBody } from '../src/core/signing.ts';
import { createDeliveryService, DEFAULT_CONCURRENCY_PER_TARGET } from '../src/delivery/delivery-service.ts';
import { runScenario } from '../src/run/run-scenario.ts';
import { loadScenarioFile } from '../src/scenario/load.ts';
import { resolveScenarioRef } from '../src/scenario/refs.ts';
import type { Send } from '../src/delivery/types.ts';
import type { BenchResult } from './index.ts';

const QUICK = process.env.BENCH_QUICK === '1';
const CONCURRENCY = DEFAULT_CONCURRENCY_PER_TARGET;
const THROUGHPUT_N = QUICK ? 1_000 : 3_000;
const EXHAUST_N = QUICK ? 300 : 1_000;
const ROUNDS = QUICK ? 1 : 5;
const HANG_TIMEOUT_MS = 200;
const HANG_RETRIES = 2;
const HANG_N = [8, CONCURRENCY];

/** Paths: `/ok` answers at once, `/d<ms>` after ms, `/fail` 500, `/hang` never. */
const RECEIVER = `
const http = require('node:http');
const { parentPort } = require('node:worker_threads');
const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    if (req.url === '/hang') return;
    const fail = req.url === '/fail';
    const answer = () =>
      res.writeHead(fail ? 500 : 200, { 'Content-Type': 'application/json' }).end(fail ? '{"error":"nope"}' : '{}');
    const delay = /^\\/d(\\d+)$/.exec(req.url);
    if (delay) setTimeout(answer, Number(delay[1]));
    else answer();
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

/** One callback to send: its type, payload and the clock instant it is produced at. */
interface Message {
  at: number;
  type: CallbackType;
  payload: CallbackPayload;
  body: string;
}

const START = Date.UTC(2024, 2, 11, 1, 0, 0);

/** `n` copies of the push schema's example, all at one instant. */
function burst(n: number): Message[] {
  const example = schemas().schema('custom-api-node-push').examples?.[0];
  if (!isValid('custom-api-node-push', example)) throw new Error('bench: the push schema example is invalid');
  return Array.from({ length: n }, (_, i) => {
    const p = structuredClone(example);
    p.callee.case_id = `bench-${i}`;
    return { at: START, type: 'custom-api-node-push' as const, payload: p, body: JSON.stringify(p) };
  });
}

/**
 * The first `n` callbacks of a `collection-ptp` campaign (30 calls a minute, redials, every
 * callback type), at the instants the campaign produced them: played once against `url`.
 */
async function campaign(n: number, url: string): Promise<Message[]> {
  const s = loadScenarioFile(resolveScenarioRef('collection-ptp'), 'collection-ptp');
  // About 3 callbacks per contact; a few more contacts than needed.
  const count = Math.ceil(n / 2.5);
  const scenario = { ...s, contacts: { ...s.contacts, generate: { ...s.contacts.generate!, count } } };
  const report = await runScenario({ scenario, target: url, clock: 'virtual' });
  const msgs = report.deliveries
    .map((d) => ({
      at: d.attempts[0]!.at,
      type: d.type,
      payload: d.payload,
      body: JSON.stringify(d.payload),
    }))
    .sort((a, b) => a.at - b.at)
    .slice(0, n);
  if (msgs.length < n) throw new Error(`bench: the campaign produced ${msgs.length} callbacks, wanted ${n}`);
  return msgs;
}

/** Wall ms and the sending thread's busy ms (event-loop utilisation) over a timed stretch. */
interface Timing {
  ms: number;
  busy: number;
}

function stopwatch(): () => Timing {
  const t0 = performance.now();
  const elu0 = performance.eventLoopUtilization();
  return () => {
    const elu = performance.eventLoopUtilization(elu0);
    return { ms: performance.now() - t0, busy: elu.active };
  };
}

/** The baseline: POST each body with a keep-alive agent, `CONCURRENCY` at a time. */
async function bareLoop(url: string, msgs: Message[], repeat = 1): Promise<Timing> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  // Same bytes and headers as the emulator sends, prepared before the clock starts: the loop
  // itself does nothing but POST.
  const prepared = msgs.map(({ body }) => ({
    body: Buffer.from(body),
    headers: {
      'Content-Type': 'application/json',
      'User-Agent': 'Airudder',
      'X-AIRudder-Sign': signBody(body, 'airudder')!,
      'Content-Length': String(Buffer.byteLength(body)),
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
  const stop = stopwatch();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < jobs.length) await post(jobs[next++]!);
    }),
  );
  const t = stop();
  agent.destroy();
  return t;
}

/**
 * The emulator: the delivery service on a virtual clock, each instant's messages handed over by a
 * clock timer at that instant (as the campaign driver does); wall ms until the clock is idle.
 */
async function emulator(
  url: string,
  msgs: Message[],
  policy?: Partial<RetryPolicy>,
  send?: Send,
): Promise<Timing & { attempts: number }> {
  const clock = createVirtualClock({ startTime: msgs[0]!.at });
  const service = createDeliveryService({
    clock,
    concurrencyPerTarget: CONCURRENCY,
    ...(policy ? { policy } : {}),
    ...(send ? { send } : {}),
  });
  let i = 0;
  const step = () => {
    const at = msgs[i]!.at;
    while (i < msgs.length && msgs[i]!.at === at) {
      const m = msgs[i]!;
      service.deliver({ id: `b${i++}`, type: m.type, url, payload: m.payload, at });
    }
    if (i < msgs.length) clock.setTimer(step, msgs[i]!.at - clock.now());
  };
  const stop = stopwatch();
  clock.setTimer(step, 0);
  await clock.idle();
  const t = stop();
  const list = service.list();
  if (list.length !== msgs.length || list.some((d) => d.outcome === 'pending'))
    throw new Error('bench: a delivery is still pending');
  const attempts = list.reduce((n, d) => n + d.attempts.length, 0);
  service.close();
  clock.close();
  return { ...t, attempts };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/**
 * Interleaved rounds of bare loop and emulator: medians of the rates and of the per-round ratios,
 * and where the time goes: the sending thread's busy µs per callback on each side.
 */
async function versus(url: string, msgs: Message[], label: string): Promise<BenchResult[]> {
  const bare: Timing[] = [];
  const emu: Timing[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    bare.push(await bareLoop(url, msgs));
    emu.push(await emulator(url, msgs));
  }
  const rate = (t: Timing) => (msgs.length / t.ms) * 1000;
  const perCallback = (ts: Timing[]) => (median(ts.map((t) => t.busy)) * 1000) / msgs.length;
  return [
    {
      name: `deliver: ${label}, emulator vs bare keep-alive loop (median of ${ROUNDS})`,
      value: Math.round(median(emu.map(rate))),
      unit: 'deliveries/s',
      baseline: Math.round(median(bare.map(rate))),
      ratio: median(emu.map((e, r) => rate(e) / rate(bare[r]!))),
      goal: '>= 0.6',
    },
    {
      name: `  sending thread busy per callback, emulator vs bare`,
      value: perCallback(emu),
      unit: 'µs',
      baseline: perCallback(bare),
      ratio: perCallback(emu) / perCallback(bare),
    },
  ];
}

async function hanging(base: string, msgs: Message[], n: number): Promise<BenchResult> {
  const attempts = HANG_RETRIES + 1;
  const budget = attempts * HANG_TIMEOUT_MS;
  const walls: number[] = [];
  for (let r = 0; r < Math.min(ROUNDS, 3); r++) {
    const e = await emulator(`${base}/hang`, msgs.slice(0, n), {
      timeoutMs: HANG_TIMEOUT_MS,
      maxRetries: HANG_RETRIES,
    });
    if (e.attempts !== n * attempts)
      throw new Error(`bench: expected ${n * attempts} attempts, got ${e.attempts}`);
    walls.push(e.ms);
  }
  const spanS = (msgs[n - 1]!.at - msgs[0]!.at) / 1000;
  return {
    name: `deliver: hanging receiver, ${n} deliveries over ${spanS} s of campaign time, ${attempts} attempts x ${HANG_TIMEOUT_MS} ms timeout, wall ms vs attempts x timeout`,
    value: Math.round(median(walls)),
    unit: 'ms',
    baseline: budget,
    ratio: median(walls) / budget,
    goal: '<= 2',
  };
}

/** `run` of a 30-contact campaign against a receiver that never answers. */
async function hangingRun(url: string): Promise<BenchResult> {
  const s = loadScenarioFile(resolveScenarioRef('collection-ptp'), 'collection-ptp');
  const scenario = { ...s, contacts: { ...s.contacts, generate: { ...s.contacts.generate!, count: 30 } } };
  const t0 = performance.now();
  const report = await runScenario({ scenario, target: url, clock: 'virtual', timeoutMs: HANG_TIMEOUT_MS });
  const ms = performance.now() - t0;
  const ats = report.deliveries.flatMap((d) => d.attempts.map((a) => a.at));
  const spanMin = (Math.max(...ats) - Math.min(...ats)) / 60_000;
  return {
    name: `run: 30 contacts vs hanging receiver (${report.summary.deliveries} deliveries, ${report.summary.attempts} attempts over ${spanMin.toFixed(0)} min of clock time, ${HANG_TIMEOUT_MS} ms timeout), wall ms`,
    value: Math.round(ms),
    unit: 'ms',
  };
}

export async function bench(): Promise<BenchResult[]> {
  const rx = await startReceiver();
  try {
    const ok = `${rx.base}/ok`;
    const items = burst(THROUGHPUT_N);
    const spread = await campaign(THROUGHPUT_N, ok);
    // Warm both paths (JIT, sockets, schema compile) before timing.
    await bareLoop(ok, items.slice(0, 500));
    await emulator(ok, items.slice(0, 500));
    await emulator(ok, spread.slice(0, 500));

    const spanMin = Math.round((spread.at(-1)!.at - spread[0]!.at) / 60_000);
    const rows: BenchResult[] = [];
    rows.push(
      ...(await versus(ok, items, `${THROUGHPUT_N} deliveries queued at one instant, instant receiver`)),
    );
    if (process.env.BENCH_ONLY_BURST === '1') return rows;
    for (const [path, what] of [
      ['ok', 'instant receiver'],
      ['d5', 'receiver answering after 5 ms'],
      ['d20', 'receiver answering after 20 ms'],
    ] as const) {
      rows.push(
        ...(await versus(
          `${rx.base}/${path}`,
          spread,
          `${THROUGHPUT_N} campaign callbacks over ${spanMin} min of clock time, ${what}`,
        )),
      );
    }

    // Where the emulator's time goes without the network: validation, serialisation, signing,
    // the attempt log and the clock, with a transport that answers 200 at once.
    const noNet: Send = () => Promise.resolve({ status: 200, response: '{}' });
    const pipeline: number[] = [];
    for (let r = 0; r < ROUNDS; r++) pipeline.push((await emulator(ok, spread, undefined, noNet)).busy);
    rows.push({
      name: `  of which the emulator's own work (no HTTP: a transport answering at once), busy per callback`,
      value: (median(pipeline) * 1000) / spread.length,
      unit: 'µs',
    });

    const fail = `${rx.base}/fail`;
    const exhaust = items.slice(0, EXHAUST_N);
    const bareEx: number[] = [];
    const emuEx: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      bareEx.push((await bareLoop(fail, exhaust, 6)).ms);
      const e = await emulator(fail, exhaust);
      if (e.attempts !== EXHAUST_N * 6)
        throw new Error(`bench: expected ${EXHAUST_N * 6} attempts, got ${e.attempts}`);
      emuEx.push(e.ms);
    }
    rows.push({
      name: `deliver: retry exhaustion, ${EXHAUST_N} x 6 attempts (virtual clock) vs ${EXHAUST_N * 6} bare POSTs (median of ${ROUNDS})`,
      value: Math.round(median(emuEx)),
      unit: 'ms',
      baseline: Math.round(median(bareEx)),
      ratio: median(emuEx.map((e, r) => e / bareEx[r]!)),
      goal: '<= 2',
    });

    // Consecutive callbacks from the middle of the campaign, where its pace is steady.
    const mid = spread.slice(Math.floor(spread.length / 2));
    for (const n of HANG_N) rows.push(await hanging(rx.base, mid, n));
    rows.push(await hangingRun(`${rx.base}/hang`));
    return rows;
  } finally {
    await rx.close();
  }
}
