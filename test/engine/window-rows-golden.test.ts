/**
 * Windowed campaigns, byte for byte: every event (with every message and payload) of campaigns
 * whose rows wait overnight for their calling window — several windows, cron calendars with
 * weekdays, time zones, redials crossing a window's close, cancels and updates of rows not reached
 * yet, rows uploaded at night, stops — hashed and compared with a golden recorded from the engine
 * as it was before rows waiting for a window stopped holding state (main at b999edf).
 * Regenerate only for an intended change of bytes: `RECORD=1 npx tsx --test <this file>`.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createCampaign } from '../../src/engine/campaign.ts';
import type { Scenario } from '../../src/scenario/types.ts';
import type { Campaign, CampaignEvent, ContactInput } from '../../src/engine/types.ts';
import { apiNode, callNode, fixture, T0, type FixtureOptions } from './scenario-fixture.ts';

const GOLDEN = new URL('./fixtures/window-rows-golden.json', import.meta.url);
const MIN = 60_000;
const H = 60 * MIN;

type Action =
  | { at: number; cancel: { case_id?: string; callee?: string } }
  | { at: number; update: { case_id?: string; callee?: string }; fields: Partial<ContactInput> }
  | { at: number; add: ContactInput[] }
  | { at: number; stop: true };

interface Case {
  name: string;
  scenario: Scenario;
  actions: Action[];
  /** Advance in steps of this many ms (as a server's timer would), else event by event. */
  stepMs?: number;
}

function paced(o: FixtureOptions, perMinute: number): Scenario {
  return { ...fixture(o), pacing: { calls_per_minute: perMinute } };
}

const call = (window: string | string[], repeat = 2, interval = 30) => callNode(window, repeat, interval);

const uploaded = (n: number, tag: string): ContactInput[] =>
  Array.from({ length: n }, (_, i) => ({
    callee: `+62812${tag}${String(i).padStart(5, '0')}`,
    case_id: `UP-${tag}-${i}`,
    customer_name: `Uploaded ${i}`,
    variables: { name: `Uploaded ${i}` },
  }));

const CASES: Case[] = [
  {
    // 09:00-10:59 local; one row a minute for 5 h: rows 120.. wait the night, redials cross 11:00.
    name: 'night, cancel/update/upload of rows waiting',
    scenario: paced(
      { count: 300, numbers: { min: 1, max: 3 }, window: '* 9-10 * * *', repeatInterval: 30 },
      1,
    ),
    actions: [
      { at: T0 + 3 * H, cancel: { case_id: 'CASE-00200' } },
      { at: T0 + 3 * H, update: { case_id: 'CASE-00250' }, fields: { customer_name: 'Night Update' } },
      { at: T0 + 4 * H, add: uploaded(3, '11') },
      { at: T0 + 22 * H, cancel: { case_id: 'CASE-00290' } },
      { at: T0 + 24 * H + 1, cancel: { case_id: 'CASE-00280' } },
    ],
  },
  {
    name: 'night, stop with uploaded rows waiting',
    scenario: paced({ count: 200, window: '* 9-10 * * *', repeatNumber: 1, repeatInterval: 45 }, 1),
    actions: [
      { at: T0 + 2.5 * H, add: uploaded(4, '22') },
      { at: T0 + 5 * H, stop: true },
    ],
  },
  {
    name: 'stop mid-morning burst, server-like steps',
    scenario: paced({ count: 150, window: '* 9-10 * * *', repeatInterval: 20 }, 1),
    actions: [
      { at: T0 + 30 * MIN, update: { case_id: 'CASE-00140' }, fields: { comments: 'later' } },
      { at: T0 + 24 * H + 3 * MIN, stop: true },
    ],
    stepMs: 7 * MIN + 13,
  },
  {
    // Two windows, weekdays only, New York time: Friday's night rows wait for Monday.
    name: 'cron calendars over a weekend, another zone',
    scenario: paced(
      {
        count: 240,
        timezone: 'America/New_York',
        numbers: { min: 1, max: 2 },
        window: ['0-29 9 * * 1-5', '* 14-15 * * 1-5'],
        repeatInterval: 40,
      },
      1,
    ),
    actions: [{ at: T0 + 4 * 24 * H, update: { callee: '+62000' }, fields: { comments: 'none' } }],
  },
  {
    name: 'two call nodes with their own windows, API first, info check',
    scenario: paced(
      {
        business: 'info_check',
        count: 120,
        nodes: [
          apiNode('API1'),
          call('* 9 * * *', 1, 25),
          apiNode('API3'),
          call('30-59 16 * * *', 1, 10),
          apiNode('API5'),
        ],
      },
      1,
    ),
    actions: [{ at: T0 + 26 * H, cancel: { case_id: 'CASE-00100' } }],
  },
  {
    name: 'first node a call node, second window, updates queued ahead',
    scenario: paced(
      {
        count: 180,
        numbers: 2,
        nodes: [call('* 10-11 * * *', 2, 15), apiNode('API2'), call('0-14 18 * * *', 0, 5)],
      },
      2,
    ),
    actions: [
      { at: T0, update: { case_id: 'CASE-00170' }, fields: { variables: { name: 'Later' } } },
      { at: T0 + 12 * H, update: { case_id: 'CASE-00171' }, fields: { extra_a: 'x' } },
    ],
  },
];

function drive(c: Campaign, actions: Action[], stepMs?: number): CampaignEvent[] {
  const out: CampaignEvent[] = [];
  const advance = (to: number): void => {
    for (let t = c.nextTime(); t !== null && t <= to; t = c.nextTime()) {
      const target = stepMs ? Math.min(to, t + stepMs) : t;
      out.push(...c.advanceTo(target));
    }
    out.push(...c.advanceTo(to));
  };
  for (const a of actions) {
    advance(a.at);
    if ('cancel' in a) c.cancel(a.cancel, a.at);
    else if ('update' in a) c.update(a.update, a.fields, a.at);
    else if ('add' in a) c.addContacts(a.add, a.at);
    else c.stop(a.at);
  }
  advance(Infinity);
  return out;
}

interface Digest {
  events: number;
  messages: number;
  /** sha256 of every event's JSON, one per line. */
  all: string;
  /** Per 200 events: where a difference starts. */
  chunks: string[];
}

function digest(events: CampaignEvent[]): Digest {
  const lines = events.map((e) => JSON.stringify(e));
  const chunks: string[] = [];
  for (let i = 0; i < lines.length; i += 200) chunks.push(sha(lines.slice(i, i + 200).join('\n')));
  const messages = events.reduce((n, e) => n + e.messages.length, 0);
  return { events: events.length, messages, all: sha(lines.join('\n')), chunks };
}

const sha = (s: string): string => createHash('sha256').update(s).digest('hex').slice(0, 24);

function run(k: Case): Digest {
  return digest(drive(createCampaign({ scenario: k.scenario, startTime: T0 }), k.actions, k.stepMs));
}

describe('windowed campaigns: same bytes as before rows waited without state', () => {
  if (process.env['RECORD']) {
    it('records the golden', () => {
      const golden = Object.fromEntries(CASES.map((k) => [k.name, run(k)]));
      writeFileSync(GOLDEN, `${JSON.stringify(golden, null, 1)}\n`);
    });
    return;
  }
  const golden = JSON.parse(readFileSync(GOLDEN, 'utf8')) as Record<string, Digest>;
  for (const k of CASES) {
    it(k.name, () => {
      const got = run(k);
      const want = golden[k.name]!;
      const first = want.chunks.findIndex((h, i) => got.chunks[i] !== h);
      assert.deepEqual(
        { events: got.events, messages: got.messages, firstDifferentChunk: first },
        { events: want.events, messages: want.messages, firstDifferentChunk: -1 },
      );
      assert.equal(got.all, want.all);
    });
  }
});
