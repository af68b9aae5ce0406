/**
 * Field pairs the vendor pages tie together ("Custom API Node Data Push" and "Notification of Call
 * Completion in Workflow", Info Check), checked on every callback of every shipped scenario and a
 * few more seeds:
 * - a question answered "Hangup" ⇒ hangup_type ByCallee, and every later question Skip;
 * - unanswered (ring_type other than normal, or duration 0) ⇒ talk_round 0, no transcript, no
 *   slots or labels, call_start_time = call_end_time, every question Skip, the no-answer label;
 * - answered ⇒ ring_type normal, talk_round ≥ 1, a transcript whose offsets stay inside the call;
 * - duration = call_end_time − call_start_time (Info Check example: 13:24:29 → 13:25:12, 43 s);
 * - call_times = earlier dials + 1 (Info Check example: call_times 2, one redail_call);
 * - earlier dials were unanswered: the no-answer label and the unanswered hangup_type (ByCallee in
 *   every example), and they started before the reported call;
 * - result_label and intention_description name the same intention (one description per label);
 * - result cancelled ⇔ hangup_type Canceled.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { messagesOf, simulate } from '../../src/engine/campaign.ts';
import { loadScenarioFile } from '../../src/scenario/load.ts';
import { scenarioFiles, scenarioNameOf } from '../../src/scenario/refs.ts';
import type { Scenario } from '../../src/scenario/types.ts';
import { fixture, T0 } from './scenario-fixture.ts';

interface Question {
  whether_answer?: string;
}

/** The fields both callbacks share (call-completion details[0], push call). */
interface Call {
  where: string;
  result?: string;
  label: string;
  description: string | undefined;
  duration?: number;
  hangup: string;
  ringType: string | null;
  ringTime: number;
  talkRound: number;
  start: string;
  end: string;
  callTimes: number;
  redials: { call_start_time: string; ring_type: string | null; hangup_type: string; result_label: string }[];
  qa?: Question[];
  asr?: { time: string }[];
  nerSlots?: Record<string, string | undefined>;
  eventLabels?: Record<string, string | undefined>;
  asrPtp?: string;
}

const seconds = (t: string): number => Date.parse(`${t.replace(' ', 'T')}Z`) / 1000;
const offset = (hms: string): number => {
  const [h, m, s] = hms.split(':').map(Number) as [number, number, number];
  return h * 3600 + m * 60 + s;
};

function callsOf(scenario: Scenario, seed?: number): Call[] {
  const events = simulate({ scenario, ...(seed !== undefined ? { seed } : {}), startTime: T0 });
  const calls: Call[] = [];
  for (const m of messagesOf(events)) {
    if (m.type === 'call-completion' || m.type === 'call-completion-info-check') {
      const d = m.payload.details[0]!;
      calls.push({
        where: `${m.type} ${d.call_id}`,
        result: d.result,
        label: d.result_label,
        description: d.intention_description,
        duration: d.duration,
        hangup: d.hangup_type,
        ringType: d.ring_type,
        ringTime: d.ring_time,
        talkRound: d.talk_round,
        start: d.call_start_time,
        end: d.call_end_time,
        callTimes: d.call_times,
        redials: d.redail_call ?? [],
        ...('question_answer' in d ? { qa: d.question_answer } : {}),
        ...('asr_result' in d ? { asr: d.asr_result, asrPtp: d.asr_ptp } : {}),
        nerSlots: d.NerSlots ?? {},
        eventLabels: d.EventLabel ?? {},
      });
    } else if (m.type === 'custom-api-node-push') {
      const c = m.payload.call;
      calls.push({
        where: `push ${c.call_id}`,
        label: c.intention,
        description: c.intention_description,
        hangup: c.hangup_type,
        ringType: c.ring_type,
        ringTime: c.ring_time,
        talkRound: c.talk_round,
        start: c.call_start_time,
        end: c.call_end_time,
        callTimes: c.call_times,
        redials: c.redial_call ?? [],
        ...(c.question_answer ? { qa: c.question_answer } : {}),
        ...(c.asr_result ? { asr: c.asr_result, asrPtp: c.asr_ptp ?? '' } : {}),
        nerSlots: c.ner_slots ?? {},
        eventLabels: c.multi_label ?? {},
      });
    }
  }
  return calls;
}

function checkCalls(scenario: Scenario, calls: Call[]): number {
  const noAnswer = scenario.outcomes?.no_answer ?? { label: 'F', description: 'No Answer' };
  const unansweredHangup = scenario.outcomes?.unanswered_hangup ?? 'ByCallee';
  const descriptions = new Map<string, string | undefined>();
  let hangups = 0;
  for (const c of calls) {
    const at = c.where;
    const cancelled = c.result === 'cancelled';
    if (c.result !== undefined)
      assert.equal(c.hangup === 'Canceled', cancelled, `${at}: Canceled ⇔ cancelled`);

    const answered = c.talkRound > 0;
    const callSeconds = seconds(c.end) - seconds(c.start);
    if (c.duration !== undefined) assert.equal(c.duration, callSeconds, `${at}: duration = end − start`);
    if (answered) {
      assert.equal(c.ringType, 'normal', `${at}: an answered call rang normally`);
      assert.ok(callSeconds > 0, `${at}: an answered call lasts`);
      if (c.asr) {
        assert.ok(c.asr.length > 0, `${at}: an answered call has a transcript`);
        for (const t of c.asr) assert.ok(offset(t.time) < callSeconds, `${at}: ASR offset inside the call`);
      }
    } else {
      assert.equal(callSeconds, 0, `${at}: unanswered ⇒ call_start_time = call_end_time`);
      assert.equal(c.label, noAnswer.label, `${at}: unanswered ⇒ the no-answer label`);
      if (!cancelled) assert.equal(c.hangup, unansweredHangup, `${at}: unanswered hangup_type`);
      if (c.asr) assert.deepEqual(c.asr, [], `${at}: unanswered ⇒ no transcript`);
      if (c.asrPtp !== undefined) assert.equal(c.asrPtp, '', `${at}: unanswered ⇒ no asr_ptp`);
      assert.deepEqual(c.nerSlots, {}, `${at}: unanswered ⇒ no slots`);
      assert.deepEqual(c.eventLabels, {}, `${at}: unanswered ⇒ no labels`);
      for (const q of c.qa ?? [])
        assert.equal(q.whether_answer, 'Skip', `${at}: unanswered ⇒ questions Skip`);
    }
    if (c.ringType !== 'normal') assert.equal(c.talkRound, 0, `${at}: ring_type ${c.ringType} ⇒ unanswered`);

    const hungUpAt = (c.qa ?? []).findIndex((q) => q.whether_answer === 'Hangup');
    if (hungUpAt >= 0) {
      hangups++;
      if (!cancelled) assert.equal(c.hangup, 'ByCallee', `${at}: whether_answer Hangup ⇒ ByCallee`);
      for (const q of c.qa!.slice(hungUpAt + 1)) {
        assert.equal(q.whether_answer, 'Skip', `${at}: questions after the hang-up are Skip`);
      }
    }

    const known = descriptions.get(c.label);
    if (!descriptions.has(c.label)) descriptions.set(c.label, c.description);
    else assert.equal(c.description, known, `${at}: one intention_description per label ${c.label}`);

    if (c.result !== undefined) {
      assert.equal(c.callTimes, c.redials.length + 1, `${at}: call_times = earlier dials + 1`);
    }
    for (const r of c.redials) {
      assert.equal(r.result_label, noAnswer.label, `${at}: an earlier dial was unanswered`);
      assert.equal(r.hangup_type, unansweredHangup, `${at}: an earlier dial's hangup_type`);
      assert.ok(seconds(r.call_start_time) <= seconds(c.start), `${at}: earlier dials started earlier`);
    }
  }
  return hangups;
}

describe('field pairs the vendor pages tie together', () => {
  for (const file of scenarioFiles()) {
    const name = scenarioNameOf(file);
    it(`hold on every callback of ${name}`, () => {
      const scenario = loadScenarioFile(file);
      // 10 000 rows prove nothing 500 do not (and take minutes).
      const gen = scenario.contacts.generate;
      if (gen && gen.count > 500) gen.count = 500;
      const calls = callsOf(scenario);
      assert.ok(calls.length > 0);
      checkCalls(scenario, calls);
    });
  }

  for (const business of ['collection', 'telemarketing', 'ecommerce', 'info_check'] as const) {
    for (const seed of [1, 7, 2024]) {
      it(`hold for ${business}, seed ${seed}`, () => {
        const scenario = fixture({ business, count: 80, numbers: { min: 1, max: 2 }, repeatNumber: 2 });
        checkCalls(scenario, callsOf(scenario, seed));
      });
    }
  }

  it('an Info Check call answered "Hangup" is ByCallee even when the callee was silent', () => {
    const scenario = fixture({
      business: 'info_check',
      count: 150,
      outcomes: {
        dial: { answered: 1 },
        intentions: [{ label: 'E', description: 'No Answer', weight: 1, kind: 'silent' }],
        info_check: { hangup_rate: 1 },
      },
    });
    const hangups = checkCalls(scenario, callsOf(scenario));
    assert.ok(hangups > 0, 'the scenario produces hang-ups');
  });

  it('unanswered dials follow the scenario: hangup_type and ring_time', () => {
    const scenario = fixture({
      count: 60,
      repeatNumber: 1,
      callbacks: ['call-completion'],
      outcomes: {
        dial: { answered: 0, normal: 1 },
        unanswered_hangup: 'ByRobot',
        ring_time_s: { unanswered: { min: 20, max: 25 }, unanswered_zero_share: 0 },
      },
    });
    const calls = callsOf(scenario);
    checkCalls(scenario, calls);
    for (const c of calls) {
      assert.equal(c.hangup, 'ByRobot');
      assert.ok(c.ringTime >= 20 && c.ringTime <= 25, `${c.where}: ring_time ${c.ringTime}`);
    }
  });

  it('by default unanswered dials are ByCallee with short rings, often 0 (the vendor examples)', () => {
    const scenario = fixture({
      count: 200,
      repeatNumber: 0,
      callbacks: ['call-completion'],
      outcomes: { dial: { answered: 0, normal: 1 } },
    });
    const calls = callsOf(scenario);
    assert.equal(calls.length, 200);
    const zeros = calls.filter((c) => c.ringTime === 0).length;
    for (const c of calls) {
      assert.equal(c.hangup, 'ByCallee');
      assert.ok(c.ringTime >= 0 && c.ringTime <= 15, `${c.where}: ring_time ${c.ringTime}`);
    }
    assert.ok(zeros > 50 && zeros < 150, `about half report 0 (${zeros} of 200)`);
  });
});
