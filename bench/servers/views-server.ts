/**
 * The server side of bench/views.ts, in its own process (so its event loop, heap and RSS are its
 * own): `emulator` (the emulator on a virtual clock, argv[3] its clock (default `virtual`), with a
 * loopback receiver its callbacks go to: argv[4]'s URL, else one in its own process), `receiver`
 * (that receiver alone) or `express` (a bare express 5 app answering GET templates and POST
 * createinstance with the same JSON, the body parsed by express.json and validated with the same
 * ajv schema; with argv[4], a receiver's URL, also a createinstance that POSTs one callback). Driven over IPC:
 * `{cmd: 'fill', triggers}`, `{cmd: 'grow', n}`, `{cmd: 'eld'}` (reset and report the event-loop
 * delay histogram), `{cmd: 'rss', gc?, gcs?}`, `{cmd: 'cpu'}`; every answer is `{ok, ...}`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { createRequire } from 'node:module';
import { getHeapSpaceStatistics } from 'node:v8';
import express from 'express';
import { createEmulator } from '../../src/server/emulator.ts';
import { SCHEMA_DIR } from '../../src/assets.ts';

type Msg = { cmd: string; [k: string]: unknown };

/** Counts through the store's indexes, or the lists on a commit from before them (baselines). */
interface Counted {
  deliveryIndex?: { size: number };
  workflowCount?: () => number;
  deliveries(): unknown[];
  listWorkflows(): unknown[];
}
const deliveriesHeld = (s: Counted) => s.deliveryIndex?.size ?? s.deliveries().length;
const workflowsHeld = (s: Counted) => s.workflowCount?.() ?? s.listWorkflows().length;
const reply = (m: object) => process.send!({ ok: true, ...m });
/** The process's CPU time so far (user + system, µs): `{cmd: 'cpu'}`. */
const cpuMicros = () => {
  const u = process.cpuUsage();
  return u.user + u.system;
};

const eld = monitorEventLoopDelay({ resolution: 1 });
eld.enable();
/** The longest garbage-collection pause since the last `eld` report (a delay no view causes). */
let gcMaxMs = 0;
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) gcMaxMs = Math.max(gcMaxMs, e.duration);
}).observe({ entryTypes: ['gc'] });
const eldReport = () => {
  const r = { maxMs: eld.max / 1e6, p99Ms: eld.percentile(99) / 1e6, gcMaxMs };
  eld.reset();
  gcMaxMs = 0;
  return r;
};

/**
 * Memory now: after a forced GC unless `gc` is false. RSS read right after a GC still holds what
 * that GC freed (V8 gives pages back from a background task, and shrinks its heap at a later GC),
 * so `{cmd: 'rss', gc: false}` after an idle stretch is what a settled server holds.
 */
function memory(gc = true) {
  if (gc) (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  const status = readFileSync('/proc/self/status', 'utf8');
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN) * 1e3;
  return {
    rss: m.rss,
    heapUsed: m.heapUsed,
    heapTotal: m.heapTotal,
    external: m.external,
    arrayBuffers: m.arrayBuffers,
    rssFile: kb('RssFile'),
    rssAnon: kb('RssAnon'),
    /** V8's heap by space: `name committed/used` (MB). */
    spaces: getHeapSpaceStatistics()
      .filter((x) => x.space_size > 0)
      .map(
        (x) => `${x.space_name} ${(x.space_size / 1e6).toFixed(0)}/${(x.space_used_size / 1e6).toFixed(0)}`,
      )
      .join(', '),
  };
}

/** A receiver that answers every callback 200 `{}`; its URL. */
async function listenReceiver(): Promise<{ url: string; close: () => void }> {
  const receiver = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}'));
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/`;
  return { url, close: () => receiver.close() };
}

async function emulatorMode(): Promise<void> {
  // argv[4]: a receiver in another process (the REST rounds: receiving a callback is the client's
  // work, not the emulator's); without it, one in this process.
  const receiver = process.argv[4] ? { url: process.argv[4], close: () => {} } : await listenReceiver();
  const target = receiver.url;
  // `virtual:manual` for the REST rounds (the campaigns they create stay put: the figure is the
  // REST path's), `virtual` to play campaigns out when filling deliveries.
  const clock = process.argv[3] ?? 'virtual';
  const emu = await createEmulator({ target, clock, startTime: Date.UTC(2026, 0, 5, 1, 0, 0) });
  process.on('message', async (m: Msg) => {
    if (m.cmd === 'fill') {
      for (let i = 0; i < (m.triggers as number); i++) {
        emu.trigger('large-campaign');
        await emu.idle();
      }
      reply({ deliveries: deliveriesHeld(emu.store), workflows: workflowsHeld(emu.store) });
    } else if (m.cmd === 'grow') {
      const input = m.input as Parameters<typeof emu.workflows.create>[0];
      for (let i = 0; i < (m.n as number); i++) emu.workflows.create(input);
      // Each creation sends a status callback: let them all go out before the next round. One
      // whose attempt failed waits for its retry 60 s of clock time later, which a manual clock
      // never reaches: stop once the pending count has not moved for 2 s, and say how many.
      let pending = emu.deliveries({ outcome: 'pending' }).length;
      for (let still = 0; pending > 0 && still < 20;) {
        await new Promise((r) => setTimeout(r, 100));
        const now = emu.deliveries({ outcome: 'pending' }).length;
        still = now === pending ? still + 1 : 0;
        pending = now;
      }
      reply({ workflows: workflowsHeld(emu.store), pending });
    } else if (m.cmd === 'eld') {
      reply(eldReport());
    } else if (m.cmd === 'cpu') {
      reply({ micros: cpuMicros() });
    } else if (m.cmd === 'callback') {
      // The newest callback's body (what a creation sends), for the bare app to send alike.
      reply({ body: emu.deliveries().at(-1)?.body ?? '{}' });
    } else if (m.cmd === 'rss') {
      // `gcs`: that many forced GCs first (each compacts a few MB of the old generation's sparse
      // pages), to show what the heap would hold compacted.
      for (let i = 1; i < ((m.gcs as number | undefined) ?? 0); i++)
        (globalThis as { gc?: () => void }).gc?.();
      reply(memory(m.gc !== false));
    } else if (m.cmd === 'close') {
      await emu.close();
      receiver.close();
      process.exit(0);
    }
  });
  process.send!({
    ok: true,
    url: emu.url,
    appKey: emu.credentials.appKey,
    appSecret: emu.credentials.appSecret,
  });
}

/** The same ajv (2020) over the same schema files the emulator validates against. */
function createInstanceValidator(): (v: unknown) => boolean {
  const require = createRequire(import.meta.url);
  const Ajv = require('ajv/dist/2020.js') as { default: new (o: object) => AjvLike };
  const addFormats = require('ajv-formats') as { default: (a: AjvLike) => void };
  interface AjvLike {
    addSchema(s: object): void;
    getSchema(id: string): ((v: unknown) => boolean) | undefined;
    addKeyword(k: string): void;
  }
  const ajv = new Ajv.default({ strict: false, allErrors: false });
  addFormats.default(ajv);
  for (const f of readdirSync(SCHEMA_DIR).filter((x) => x.endsWith('.schema.json'))) {
    ajv.addSchema(JSON.parse(readFileSync(join(SCHEMA_DIR, f), 'utf8')) as object);
  }
  return ajv.getSchema('https://airudder-emulator.local/schemas/createinstance-request.schema.json')!;
}

async function expressMode(): Promise<void> {
  const validate = createInstanceValidator();
  let templates: unknown = {};
  let created: unknown = {};
  const app = express();
  app.get('/service/cloud/workflow/templates', (_req, res) => {
    res.json(templates);
  });
  app.post('/service/cloud/workflow/createinstance', express.json(), (req, res) => {
    if (!validate(req.body)) res.status(400).json({ code: 400, message: 'invalid request' });
    else res.json(created);
  });
  // The same, plus what a creation also does outside the answer: one callback POSTed to the
  // receiver (argv[4]) on a keep-alive connection, answered before the callback is sent.
  let callback = '{}';
  const target = process.argv[4];
  const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });
  const post = () => {
    const out = http.request(target!, {
      method: 'POST',
      agent,
      headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(callback) },
    });
    out.on('response', (r) => r.resume());
    out.on('error', () => undefined);
    out.end(callback);
  };
  app.post('/bare/createinstance-and-callback', express.json(), (req, res) => {
    if (!validate(req.body)) res.status(400).json({ code: 400, message: 'invalid request' });
    else {
      res.json(created);
      setImmediate(post);
    }
  });
  const server = http.createServer(app);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  process.on('message', (m: Msg) => {
    if (m.cmd === 'answers') {
      templates = m.templates;
      created = m.created;
      callback = (m.callback as string | undefined) ?? callback;
      reply({});
    } else if (m.cmd === 'eld') {
      reply(eldReport());
    } else if (m.cmd === 'cpu') {
      reply({ micros: cpuMicros() });
    } else if (m.cmd === 'close') {
      server.closeAllConnections();
      server.close(() => process.exit(0));
    }
  });
  process.send!({ ok: true, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
}

/** Only the receiver (argv[2] `receiver`), for an emulator in another process. */
async function receiverMode(): Promise<void> {
  const receiver = await listenReceiver();
  process.on('message', (m: Msg) => {
    if (m.cmd === 'close') {
      receiver.close();
      process.exit(0);
    }
  });
  process.send!({ ok: true, url: receiver.url });
}

if (process.send) {
  if (process.argv[2] === 'express') await expressMode();
  else if (process.argv[2] === 'receiver') await receiverMode();
  else await emulatorMode();
}
