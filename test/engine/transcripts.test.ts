/**
 * The shape of asr_result and talk_round, after the "Custom API Node Data Push" page's example
 * (8 turns, talk_round 1, "No Voice"): turns the robot plays back to back share an offset
 * (00:00:14, 00:00:25, 00:00:35 twice each), one turn is all-empty, the one customer reply makes
 * talk_round 1. Checked on every push and call-completion of every shipped scenario and seeds:
 * - answered: talk_round = turns with customer text (at least 1); offsets start at 00:00:00,
 *   never go back and stay inside the call; an all-empty turn shares its offset with the next one;
 *   no robot line said twice in a row (no padding);
 * - silent callee ("No Voice"): no customer text, talk_round 1, the greeting, at most two
 *   re-prompts, then the robot gives up;
 * - unanswered: talk_round 0, empty asr_result, call_start_time = call_end_time, duration 0.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { messagesOf, simulate } from '../../src/engine/campaign.ts';
import { PACKS } from '../../src/engine/dialogue.ts';
import { resolveModel } from '../../src/engine/model.ts';
import { listScenarios } from '../../src/scenario/catalog.ts';
import { loadScenarioFile } from '../../src/scenario/load.ts';
import type { OutcomesSpec, Scenario } from '../../src/scenario/types.ts';
import { fixture, T0 } from './scenario-fixture.ts';

interface AsrTurn {
  time: string;
  robottext: string;
  text: string;
}

interface Call {
  where: string;
  label: string;
  talkRound: number;
  start: string;
  end: string;
  duration?: number;
  asr: AsrTurn[];
}

const seconds = (t: string): number => Date.parse(`${t.replace(' ', 'T')}Z`) / 1000;
const offset = (hms: string): number => {
  const [h, m, s] = hms.split(':').map(Number) as [number, number, number];
  return h * 3600 + m * 60 + s;
};

/** Every call carrying asr_result: push `call` and call-completion `details[0]`. */
function callsOf(scenario: Scenario, templateId: string, seed?: number): Call[] {
  const events = simulate({
    scenario,
    templateId,
    startTime: T0,
    ...(seed === undefined ? {} : { seed }),
  });
  const calls: Call[] = [];
  for (const m of messagesOf(events)) {
    if (m.type === 'call-completion') {
      const d = m.payload.details[0]!;
      calls.push({
        where: `call-completion ${d.call_id}`,
        label: d.result_label,
        talkRound: d.talk_round,
        start: d.call_start_time,
        end: d.call_end_time,
        duration: d.duration,
        asr: d.asr_result,
      });
    } else if (m.type === 'custom-api-node-push') {
      // Info Check pushes carry no transcript by default (info_check_push_asr).
      const c = m.payload.call;
      if (!c.asr_result) continue;
      calls.push({
        where: `push ${c.call_id}`,
        label: c.intention,
        talkRound: c.talk_round,
        start: c.call_start_time,
        end: c.call_end_time,
        asr: c.asr_result,
      });
    }
  }
  return calls;
}

interface Seen {
  answered: number;
  sharedOffsets: number;
  emptyTurns: number;
  silent: number;
  reprompted: number;
}

const empty = (t: AsrTurn): boolean => t.robottext === '' && t.text === '';

function checkAnswered(c: Call, seen: Seen): void {
  const spoken = c.asr.filter((t) => t.text !== '').length;
  assert.equal(c.talkRound, Math.max(1, spoken), `${c.where}: talk_round = turns the customer spoke in`);
  assert.equal(c.asr[0]?.time, '00:00:00', `${c.where}: the greeting opens the call`);
  const callSeconds = c.duration ?? seconds(c.end) - seconds(c.start);
  for (let i = 0; i < c.asr.length; i++) {
    const t = c.asr[i]!;
    assert.ok(offset(t.time) < callSeconds, `${c.where}: offset ${t.time} inside ${callSeconds} s`);
    const next = c.asr[i + 1];
    if (next === undefined) {
      assert.ok(!empty(t), `${c.where}: the last turn is the robot's closing`);
      continue;
    }
    assert.ok(offset(next.time) >= offset(t.time), `${c.where}: offsets never go back`);
    if (next.time === t.time) seen.sharedOffsets++;
    if (empty(t)) {
      seen.emptyTurns++;
      assert.equal(next.time, t.time, `${c.where}: an all-empty turn shares the next turn's offset`);
    } else {
      assert.notEqual(next.robottext, t.robottext, `${c.where}: "${t.robottext}" said twice in a row`);
    }
  }
}

function checkSilent(c: Call, hello: Set<string>, seen: Seen): void {
  seen.silent++;
  assert.equal(c.talkRound, 1, `${c.where}: a silent call has talk_round 1`);
  assert.ok(
    c.asr.every((t) => t.text === ''),
    `${c.where}: the silent customer never speaks`,
  );
  const lines = c.asr.filter((t) => t.robottext !== '');
  const reprompts = lines.filter((t) => hello.has(t.robottext)).length;
  assert.ok(reprompts <= 2, `${c.where}: at most two re-prompts`);
  if (reprompts > 0) seen.reprompted++;
}

function checkUnanswered(c: Call): void {
  assert.deepEqual(c.asr, [], `${c.where}: unanswered ⇒ no transcript`);
  assert.equal(c.start, c.end, `${c.where}: unanswered ⇒ call_start_time = call_end_time`);
  if (c.duration !== undefined) assert.equal(c.duration, 0, `${c.where}: unanswered ⇒ duration 0`);
}

/** Silent intention labels of a template (their kind decides the transcript). */
function silentLabels(scenario: Scenario, business: Scenario['templates'][number]['business']): Set<string> {
  const model = resolveModel(business, scenario.outcomes);
  return new Set(model.intentions.filter(([i]) => i.kind === 'silent').map(([i]) => i.label));
}

function checkScenario(scenario: Scenario, seeds: (number | undefined)[]): Seen {
  const seen: Seen = { answered: 0, sharedOffsets: 0, emptyTurns: 0, silent: 0, reprompted: 0 };
  const hello = new Set(Object.values(PACKS).flatMap((p) => p.hello));
  for (const seed of seeds)
    for (const t of scenario.templates) {
      const silent = silentLabels(scenario, t.business);
      for (const c of callsOf(scenario, t.id, seed)) {
        if (c.talkRound === 0) {
          checkUnanswered(c);
          continue;
        }
        seen.answered++;
        checkAnswered(c, seen);
        if (silent.has(c.label)) checkSilent(c, hello, seen);
      }
    }
  return seen;
}

/** A shipped scenario, its generated list cut to `max` rows (large-campaign has 10,000). */
function capped(s: Scenario, max: number): Scenario {
  const g = s.contacts.generate;
  if (g === undefined || g.count <= max) return s;
  return { ...s, contacts: { ...s.contacts, generate: { ...g, count: max } } };
}

const SILENT_ONLY: OutcomesSpec = {
  dial: { answered: 1 },
  intentions: [{ label: 'E', description: 'No Voice', weight: 1, kind: 'silent' }],
};

describe('asr_result and talk_round have the shape of the vendor example', () => {
  for (const shipped of listScenarios()) {
    it(`shipped scenario ${shipped.name}, seeds default, 1, 2`, () => {
      const scenario = capped(loadScenarioFile(shipped.file), 300);
      const seen = checkScenario(scenario, [undefined, 1, 2]);
      if (seen.answered > 20) {
        assert.ok(seen.sharedOffsets > 0, `${shipped.name}: turns sharing an offset`);
        assert.ok(seen.emptyTurns > 0, `${shipped.name}: all-empty turns`);
      }
    });
  }

  for (const business of ['collection', 'telemarketing', 'ecommerce'] as const)
    for (const locale of ['id_ID', 'en_PH', 'es_MX', 'zh_CN'] as const)
      it(`every intention, ${business} in ${locale}, seeds 1..4`, () => {
        for (let seed = 1; seed <= 4; seed++) {
          const scenario = fixture({
            business,
            locale,
            seed,
            count: 150,
            outcomes: { dial: { answered: 1 } },
          });
          const seen = checkScenario(scenario, [undefined]);
          assert.ok(seen.silent > 0 && seen.reprompted > 0, `${business} ${locale} ${seed}: silent calls`);
        }
      });

  it('a silent callee re-prompted twice: the example turn by turn (all-empty turn before each beat)', () => {
    const scenario = fixture({
      count: 5,
      locale: 'en_PH',
      outcomes: { ...SILENT_ONLY, asr: { empty_turn_share: 1, silence_reprompts: 2 } },
    });
    const calls = callsOf(scenario, 't1').filter((c) => c.where.startsWith('push'));
    assert.equal(calls.length, 5);
    for (const c of calls) {
      const shape = c.asr.map((t) => [t.robottext.slice(0, 14), t.text]);
      assert.deepEqual(shape, [
        ['Hello, this is', ''],
        ['', ''],
        ['Hello?', ''],
        ['Am I speaking ', ''],
        ['', ''],
        ['Are you there?', ''],
        ['Am I speaking ', ''],
        ['', ''],
        ['Sorry, we cann', ''],
      ]);
      const at = c.asr.map((t) => offset(t.time));
      assert.deepEqual(
        [at[1] === at[2] && at[2] === at[3], at[4] === at[5] && at[5] === at[6], at[7] === at[8]],
        [true, true, true],
      );
      assert.ok(at[0]! < at[1]! && at[3]! < at[4]! && at[6]! < at[7]!, `${c.where}: beats grow`);
      assert.equal(c.talkRound, 1);
    }
  });

  it('outcomes.asr: no all-empty turns at share 0, no re-prompt at 0 re-prompts', () => {
    const scenario = fixture({
      count: 40,
      outcomes: { ...SILENT_ONLY, asr: { empty_turn_share: 0, silence_reprompts: 0 } },
    });
    for (const c of callsOf(scenario, 't1')) {
      assert.equal(c.asr.length, 2, `${c.where}: greeting and closing`);
      assert.ok(!c.asr.some(empty));
    }
  });

  it('a promise to pay: each line once, the closing answered when four rounds are drawn', () => {
    const scenario = fixture({
      count: 10,
      locale: 'en_PH',
      outcomes: {
        dial: { answered: 1 },
        asr: { empty_turn_share: 0 },
        intentions: [{ label: 'A', description: 'Promise to pay', weight: 1, kind: 'ptp', talk_rounds: 9 }],
      },
    });
    for (const c of callsOf(scenario, 't1')) {
      assert.equal(c.talkRound, 4, c.where);
      assert.deepEqual(
        c.asr.map((t) => t.robottext.split(' ').slice(0, 3).join(' ')),
        ['Hello, this is', 'We are calling', 'So you will', 'Thank you for'],
      );
      assert.equal(c.asr[3]!.text, 'Okay.');
    }
  });
});
