/**
 * Payload generation throughput: payloads/s for generate + validate + JSON.stringify per message
 * type, next to a baseline measured in the same run (the stock seeded Faker generating the same
 * number of plain person records). Goals: ≥ 30,000 payloads/s per core; validation adding under
 * 20% to generation. `npx tsx bench/generate.ts` prints a table; bench/index.ts imports bench().
 */
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { validate } from '../src/contract/registry.ts';
import { createFaker } from '../src/core/random.ts';
import { messagesOf, simulate } from '../src/engine/campaign.ts';
import { createCampaign } from '../src/engine/campaign.ts';
import type { CallbackType, OutboundMessage } from '../src/engine/types.ts';
import type { Business, Scenario } from '../src/scenario/types.ts';

export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  baseline?: number;
  ratio?: number;
  goal?: string;
}

const START = Date.UTC(2024, 2, 11, 2, 0, 0);
const CONTACTS = 10_000;

function scenario(business: Business, only: CallbackType): Scenario {
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
        callbacks: { [only]: { url: 'http://127.0.0.1:4010/__emulator/sink/bench' } },
      },
    ],
    contacts: { generate: { count: CONTACTS } },
  };
}

/** The campaign emits status changes twice per run: bench them over many stopped campaigns. */
function statusChanges(): () => OutboundMessage[] {
  const s = scenario('collection', 'workflow-status-change');
  s.contacts = { rows: [{ callee: '+6281234567890' }] };
  return () => {
    const out: OutboundMessage[] = [];
    for (let i = 0; i < 2000; i++) {
      const c = createCampaign({ scenario: s, startTime: START, seed: i });
      c.stop(START + 1000);
      for (let t = c.nextTime(); t !== null; t = c.nextTime())
        for (const e of c.advanceTo(t)) out.push(...e.messages);
    }
    return out;
  };
}

function baselinePerSecond(n: number): number {
  const faker = createFaker(1, START, 'id_ID');
  const t0 = performance.now();
  let sink = 0;
  for (let i = 0; i < n; i++) {
    const rec = {
      name: faker.person.fullName(),
      phone: faker.phone.number({ style: 'international' }),
      city: faker.location.city(),
      amount: faker.finance.amount(),
    };
    sink += rec.name.length;
  }
  const ms = performance.now() - t0;
  if (sink < 0) throw new Error('unreachable');
  return (n / ms) * 1000;
}

function measure(
  type: CallbackType | 'all',
  generate: () => OutboundMessage[],
): { perSecond: number; n: number; validateShare: number } {
  // Warm-up: JIT, caches, and the schema registry (compiled on first use).
  for (const m of generate().slice(0, 50)) validate(m.type, m.payload);
  const t0 = performance.now();
  const msgs = generate().filter((m) => type === 'all' || m.type === type);
  const t1 = performance.now();
  for (const m of msgs) {
    const r = validate(m.type, m.payload);
    if (!r.ok) throw new Error(`${type} payload invalid: ${JSON.stringify(r.errors)}`);
  }
  const t2 = performance.now();
  let bytes = 0;
  for (const m of msgs) bytes += JSON.stringify(m.payload).length;
  const t3 = performance.now();
  if (bytes === 0) throw new Error('no payloads');
  return {
    perSecond: (msgs.length / (t3 - t0)) * 1000,
    n: msgs.length,
    validateShare: (t2 - t1) / (t1 - t0),
  };
}

export async function bench(): Promise<BenchResult[]> {
  const all = scenario('collection', 'call-completion');
  all.templates[0]!.callbacks = Object.fromEntries(
    (['call-completion', 'custom-api-node-push', 'list-completion', 'workflow-status-change'] as const).map(
      (t) => [t, { url: 'http://127.0.0.1:4010/__emulator/sink/bench' }],
    ),
  );
  const cases: [CallbackType | 'all', () => OutboundMessage[]][] = [
    ['all', () => messagesOf(simulate({ scenario: all, startTime: START }))],
    [
      'call-completion',
      () => messagesOf(simulate({ scenario: scenario('collection', 'call-completion'), startTime: START })),
    ],
    [
      'call-completion-info-check',
      () =>
        messagesOf(
          simulate({ scenario: scenario('info_check', 'call-completion-info-check'), startTime: START }),
        ),
    ],
    [
      'custom-api-node-push',
      () =>
        messagesOf(simulate({ scenario: scenario('collection', 'custom-api-node-push'), startTime: START })),
    ],
    [
      'list-completion',
      () =>
        messagesOf(simulate({ scenario: scenario('telemarketing', 'list-completion'), startTime: START })),
    ],
    ['workflow-status-change', statusChanges()],
  ];
  const results: BenchResult[] = [];
  for (const [type, gen] of cases) {
    const m = measure(type, gen);
    const baseline = baselinePerSecond(m.n);
    results.push({
      name: type === 'all' ? 'campaign, every message type' : `generate+validate+stringify ${type}`,
      value: Math.round(m.perSecond),
      unit: 'payloads/s',
      baseline: Math.round(baseline),
      ratio: Number((m.perSecond / baseline).toFixed(3)),
      goal: '>= 30000 payloads/s per core',
    });
    results.push({
      name: `validation overhead ${type === 'all' ? 'campaign' : type}`,
      value: Number((m.validateShare * 100).toFixed(1)),
      unit: '% of generation',
      goal: '< 20',
    });
  }
  return results;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const rows = await bench();
  const w = Math.max(...rows.map((r) => r.name.length));
  for (const r of rows) {
    const base = r.baseline !== undefined ? `  baseline ${r.baseline} (x${r.ratio})` : '';
    process.stdout.write(
      `${r.name.padEnd(w)}  ${String(r.value).padStart(9)} ${r.unit}${base}  goal ${r.goal ?? '-'}\n`,
    );
  }
}
