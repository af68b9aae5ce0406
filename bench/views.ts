/**
 * REST costs and admin views, each next to a baseline from the same run (issue 14's goals):
 *
 * 1. GET /service/cloud/workflow/templates: req/s of the emulator vs a bare express 5 handler
 *    returning the same JSON. Goal >= 0.8.
 * 2. POST createinstance (one row): req/s vs bare express 5 parsing the same body and validating
 *    it with the same ajv schema, answering the same JSON. Goal >= 0.6 (missed: a creation also
 *    builds a campaign and sends a callback); the goal defended in its place, server CPU per
 *    request <= 4.5× the bare handler's, is a row of its own.
 * 1b/2b. The same two requests against Stoplight Prism mocking the emulator's OpenAPI export
 *    (bench/prism.ts; skipped with the reason printed when Prism cannot start). Goal >= 2.
 * 2c. createinstance vs the bare app doing also what a creation does outside its answer: POST one
 *    callback (the emulator's own status callback bytes) to the receiver. No goal: it shows how
 *    much of the gap is that exchange. Each pair also prints its server CPU time per request.
 * 3. createinstance req/s with 50,000 workflows held vs with (almost) none. Goal >= 0.85.
 * 4. With 300,000 deliveries held (10 `large-campaign` runs delivered to a loopback receiver):
 *    `/__emulator/deliveries` first page vs `/health`, median ms of requests alternated at the
 *    same moments (goal <= 2); the largest event-loop delay in the server while the admin views
 *    are read (perf_hooks.monitorEventLoopDelay, goal <= 50 ms); the server's RSS once settled,
 *    after the quiet stretch with no GC forced (goal <= 500 MB; the reading right after the fill
 *    and a forced GC is printed too: it still counts what that GC freed).
 *
 * The REST rounds run the emulator on a manual virtual clock, so the campaigns they create stay
 * put and the figures are the REST path's own (a running campaign's cost is bench/deliver.ts's);
 * the status callback each creation sends goes to a receiver in its own process.
 * Servers run in child processes (their own event loop and RSS); load comes from keep-alive
 * node:http connections in this process, emulator and bare rounds interleaved, best of each.
 * `BENCH_QUICK=1` runs short rounds and 30,000 deliveries instead of 300,000.
 * Run alone with `tsx bench/views.ts`, or through `npm run bench` (bench/index.ts).
 */
import { fork, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BenchResult } from './index.ts';
import { PRISM_LOG, startPrism, type Prism } from './prism.ts';

const QUICK = process.env.BENCH_QUICK === '1';
const ROUNDS = QUICK ? 2 : 4;
const ROUND_MS = QUICK ? 800 : 2500;
const CONNECTIONS = 8;
const GROW_TO = 50_000;
const TRIGGERS = QUICK ? 1 : 10;
const SAMPLES = QUICK ? 20 : 60;
const QUIET_MS = QUICK ? 5_000 : 20_000;
const SERVER = fileURLToPath(new URL('./servers/views-server.ts', import.meta.url));

interface Server {
  url: string;
  hello: Record<string, unknown>;
  call(msg: Record<string, unknown>): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

async function startServer(
  mode: 'emulator' | 'express' | 'receiver',
  clock = 'virtual',
  target?: string,
): Promise<Server> {
  const child: ChildProcess = fork(SERVER, [mode, clock, ...(target ? [target] : [])], {
    execArgv: ['--import', 'tsx', '--expose-gc', '--max-old-space-size=4096'],
    env: { ...process.env, NODE_OPTIONS: '' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const next = () =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const exited = (code: number | null) =>
        reject(new Error(`bench/views: the ${mode} server exited (${code})`));
      child.once('exit', exited);
      child.once('message', (m) => {
        child.off('exit', exited);
        resolve(m as Record<string, unknown>);
      });
    });
  const hello = await next();
  return {
    url: hello.url as string,
    hello,
    call: (msg) => {
      const answer = next();
      child.send(msg);
      return answer;
    },
    close: async () => {
      const exited = new Promise((r) => child.once('exit', r));
      child.send({ cmd: 'close' });
      await exited;
    },
  };
}

interface Req {
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

/** One request on `agent`: [ms, status, body]. */
function send(url: string, r: Req, agent: http.Agent): Promise<[number, number, string]> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = http.request(
      url + r.path,
      {
        method: r.method,
        agent,
        headers: { ...(r.body ? { 'Content-Type': 'application/json' } : {}), ...r.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve([performance.now() - t0, res.statusCode ?? 0, Buffer.concat(chunks).toString('utf8')]),
        );
      },
    );
    req.on('error', reject);
    req.end(r.body);
  });
}

/** Requests per second over CONNECTIONS keep-alive connections for `ms` (every answer a 200). */
async function load(url: string, r: Req, ms: number): Promise<{ rate: number; done: number }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  let done = 0;
  const t0 = performance.now();
  const end = t0 + ms;
  const worker = async () => {
    while (performance.now() < end) {
      const [, status, body] = await send(url, r, agent);
      if (status !== 200) throw new Error(`bench/views: ${r.method} ${r.path} answered ${status}: ${body}`);
      done++;
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, worker));
  const rate = done / ((performance.now() - t0) / 1000);
  agent.destroy();
  return { rate, done };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

const ROW = { callee: '+639171234567', case_id: 'B-1', customer_name: 'Bench Row' };
const CREATE = JSON.stringify({
  workflow_template_id: 1006,
  name: 'bench',
  end_time: '2026-12-31 23:00:00',
  details: [ROW],
});

async function token(emu: Server): Promise<string> {
  const agent = new http.Agent({ keepAlive: false });
  const body = JSON.stringify({ APPKey: emu.hello.appKey, APPSecret: emu.hello.appSecret });
  const [, status, text] = await send(emu.url, { method: 'POST', path: '/service/cloud/auth', body }, agent);
  if (status !== 200) throw new Error(`bench/views: auth answered ${status}: ${text}`);
  return (JSON.parse(text) as { data: { token: string } }).data.token;
}

/** A server under load: its URL, the request, and its process when it reports its CPU time. */
type Contender = [string, Req, Server?];

/**
 * Interleaved rounds of each server on its request: the best req/s of each, and the least CPU
 * time its process spent per request (µs; NaN when it does not report it). CPU per request hardly
 * depends on what else the machine runs, so it backs the req/s ratio on a busy machine.
 */
async function versus(...contenders: Contender[]): Promise<{ rate: number[]; cpu: number[] }> {
  const rate = contenders.map(() => 0);
  const cpu = contenders.map(() => Infinity);
  const cpuOf = async (s?: Server) => (s ? ((await s.call({ cmd: 'cpu' })).micros as number) : NaN);
  for (let i = 0; i < ROUNDS; i++) {
    for (const [c, [url, r, server]] of contenders.entries()) {
      const before = await cpuOf(server);
      const round = await load(url, r, ROUND_MS);
      rate[c] = Math.max(rate[c]!, round.rate);
      cpu[c] = Math.min(cpu[c]!, ((await cpuOf(server)) - before) / round.done);
    }
  }
  return { rate, cpu };
}

/** Prism on the emulator's OpenAPI export, if it starts and answers 200 on both routes. */
async function prismFor(templates: Req, create: Req): Promise<Prism | undefined> {
  let prism: Prism | undefined;
  try {
    prism = await startPrism();
    const agent = new http.Agent({ keepAlive: false });
    for (const r of [templates, create]) {
      const [, status, text] = await send(prism.url, r, agent);
      if (status !== 200) throw new Error(`${r.method} ${r.path} answered ${status}: ${text.slice(0, 300)}`);
    }
    return prism;
  } catch (err) {
    process.stderr.write(`bench/views: Prism rows skipped: ${(err as Error).message}\n`);
    await prism?.close();
    return undefined;
  }
}

const PRISM_NOTE = `Prism: \`prism mock\` of the OpenAPI export, static examples, -v ${PRISM_LOG}`;

function prismRows(names: string[], emu: number[], prism: number[]): BenchResult[] {
  return names.map((name, i) => ({
    name: `${name} vs Prism mock`,
    value: emu[i]!,
    unit: 'req/s',
    baseline: prism[i]!,
    ratio: emu[i]! / prism[i]!,
    goal: '>= 2',
  }));
}

async function restBench(): Promise<BenchResult[]> {
  // Callbacks go to a receiver in its own process: receiving them is the client's work.
  const receiver = await startServer('receiver');
  const emu = await startServer('emulator', 'virtual:manual', receiver.url);
  const bare = await startServer('express', 'virtual', receiver.url);
  let prism: Prism | undefined;
  try {
    const auth = { Authorization: `Token ${await token(emu)}` };
    const agent = new http.Agent({ keepAlive: false });
    const templates: Req = { method: 'GET', path: '/service/cloud/workflow/templates', headers: auth };
    const create: Req = {
      method: 'POST',
      path: '/service/cloud/workflow/createinstance',
      headers: auth,
      body: CREATE,
    };
    const [, , tplText] = await send(emu.url, templates, agent);
    const [, createStatus, createText] = await send(emu.url, create, agent);
    if (createStatus !== 200)
      throw new Error(`bench/views: createinstance answered ${createStatus}: ${createText}`);
    const callback = (await emu.call({ cmd: 'callback' })).body as string;
    await bare.call({
      cmd: 'answers',
      templates: JSON.parse(tplText),
      created: JSON.parse(createText),
      callback,
    });
    // Prism checks that a token is sent (the document's security scheme), not which one.
    prism = await prismFor(templates, create);
    const prismUrl = prism?.url;
    const withPrism = (r: Req): Contender[] => (prismUrl ? [[prismUrl, r]] : []);
    const tpl = await versus(
      [emu.url, templates, emu],
      [bare.url, { ...templates, headers: {} }, bare],
      ...withPrism(templates),
    );
    const ci = await versus(
      [emu.url, create, emu],
      [bare.url, { ...create, headers: {} }, bare],
      ...withPrism(create),
    );
    // What a creation costs beside its callback: the bare app sending one callback too.
    const withCallback: Req = { ...create, headers: {}, path: '/bare/createinstance-and-callback' };
    const cb = await versus([emu.url, create, emu], [bare.url, withCallback, bare]);
    const [tplEmu, tplBare, tplPrism] = tpl.rate;
    const [ciEmu, ciBare, ciPrism] = ci.rate;
    for (const [name, v] of [
      ['GET templates', tpl],
      ['POST createinstance', ci],
      ['POST createinstance (bare app sending one callback)', cb],
    ] as const) {
      const [e, b] = v.cpu as [number, number];
      process.stderr.write(
        `bench/views: ${name}: server CPU per request ${e.toFixed(0)} µs, bare express ${b.toFixed(0)} µs (ratio ${(b / e).toFixed(2)})\n`,
      );
    }
    if (prism) process.stderr.write(`bench/views: ${PRISM_NOTE}\n`);
    const versusPrism =
      tplPrism === undefined || ciPrism === undefined
        ? []
        : prismRows(['GET templates', 'POST createinstance'], [tplEmu!, ciEmu!], [tplPrism, ciPrism]);
    return [
      {
        name: 'GET templates vs bare express 5 (same JSON)',
        value: tplEmu!,
        unit: 'req/s',
        baseline: tplBare!,
        ratio: tplEmu! / tplBare!,
        goal: '>= 0.8',
      },
      {
        name: 'POST createinstance vs bare express 5 + same ajv schema',
        value: ciEmu!,
        unit: 'req/s',
        baseline: ciBare!,
        ratio: ciEmu! / ciBare!,
        goal: '>= 0.6',
      },
      {
        // The goal this design defends in place of >= 0.6 by req/s (docs/benchmarks-views.md,
        // "Where the missed goals stand"): CPU per request is the steadier measure.
        name: 'POST createinstance server CPU per request vs bare express 5 + same ajv schema (defended goal)',
        value: ci.cpu[0]!,
        unit: 'µs',
        baseline: ci.cpu[1]!,
        ratio: ci.cpu[0]! / ci.cpu[1]!,
        goal: '<= 4.5',
      },
      {
        name: 'POST createinstance vs bare express 5 + ajv + one callback POST',
        value: cb.rate[0]!,
        unit: 'req/s',
        baseline: cb.rate[1]!,
        ratio: cb.rate[0]! / cb.rate[1]!,
      },
      ...versusPrism,
    ];
  } finally {
    await Promise.all([emu.close(), bare.close(), prism?.close()]);
    await receiver.close();
  }
}

async function historyBench(): Promise<BenchResult[]> {
  const receiver = await startServer('receiver');
  const emu = await startServer('emulator', 'virtual:manual', receiver.url);
  try {
    const auth = { Authorization: `Token ${await token(emu)}` };
    const create: Req = {
      method: 'POST',
      path: '/service/cloud/workflow/createinstance',
      headers: auth,
      body: CREATE,
    };
    let atStart = 0;
    for (let i = 0; i < 2; i++) atStart = Math.max(atStart, (await load(emu.url, create, ROUND_MS)).rate);
    const input = JSON.parse(CREATE) as Record<string, unknown>;
    const held = (await emu.call({ cmd: 'rss' })).rss as number;
    const grown = await emu.call({ cmd: 'grow', n: GROW_TO, input });
    const rss = (await emu.call({ cmd: 'rss' })).rss as number;
    let atGrown = 0;
    for (let i = 0; i < 2; i++) atGrown = Math.max(atGrown, (await load(emu.url, create, ROUND_MS)).rate);
    process.stderr.write(
      `bench/views: ${String(grown.workflows)} workflows (${String(grown.pending)} callbacks left waiting for a retry), RSS ${(rss / 1e6).toFixed(0)} MB ` +
        `(${((rss - held) / GROW_TO / 1024).toFixed(1)} KB per one-row workflow)\n`,
    );
    return [
      {
        name: `createinstance with ${GROW_TO.toLocaleString('en-US')} workflows vs ~0`,
        value: atGrown,
        unit: 'req/s',
        baseline: atStart,
        ratio: atGrown / atStart,
        goal: '>= 0.85',
      },
    ];
  } finally {
    await emu.close();
    await receiver.close();
  }
}

/** Alternate `a` and `b` one request at a time: median ms of each and the slowest of all. */
async function alternate(url: string, a: Req, b: Req): Promise<{ a: number; b: number; max: number }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const ta: number[] = [];
  const tb: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const [ma, sa] = await send(url, a, agent);
    const [mb, sb] = await send(url, b, agent);
    if (sa !== 200 || sb !== 200) throw new Error(`bench/views: ${a.path} ${sa}, ${b.path} ${sb}`);
    ta.push(ma);
    tb.push(mb);
  }
  agent.destroy();
  return { a: median(ta), b: median(tb), max: Math.max(...ta, ...tb) };
}

/** Follow `next` from the first page to the last: pages, items, slowest page (ms). */
async function walk(url: string, path: string): Promise<{ pages: number; items: number; max: number }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  let cursor: string | null = null;
  let pages = 0;
  let items = 0;
  let max = 0;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const q: string = cursor === null ? path : `${path}${sep}cursor=${cursor}`;
    const [ms, status, text] = await send(url, { method: 'GET', path: q }, agent);
    if (status !== 200) throw new Error(`bench/views: ${q} answered ${status}: ${text}`);
    const page = JSON.parse(text) as { list: unknown[]; next: string | null };
    pages++;
    items += page.list.length;
    max = Math.max(max, ms);
    cursor = page.next;
  } while (cursor !== null);
  agent.destroy();
  return { pages, items, max };
}

/** RSS and where it goes (MB): mapped files, V8's heap, ArrayBuffers, the rest of anonymous memory. */
function memoryLine(when: string, m: Record<string, unknown>): string {
  const mb = (k: string) => (m[k] as number) / 1e6;
  const other = mb('rssAnon') - mb('heapTotal') - mb('external');
  return (
    `RSS ${when} ${mb('rss').toFixed(0)} MB = files ${mb('rssFile').toFixed(0)} + V8 heap ${mb('heapTotal').toFixed(0)} ` +
    `(used ${mb('heapUsed').toFixed(0)}) + external ${mb('external').toFixed(0)} (ArrayBuffers ${mb('arrayBuffers').toFixed(0)}) ` +
    `+ other anonymous ${other.toFixed(0)}; V8 spaces committed/used: ${m.spaces as string}`
  );
}

async function adminBench(): Promise<BenchResult[]> {
  const emu = await startServer('emulator');
  try {
    const t0 = performance.now();
    const filled = await emu.call({ cmd: 'fill', triggers: TRIGGERS });
    const held = filled.deliveries as number;
    const mem = await emu.call({ cmd: 'rss' });
    process.stderr.write(
      `bench/views: ${held} deliveries in ${((performance.now() - t0) / 1000).toFixed(0)} s; ` +
        `${memoryLine('right after the fill and a forced GC', mem)}\n`,
    );
    // The noise floor: the same server's event-loop delay over a quiet stretch of the same length
    // (on a shared machine the OS alone delays the loop now and then).
    await emu.call({ cmd: 'eld' });
    const quietStart = performance.now();
    await new Promise((r) => setTimeout(r, QUIET_MS));
    const quiet = await emu.call({ cmd: 'eld' });
    // After the quiet stretch: what the server holds once V8 has given back what its GCs freed
    // (no GC forced). Read right after the fill and a forced GC, RSS still counts that memory.
    const settled = await emu.call({ cmd: 'rss', gc: false });
    process.stderr.write(
      `bench/views: ${memoryLine('settled after the quiet stretch (no forced GC)', settled)}\n`,
    );
    process.stderr.write(
      `bench/views: event-loop delay over ${((performance.now() - quietStart) / 1000).toFixed(0)} s with no request: max ${(quiet.maxMs as number).toFixed(1)} ms, p99 ${(quiet.p99Ms as number).toFixed(1)} ms; longest GC pause ${(quiet.gcMaxMs as number).toFixed(1)} ms\n`,
    );
    const A = '/__emulator';
    const health: Req = { method: 'GET', path: `${A}/health` };
    // The delay histogram is read (and reset) after each group of reads: the goal is the largest
    // of them, and each group says its own.
    const delays: Record<string, number>[] = [];
    const delay = async (): Promise<string> => {
      const e = (await emu.call({ cmd: 'eld' })) as Record<string, number>;
      delays.push(e);
      return `; longest event-loop delay ${e.maxMs!.toFixed(1)} ms (GC pause ${e.gcMaxMs!.toFixed(1)} ms)`;
    };
    const first = await alternate(emu.url, { method: 'GET', path: `${A}/deliveries` }, health);
    process.stderr.write(`bench/views: /deliveries first page vs /health${await delay()}\n`);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const [, , wfText] = await send(emu.url, { method: 'GET', path: `${A}/workflows?limit=1` }, agent);
    const wf = (JSON.parse(wfText) as { list: { workflow_id: string }[] }).list[0]!.workflow_id;
    const others: Record<string, Req> = {
      workflows: { method: 'GET', path: `${A}/workflows` },
      'deliveries?workflow&outcome': {
        method: 'GET',
        path: `${A}/deliveries?workflow=${wf}&outcome=delivered&type=call-completion`,
      },
      'deliveries?outcome=exhausted': { method: 'GET', path: `${A}/deliveries?outcome=exhausted` },
      'deliveries?limit=10000': { method: 'GET', path: `${A}/deliveries?limit=10000` },
      'workflows/:id?limit=500': { method: 'GET', path: `${A}/workflows/${wf}?limit=500` },
      // Pages past 500 items are written a slice per event-loop turn: these count in the delay.
      'workflows/:id?limit=10000': { method: 'GET', path: `${A}/workflows/${wf}?limit=10000` },
      'workflows/:id/calls?limit=10000': { method: 'GET', path: `${A}/workflows/${wf}/calls?limit=10000` },
      'workflows/:id/contacts?limit=10000': {
        method: 'GET',
        path: `${A}/workflows/${wf}/contacts?limit=10000`,
      },
      requests: { method: 'GET', path: `${A}/requests` },
    };
    for (const [name, r] of Object.entries(others)) {
      const t = await alternate(emu.url, r, health);
      process.stderr.write(
        `bench/views: ${name}: median ${t.a.toFixed(2)} ms (health ${t.b.toFixed(2)} ms), slowest ${t.max.toFixed(1)} ms${await delay()}\n`,
      );
    }
    const walked = await walk(emu.url, `${A}/deliveries?limit=1000`);
    process.stderr.write(
      `bench/views: cursor walk of /deliveries?limit=1000: ${walked.pages} pages, ${walked.items} items, slowest page ${walked.max.toFixed(1)} ms${await delay()}\n`,
    );
    agent.destroy();
    const largest = (k: string) => Math.max(...delays.map((d) => d[k]!));
    const eld = { maxMs: largest('maxMs'), p99Ms: largest('p99Ms'), gcMaxMs: largest('gcMaxMs') };
    // Not a goal: what RSS would be with the old generation compacted (forced GCs, 1 s apart so
    // V8 can give pages back), to show how much of it is sparse pages.
    for (let i = 0; i < 5; i++) {
      await emu.call({ cmd: 'rss', gcs: 4 });
      await new Promise((r) => setTimeout(r, 1000));
    }
    const compacted = await emu.call({ cmd: 'rss', gc: false });
    process.stderr.write(
      `bench/views: ${memoryLine('after 20 forced GCs (compacted; no goal)', compacted)}\n`,
    );
    process.stderr.write(
      `bench/views: event-loop delay while reading: max ${eld.maxMs.toFixed(1)} ms, p99 ${eld.p99Ms.toFixed(1)} ms (the largest group's); longest GC pause ${(eld.gcMaxMs as number).toFixed(1)} ms\n`,
    );
    const label = `${(held / 1000).toFixed(0)}k deliveries`;
    return [
      {
        name: `/__emulator/deliveries first page vs /health, ${label}`,
        value: first.a,
        unit: 'ms',
        baseline: first.b,
        ratio: first.a / first.b,
        goal: '<= 2',
      },
      {
        name: `max event-loop delay while reading admin views, ${label}`,
        value: eld.maxMs,
        unit: 'ms',
        baseline: quiet.maxMs as number,
        goal: '<= 50 ms',
      },
      {
        name: `serve RSS holding ${label} (settled)`,
        value: (settled.rss as number) / 1e6,
        unit: 'MB',
        goal: '<= 500 MB',
      },
    ];
  } finally {
    await emu.close();
  }
}

export async function bench(): Promise<BenchResult[]> {
  return [...(await restBench()), ...(await historyBench()), ...(await adminBench())];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const only = process.argv[2];
  const parts = { rest: restBench, history: historyBench, admin: adminBench };
  const run = only && only in parts ? parts[only as keyof typeof parts] : bench;
  for (const r of await run()) process.stdout.write(`${JSON.stringify(r)}\n`);
}
