/**
 * Payload generation throughput, per message type: payloads/s for generate + validate +
 * JSON.stringify on one thread (one core), next to a baseline measured in the same run — the
 * stock seeded Faker (src/core/random.ts) generating the same number of plain records
 * ({ name, phone, city, amount }). Goals (issue 3): at least 30,000 payloads/s per core, and
 * validation adding under 20% to generation.
 *
 * Method:
 * - Each per-type case runs a campaign whose template configures *only* that callback type, with
 *   as many rows as payloads wanted, so the row is charged with everything the engine does to
 *   produce those payloads: contact generation, every dial and redial, transcripts, ids, times
 *   (nothing is amortised over other message types). Status changes happen twice per run
 *   (Running, then Stopped), so that case creates and runs N/2 one-row campaigns.
 * - The pipeline is the one `run` uses: the campaign is stepped with nextTime()/advanceTo(), and
 *   each message is validated and serialized as it comes out, then let go (the runner hands it to
 *   the delivery service). "validate" and "stringify" are timed around each call (performance.now
 *   before and after); "generate" is the rest of the wall time: creating the campaign, stepping
 *   it, building the payloads. payloads/s = N / total wall time.
 * - Validation overhead (the goal) = validate time / generate time. Also printed, for context
 *   only: validate / (generate + stringify), what validation adds to producing the bytes sent.
 * - A context row (no goal) runs the whole campaign through simulate(), which keeps every event
 *   in memory as the server's store does: the cost of a growing heap.
 * - Isolation and noise: each case runs in its own child process (V8 specialises the validators
 *   and builders to the object shapes they see; mixing business lines in one process would
 *   measure the harness, not a run), PROCESSES times. Each process does one warm-up round, then
 *   ROUNDS rounds, each followed by the Faker baseline; every phase and the baseline keep their
 *   best (lowest) time over all rounds of all processes.
 *
 * `npx tsx bench/generate.ts [rounds] [processes]` prints a table; bench/index.ts imports bench().
 */
import { execFileSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { validate } from '../src/contract/registry.ts';
import { createFaker } from '../src/core/random.ts';
import { createCampaign, messagesOf, simulate } from '../src/engine/campaign.ts';
import type { CallbackType, Campaign, OutboundMessage } from '../src/engine/types.ts';
import type { Business, Scenario } from '../src/scenario/types.ts';
import type { BenchResult } from './index.ts';

const START = Date.UTC(2024, 2, 11, 2, 0, 0);
/** Payloads per case and round. */
const N = 10_000;
const ROUNDS = 5;
const PROCESSES = 3;
const GOAL_RATE = 30_000;
const GOAL_VALIDATION_PCT = 20;
const SINK = 'http://127.0.0.1:4010/__emulator/sink/bench';

const ALL_TYPES: CallbackType[] = [
  'call-completion',
  'custom-api-node-push',
  'list-completion',
  'workflow-status-change',
];

function scenario(business: Business, types: CallbackType[], count: number): Scenario {
  return {
    name: 'bench',
    seed: 1,
    account: { timezone: 'Asia/Jakarta', locale: 'id_ID' },
    pacing: { calls_per_minute: 6000 },
    templates: [
      {
        id: 'bench',
        business,
        nodes: [
          {
            type: 'voicebot_call',
            robot_id: '4496',
            sip_line: 'BENCH',
            repeat_number: 1,
            repeat_interval: 1,
          },
          { type: 'api', name: 'API2', custom_attribute: { a: '1' } },
        ],
        callbacks: Object.fromEntries(types.map((t) => [t, { url: SINK }])),
      },
    ],
    contacts: { generate: { count } },
  };
}

interface Case {
  /** Row label. */
  name: string;
  /** A context row: printed, no goal checked. */
  context?: boolean;
  /** Produce the case's payloads, handing each to `each` as it is built. */
  run(each: (m: OutboundMessage) => void): void;
}

/** Step a campaign to its end as the runner does, handing over each message as it comes out. */
function drain(c: Campaign, each: (m: OutboundMessage) => void): void {
  for (let t = c.nextTime(); t !== null; t = c.nextTime())
    for (const e of c.advanceTo(t)) for (const m of e.messages) each(m);
}

/** A campaign configuring only `type`: one payload of it per row. */
function onlyType(name: string, business: Business, type: CallbackType): Case {
  const s = scenario(business, [type], N);
  return { name, run: (each) => drain(createCampaign({ scenario: s, startTime: START }), each) };
}

/** N/2 one-row campaigns, each created, started and stopped: Running + Stopped notices. */
function statusChanges(): Case {
  const s = scenario('collection', ['workflow-status-change'], 1);
  s.contacts = { rows: [{ callee: '+6281234567890' }] };
  return {
    name: 'workflow-status-change',
    run(each) {
      for (let i = 0; i < N / 2; i++) {
        const c = createCampaign({ scenario: s, startTime: START, seed: i });
        c.stop(START + 1000);
        drain(c, each);
      }
    },
  };
}

const everyType = scenario('collection', ALL_TYPES, N);
const CASES: Case[] = [
  {
    name: 'campaign, every message type',
    run: (each) => drain(createCampaign({ scenario: everyType, startTime: START }), each),
  },
  onlyType('call-completion', 'collection', 'call-completion'),
  onlyType('call-completion-info-check', 'info_check', 'call-completion-info-check'),
  onlyType('custom-api-node-push', 'collection', 'custom-api-node-push'),
  onlyType('custom-api-node-push (info_check)', 'info_check', 'custom-api-node-push'),
  onlyType('list-completion', 'telemarketing', 'list-completion'),
  statusChanges(),
  {
    name: 'campaign, every message type, simulate() keeping every event',
    context: true,
    run(each) {
      for (const m of messagesOf(simulate({ scenario: everyType, startTime: START }))) each(m);
    },
  },
];

/** Milliseconds for the stock seeded Faker to generate `n` plain records. */
function baselineMs(n: number, seed: number): number {
  const faker = createFaker(seed, START, 'id_ID');
  const t0 = performance.now();
  let sink = 0;
  for (let i = 0; i < n; i++) {
    const rec = {
      name: faker.person.fullName(),
      phone: faker.phone.number({ style: 'international' }),
      city: faker.location.city(),
      amount: faker.finance.amount(),
    };
    sink += rec.name.length + rec.phone.length + rec.city.length + rec.amount.length;
  }
  const ms = performance.now() - t0;
  if (sink <= 0) throw new Error('unreachable');
  return ms;
}

interface Phases {
  n: number;
  /** generate + validate + stringify of one round. */
  total: number;
  generate: number;
  validate: number;
  stringify: number;
  baseline: number;
}

function runOnce(c: Case): Omit<Phases, 'baseline'> {
  let n = 0;
  let bytes = 0;
  let val = 0;
  let json = 0;
  const t0 = performance.now();
  c.run((m) => {
    const a = performance.now();
    const r = validate(m.type, m.payload);
    const b = performance.now();
    bytes += JSON.stringify(m.payload).length;
    const d = performance.now();
    if (!r.ok) throw new Error(`${c.name}: ${m.type} payload invalid: ${JSON.stringify(r.errors)}`);
    val += b - a;
    json += d - b;
    n++;
  });
  const total = performance.now() - t0;
  if (n === 0 || bytes === 0) throw new Error(`${c.name}: no payloads`);
  return { n, total, generate: total - val - json, validate: val, stringify: json };
}

/** Phase by phase, the lowest of `all` (all Infinity for none). */
function bestOf(all: Phases[]): Phases {
  const b: Phases = {
    n: 0,
    total: Infinity,
    generate: Infinity,
    validate: Infinity,
    stringify: Infinity,
    baseline: Infinity,
  };
  for (const p of all) {
    b.n = p.n;
    b.total = Math.min(b.total, p.total);
    b.generate = Math.min(b.generate, p.generate);
    b.validate = Math.min(b.validate, p.validate);
    b.stringify = Math.min(b.stringify, p.stringify);
    b.baseline = Math.min(b.baseline, p.baseline);
  }
  return b;
}

/** One process's measurement of one case: a warm-up round, then `rounds` rounds, best of each. */
function measureHere(c: Case, rounds: number): Phases {
  runOnce(c);
  baselineMs(N, 0);
  const samples: Phases[] = [];
  for (let r = 0; r < rounds; r++) {
    const p = runOnce(c);
    samples.push({ ...p, baseline: baselineMs(p.n, r + 1) });
  }
  return bestOf(samples);
}

export interface CaseResult {
  name: string;
  context: boolean;
  n: number;
  /** Best times over every round of every process, ms (total: the best whole round). */
  total: number;
  generate: number;
  validate: number;
  stringify: number;
  baseline: number;
  perSecond: number;
  baselinePerSecond: number;
  ratio: number;
  /** validate / generate, % (the goal's measure). */
  validationPct: number;
  /** validate / (generate + stringify), % (what validation adds to producing the bytes sent). */
  validationPipelinePct: number;
}

/** Case `index` measured in a fresh child process (this file, run with `--child`). */
function measureInChild(index: number, rounds: number): Phases {
  const out = execFileSync(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', String(index), String(rounds)],
    {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  return JSON.parse(out) as Phases;
}

export function measure(rounds = ROUNDS, processes = PROCESSES): CaseResult[] {
  const samples: Phases[][] = CASES.map(() => []);
  // Process p of every case before process p + 1 of any: each case's samples are spread over
  // the whole run instead of landing in one busy stretch.
  for (let p = 0; p < processes; p++) CASES.forEach((_, i) => samples[i]!.push(measureInChild(i, rounds)));
  return CASES.map((c, i) => {
    const b = bestOf(samples[i]!);
    const perSecond = (b.n / b.total) * 1000;
    const baselinePerSecond = (b.n / b.baseline) * 1000;
    return {
      name: c.name,
      context: c.context === true,
      ...b,
      perSecond,
      baselinePerSecond,
      ratio: perSecond / baselinePerSecond,
      validationPct: (b.validate / b.generate) * 100,
      validationPipelinePct: (b.validate / (b.generate + b.stringify)) * 100,
    };
  });
}

export async function bench(): Promise<BenchResult[]> {
  const rows: BenchResult[] = [];
  for (const r of measure()) {
    // The throughput row carries the goal on its value (index.ts checks `ratio` when present,
    // so the ratio to the Faker baseline gets its own row). Context rows carry no goal.
    rows.push({
      name: `generate+validate+stringify ${r.name} (1 thread)`,
      value: Math.round(r.perSecond),
      unit: 'payloads/s',
      baseline: Math.round(r.baselinePerSecond),
      ...(r.context ? {} : { goal: `>= ${GOAL_RATE}` }),
    });
    rows.push({
      name: `  vs Faker plain records ${r.name}`,
      value: Number(r.ratio.toFixed(3)),
      unit: 'x baseline',
    });
    rows.push({
      name: `  validation overhead ${r.name}`,
      value: Number(r.validationPct.toFixed(1)),
      unit: '% of generate',
      ...(r.context ? {} : { goal: `< ${GOAL_VALIDATION_PCT}` }),
    });
  }
  return rows;
}

function printTable(rounds: number, processes: number): void {
  process.stdout.write(
    `bench/generate: ${N} payloads per case, generate + validate + JSON.stringify on 1 thread, ` +
      `each message validated and serialized as the campaign emits it; each case in ${processes} ` +
      `fresh processes × (warm-up + ${rounds} rounds), best per phase\n` +
      `baseline: stock seeded Faker generating the same number of {name, phone, city, amount} records, ` +
      `after each round\n` +
      `machine: ${cpus().length} cores, load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}\n\n`,
  );
  const res = measure(rounds, processes);
  const us = (ms: number, n: number) => ((ms * 1000) / n).toFixed(2);
  const verdict = (r: CaseResult, ok: boolean) => (r.context ? '-' : ok ? 'ok' : 'MISSED');
  const table = [
    [
      'case',
      'payloads',
      'gen µs',
      'val µs',
      'json µs',
      'payloads/s',
      'faker rec/s',
      'ratio',
      'val/gen %',
      'val/(gen+json) %',
      `>= ${GOAL_RATE}/s`,
      `val/gen < ${GOAL_VALIDATION_PCT}%`,
    ],
    ...res.map((r) => [
      r.name,
      String(r.n),
      us(r.generate, r.n),
      us(r.validate, r.n),
      us(r.stringify, r.n),
      String(Math.round(r.perSecond)),
      String(Math.round(r.baselinePerSecond)),
      r.ratio.toFixed(3),
      r.validationPct.toFixed(1),
      r.validationPipelinePct.toFixed(1),
      verdict(r, r.perSecond >= GOAL_RATE),
      verdict(r, r.validationPct < GOAL_VALIDATION_PCT),
    ]),
  ];
  const widths = table[0]!.map((_, c) => Math.max(...table.map((row) => row[c]!.length)));
  for (const row of table) {
    process.stdout.write(
      `${row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ')}\n`,
    );
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  if (args[0] === '--child') {
    // One case, measured in this fresh process; the parent reads the JSON.
    const c = CASES[Number(args[1])];
    if (!c) throw new Error(`no case ${args[1]}`);
    process.stdout.write(JSON.stringify(measureHere(c, Number(args[2] ?? ROUNDS))));
  } else {
    printTable(Number(args[0] ?? ROUNDS), Number(args[1] ?? PROCESSES));
  }
}
