/**
 * One sink, three ways to play a scenario: its `receiver:` section answers the callbacks the same
 * way through `run --sink` (the loopback sink), the library (createEmulator, the built-in sink at
 * /__emulator/sink) and `serve` (flags, admin trigger, run-until-idle). One table of receiver
 * behaviours; per delivery, the statuses (or errors) of its attempts must match the table and
 * each other. Then: explicit sink settings win over the scenario, and bad settings are refused
 * everywhere with one message in the surface's own spelling.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { parseVendorTime } from '../../src/core/vendor-time.ts';
import { runScenario } from '../../src/run/run-scenario.ts';
import { createEmulator } from '../../src/server/emulator.ts';
import { runCli, startCli } from '../helpers/cli.ts';

const SEED = 77;
const START = '2024-03-11 10:00:00';
const TZ = 'Asia/Jakarta';
const START_MS = parseVendorTime(START, TZ)!;
const SINK = 'http://127.0.0.1:4010/__emulator/sink/sinkcase';

/** A small scenario: 3 contacts (by default), a call and an API node, three callback types to the sink. */
function scenarioText(
  receiver: string,
  delivery = 'delivery: { retry_interval_ms: 1000, max_retries: 3 }',
  contacts = 3,
): string {
  return `seed: ${SEED}
start_time: "${START}"
account: { timezone: ${TZ}, locale: id_ID }
templates:
  - id: t1
    business: telemarketing
    nodes:
      - { type: voicebot_call, robot_id: "5120", sip_line: L1, repeat_number: 1, repeat_interval: 1 }
      - { type: api, name: API2 }
    callbacks:
      call-completion: { url: ${SINK} }
      custom-api-node-push: { url: ${SINK} }
      workflow-status-change: { url: ${SINK} }
contacts:
  generate: { count: ${contacts}, case_id_prefix: "S-" }
${delivery}
receiver:
${receiver}
`;
}

type Seen = number | string;

interface Case {
  name: string;
  receiver: string;
  delivery?: string;
  /** Per callback type (`*`: any other), the status (or error) of each attempt. */
  expect: Record<string, Seen[]>;
  /** Fewer contacts where each attempt takes real time (a timeout). */
  contacts?: number;
  /** Answer bodies of each attempt, where the case gives them (library and serve). */
  bodies?: string[];
}

const CASES: Case[] = [
  {
    name: 'fail_first + fail_status',
    receiver: '  fail_first: 2\n  fail_status: 503',
    expect: { '*': [503, 503, 200] },
  },
  {
    name: 'fail_status alone fails nothing',
    receiver: '  fail_status: 502',
    expect: { '*': [200] },
  },
  {
    name: 'sequence with bodies',
    receiver:
      '  sequence:\n    - { status: 500, body: busy }\n    - { status: 404 }\n    - { status: 201, body: \'{"ok":true}\' }',
    expect: { '*': [500, 404, 201] },
    bodies: ['busy', '{"status":"failed","reason":"the emulator sink fails this attempt"}', '{"ok":true}'],
  },
  {
    name: 'fail_types',
    receiver: '  fail_first: 1\n  fail_status: 429\n  fail_types: [call-completion]',
    expect: { 'call-completion': [429, 200], '*': [200] },
  },
  {
    name: 'delay_ms beyond the timeout',
    receiver: '  delay_ms: 3000',
    delivery: 'delivery: { timeout_ms: 150, retry_interval_ms: 1000, max_retries: 1 }',
    contacts: 1,
    expect: { '*': ['timeout', 'timeout'] },
  },
  {
    name: 'a sequence entry delayed past the timeout, then answered',
    receiver: '  sequence:\n    - { status: 200, delay_ms: 3000 }\n    - { status: 200 }',
    delivery: 'delivery: { timeout_ms: 150, retry_interval_ms: 1000, max_retries: 2 }',
    contacts: 1,
    expect: { '*': ['timeout', 200] },
  },
];

interface Played {
  id: string;
  type: string;
  seen: Seen[];
  responses: (string | undefined)[];
}

interface AttemptLike {
  status?: number;
  error?: string;
  response?: string;
}

function played(records: { id: string; type: string; attempts: AttemptLike[] }[]): Played[] {
  return records
    .map((d) => ({
      id: d.id,
      type: d.type,
      seen: d.attempts.map((a) => a.status ?? a.error ?? '?'),
      responses: d.attempts.map((a) => a.response),
    }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

const statuses = (p: Played[]) => p.map(({ id, type, seen }) => ({ id, type, seen }));

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'sink-behaviour-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** Write the case's scenario as `<dir>/<name>.yaml`; the file name is the scenario's name. */
function writeScenario(name: string, text: string): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, text);
  return file;
}

async function playRun(file: string, name: string): Promise<Played[]> {
  const report = join(dir, `${name}.report.json`);
  const r = await runCli(['run', file, '--sink', '--quiet', '--report', report]);
  assert.ok(r.code === 0 || r.code === 1, r.stderr);
  const json = JSON.parse(readFileSync(report, 'utf8')) as {
    deliveries: { id: string; type: string; attempts: AttemptLike[] }[];
  };
  return played(json.deliveries);
}

async function playLibrary(file: string, name: string): Promise<Played[]> {
  const emu = await createEmulator({ scenarios: [file], seed: SEED, startTime: START_MS, clock: 'virtual' });
  try {
    emu.trigger(name);
    await emu.idle();
    return played(emu.deliveries());
  } finally {
    await emu.close();
  }
}

async function playServe(file: string, name: string): Promise<Played[]> {
  const serve = startCli([
    'serve',
    '--port=0',
    '--quiet',
    '--clock=virtual:manual',
    `--seed=${SEED}`,
    `--start-time=${new Date(START_MS).toISOString()}`,
    `--scenario=${file}`,
  ]);
  try {
    await serve.waitFor((out) => /listening on http:\/\/[\d.]+:\d+/.test(out));
    const base = /listening on (http:\/\/[\d.]+:\d+)/.exec(serve.output())![1]!;
    const call = async (method: string, path: string) => {
      const res = await fetch(`${base}/__emulator${path}`, { method });
      assert.ok(res.ok, `${method} ${path}: ${res.status}`);
      return (await res.json()) as Record<string, unknown>;
    };
    await call('POST', `/scenarios/${name}/trigger`);
    await call('POST', '/clock/run-until-idle');
    const list = (await call('GET', '/deliveries?limit=10000')).list as { id: string }[];
    const records = [];
    for (const d of list) {
      records.push(
        (await call('GET', `/deliveries/${d.id}`)) as unknown as Played & { attempts: AttemptLike[] },
      );
    }
    return played(records);
  } finally {
    await serve.stop('SIGTERM');
  }
}

describe('one sink: a scenario receiver answers alike in run --sink, the library and serve', () => {
  CASES.forEach((c, i) => {
    it(c.name, async () => {
      const name = `sinkcase${i}`;
      const file = writeScenario(name, scenarioText(c.receiver, c.delivery, c.contacts));
      const run = await playRun(file, name);
      const lib = await playLibrary(file, name);
      const serve = await playServe(file, name);

      assert.ok(run.length >= 3, `deliveries: ${run.length}`);
      for (const d of run) assert.deepEqual(d.seen, c.expect[d.type] ?? c.expect['*'], `${d.type} ${d.id}`);
      assert.deepEqual(statuses(lib), statuses(run), 'library vs run --sink');
      assert.deepEqual(statuses(serve), statuses(run), 'serve vs run --sink');
      if (c.bodies) {
        for (const d of [...lib, ...serve]) assert.deepEqual(d.responses, c.bodies, d.id);
      }
    });
  });

  it('run --sink answers a sequence with its bodies too', async () => {
    const c = CASES.find((x) => x.bodies)!;
    const file = writeScenario('sinkbodies', scenarioText(c.receiver));
    const responses: string[][] = [];
    const report = await runScenario({
      scenario: file,
      sink: true,
      onEvent: (e) => {
        if (e.type === 'delivery:delivered') responses.push(e.delivery.attempts.map((a) => a.response ?? ''));
      },
    });
    assert.ok(report.deliveries.length > 0);
    assert.equal(responses.length, report.deliveries.length);
    for (const r of responses) assert.deepEqual(r, c.bodies);
  });
});

describe('explicit sink settings win over the scenario receiver', () => {
  const receiver = '  fail_first: 2\n  fail_status: 503';

  it('library: the sink option, configure() and followScenarios()', async () => {
    const file = writeScenario('explicitlib', scenarioText(receiver));
    const emu = await createEmulator({ scenarios: [file], clock: 'virtual', sink: { mode: 'ok' } });
    try {
      assert.equal(emu.sink.source(), 'explicit');
      emu.trigger('explicitlib');
      await emu.idle();
      const first = emu.deliveries();
      assert.ok(first.length > 0);
      assert.ok(first.every((d) => d.attempts.length === 1 && d.attempts[0]!.status === 200));

      emu.sink.followScenarios();
      assert.equal(emu.sink.source(), 'scenario');
      emu.trigger('explicitlib');
      await emu.idle();
      const second = emu.deliveries().slice(first.length);
      assert.equal(second.length, first.length);
      assert.ok(second.every((d) => d.attempts.map((a) => a.status).join() === '503,503,200'));

      assert.deepEqual(emu.sink.configure({ mode: 'fail', failStatus: 500, failFirst: 1 }), {
        mode: 'fail',
        failStatus: 500,
        failFirst: 1,
      });
      emu.trigger('explicitlib');
      await emu.idle();
      const third = emu.deliveries().slice(2 * first.length);
      assert.ok(third.every((d) => d.attempts.map((a) => a.status).join() === '500,200'));
    } finally {
      await emu.close();
    }
  });

  it('admin API: PUT /sink wins; {"source": "scenario"} goes back', async () => {
    const file = writeScenario('explicitadmin', scenarioText(receiver));
    const emu = await createEmulator({ scenarios: [file], clock: 'virtual' });
    try {
      const A = '/__emulator';
      assert.equal((await request(emu.url).get(`${A}/sink`)).body.source, 'scenario');
      const set = await request(emu.url)
        .put(`${A}/sink`)
        .send({ mode: 'fail', failStatus: 502, failFirst: 1 });
      assert.equal(set.status, 200);
      assert.equal((await request(emu.url).get(`${A}/sink`)).body.source, 'explicit');
      emu.trigger('explicitadmin');
      await emu.idle();
      assert.ok(emu.deliveries().every((d) => d.attempts.map((a) => a.status).join() === '502,200'));

      const back = await request(emu.url).put(`${A}/sink`).send({ source: 'scenario' });
      assert.deepEqual(back.body, { mode: 'ok', failStatus: 500 });
      assert.equal((await request(emu.url).get(`${A}/sink`)).body.source, 'scenario');
      const bad = await request(emu.url).put(`${A}/sink`).send({ source: 'scenario', mode: 'ok' });
      assert.equal(bad.status, 400);
    } finally {
      await emu.close();
    }
  });
});

describe('sink settings are checked alike, named in the surface spelling', () => {
  const SCENARIO_MSG = 'receiver.fail_status must be a failing HTTP status, 300-599 (got 200)';
  const LIBRARY_MSG = 'sink.failStatus must be a failing HTTP status, 300-599 (got 200)';
  let file: string;
  before(() => {
    file = writeScenario('badreceiver', scenarioText('  fail_first: 1\n  fail_status: 200'));
  });

  it('run: exit 2 naming receiver.fail_status (with or without --sink)', async () => {
    for (const extra of [['--sink'], ['--target', 'http://127.0.0.1:9/unused']]) {
      const r = await runCli(['run', file, ...extra]);
      assert.equal(r.code, 2);
      assert.ok(r.stderr.includes(SCENARIO_MSG), r.stderr);
    }
  });

  it('serve: refuses to start naming receiver.fail_status', async () => {
    const serve = startCli(['serve', '--port=0', '--quiet', `--scenario=${file}`]);
    const r = await serve.exited;
    assert.notEqual(r.code, 0);
    assert.ok(r.stderr.includes(SCENARIO_MSG), r.stderr);
  });

  it('library: a scenario names receiver.fail_status; the sink option, configure() and PUT name sink.failStatus', async () => {
    await assert.rejects(createEmulator({ scenarios: [file] }), (err: Error) => err.message === SCENARIO_MSG);
    await assert.rejects(
      createEmulator({ scenarios: [], sink: { mode: 'fail', failStatus: 200 } }),
      (err: Error) => err.message === LIBRARY_MSG,
    );
    const emu = await createEmulator({ scenarios: [] });
    try {
      assert.throws(
        () => emu.sink.configure({ mode: 'fail', failStatus: 200 }),
        (err: Error) => err.message === LIBRARY_MSG,
      );
      const put = await request(emu.url).put('/__emulator/sink').send({ mode: 'fail', failStatus: 200 });
      assert.equal(put.status, 400);
      assert.equal(put.body.message, LIBRARY_MSG);
      const seq = await request(emu.url)
        .put('/__emulator/sink')
        .send({ sequence: [{ status: 200, delayMs: -1 }] });
      assert.equal(seq.status, 400);
      assert.equal(seq.body.message, 'sink.sequence[0].delayMs must be an integer from 0 to 600000 (got -1)');
      assert.equal(emu.sink.source(), 'scenario', 'a refused setting changes nothing');
    } finally {
      await emu.close();
    }
  });
});
