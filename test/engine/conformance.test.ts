/**
 * Every payload the engine builds passes its schema (schemas/<type>.schema.json), over thousands
 * of payloads per message type and business line, and is consistent inside itself.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { validate } from '../../src/contract/registry.ts';
import { createCampaign, messagesOf, simulate } from '../../src/engine/campaign.ts';
import { DEFAULT_QUESTIONS, expectedAnswer } from '../../src/engine/info-check.ts';
import type { OutboundMessage } from '../../src/engine/types.ts';
import type { AsrTurn, CustomApiNodePushCall, QuestionAnswer, StringMap } from '../../src/generated/types.ts';
import type { Business, Scenario } from '../../src/scenario/types.ts';
import { fixture, T0 } from './scenario-fixture.ts';

/** The call fields a call-completion detail and a push's `call` share. */
type CallFields = Pick<
  CustomApiNodePushCall,
  'call_start_time' | 'call_end_time' | 'talk_round' | 'hangup_type' | 'ring_type'
>;

const LOCALES: [Scenario['account']['locale'], string, string][] = [
  ['id_ID', 'Asia/Jakarta', '+62'],
  ['en_PH', 'Asia/Manila', '+63'],
  ['es_MX', 'America/Mexico_City', '+52'],
  ['en_IN', 'Asia/Kolkata', '+91'],
];

const secs = (t: string): number => Date.parse(t.replace(' ', 'T') + 'Z') / 1000;
const offset = (t: string): number => {
  const [h, m, s] = t.split(':').map(Number);
  return h! * 3600 + m! * 60 + s!;
};

function checkCall(d: CallFields, duration: number, asr: AsrTurn[] | undefined, label: string): void {
  assert.ok(secs(d.call_end_time) >= secs(d.call_start_time), `${label}: end before start`);
  assert.equal(secs(d.call_end_time) - secs(d.call_start_time), duration, `${label}: duration`);
  if (duration === 0) {
    assert.equal(d.talk_round, 0, `${label}: unanswered talk_round`);
    if (asr) assert.deepEqual(asr, []);
    if (d.hangup_type !== 'Canceled') assert.notEqual(d.ring_type, null);
  } else {
    assert.equal(d.ring_type, 'normal');
    assert.ok(d.talk_round >= 1);
    if (asr) {
      assert.ok(asr.length >= 1);
      let prev = 0;
      for (const t of asr) {
        const o = offset(t.time);
        // Turns the robot plays back to back share an offset, as in the push page's example.
        assert.ok(o >= prev, `${label}: ASR offsets never go back`);
        assert.ok(o < duration, `${label}: ASR offset ${o} inside ${duration}`);
        prev = o;
      }
    }
  }
}

function checkMessage(m: OutboundMessage, business: Business, prefix: string): void {
  const r = validate(m.type, m.payload);
  assert.ok(r.ok, `${m.type} invalid: ${JSON.stringify(!r.ok && r.errors.slice(0, 3))}`);
  if (m.type === 'call-completion' || m.type === 'call-completion-info-check') {
    const d = m.payload.details[0]!;
    const collectionCall = m.type === 'call-completion' ? m.payload.details[0]! : undefined;
    assert.ok(d.callee.startsWith(prefix));
    checkCall(d, d.duration, collectionCall?.asr_result, m.type);
    assert.equal(d.redail_call?.length, d.call_times - 1);
    assert.equal(d.hangup_type === 'Canceled', d.result === 'cancelled', 'Canceled only for cancelled work');
    if (d.duration === 0) assert.equal(d.intention_description, 'No Answer');
    if (m.type === 'call-completion-info-check')
      checkQuestions(m.payload.details[0]!.question_answer, d.Variables, d.duration > 0);
    if (business === 'collection' && collectionCall?.asr_ptp) {
      const [date, amount] = collectionCall.asr_ptp.split(' ');
      assert.ok(
        Number(amount) > 0 && Number(amount) <= Number(d.Variables.amount),
        'PTP amount within the debt',
      );
      assert.ok(date! >= d.call_start_time.slice(0, 10), 'PTP date not before the call');
      assert.equal(d.NerSlots?.PaymentAmount, amount);
      assert.equal(d.NerSlots?.PaymentTime, date);
    }
  }
  if (m.type === 'custom-api-node-push') {
    const p = m.payload;
    const call = p.call;
    assert.ok(call.callee_number.startsWith(prefix));
    const dur = secs(call.call_end_time) - secs(call.call_start_time);
    checkCall(call, dur, call.asr_result, m.type);
    assert.equal(call.hangup_type === 'Canceled', false);
    assert.equal('borrowed_amount' in p.callee, business === 'collection', 'debt fields on collection only');
    if (business === 'info_check') checkQuestions(call.question_answer!, p.callee.extend.variables!, dur > 0);
    else assert.equal(call.question_answer, undefined);
    assert.deepEqual(
      p.callee.extra.map((e) => e.Question),
      Object.keys(p.callee.extend.variables!),
    );
  }
}

function checkQuestions(qa: QuestionAnswer[], vars: StringMap, answered: boolean): void {
  let hungUp = false;
  for (const q of qa) {
    // What the question asks for: the variable, or its part (Q5: the CURP's last 2 characters).
    const spec = DEFAULT_QUESTIONS.find((s) => s.name === q.question_name);
    const asked = spec ? expectedAnswer(spec, q.var) : q.var;
    if (q.verification_results === 'Match')
      assert.equal(q.answer, asked, 'Match only when the answer equals what was asked of the variable');
    if (q.question_type === 'open' && q.status === 'Completed' && q.answer !== '/') {
      assert.equal(q.verification_results === 'Match', q.answer === asked);
      assert.ok(Object.values(vars).includes(q.var), 'var comes from Variables');
    }
    if (hungUp || !answered) assert.equal(q.status, 'Skip', 'questions after a hang-up are skipped');
    if (q.whether_answer === 'Hangup') hungUp = true;
  }
}

const BUSINESSES: Business[] = ['collection', 'telemarketing', 'ecommerce', 'info_check'];

describe('conformance: every built payload passes its schema', () => {
  for (const business of BUSINESSES) {
    it(`thousands of payloads per type (${business})`, () => {
      const counts: Record<string, number> = {};
      LOCALES.forEach(([locale, timezone, prefix], i) => {
        const scenario = fixture({
          business,
          locale,
          timezone,
          seed: 100 + i,
          count: 400,
          numbers: { min: 1, max: 3 },
          repeatNumber: 2,
          outcomes: {
            dial: {
              answered: 40,
              normal: 25,
              busy: 10,
              switchoff: 10,
              outofarea: 5,
              wrongnum: 5,
              unregister: 5,
            },
          },
        });
        for (const m of messagesOf(simulate({ scenario, startTime: T0 }))) {
          checkMessage(m, business, prefix);
          counts[m.type] = (counts[m.type] ?? 0) + 1;
        }
      });
      const cc = business === 'info_check' ? 'call-completion-info-check' : 'call-completion';
      assert.ok(counts[cc]! >= 1600, `${cc}: ${counts[cc]}`);
      assert.ok(counts['custom-api-node-push']! >= 1600);
      assert.ok(counts['list-completion']! >= 1600);
    });

    it(`cancel / stop paths and status changes stay valid (${business})`, () => {
      let statusChanges = 0;
      let cancelled = 0;
      for (let i = 0; i < 250; i++) {
        const scenario = fixture({
          business,
          seed: i,
          count: 4,
          numbers: { min: 1, max: 2 },
          repeatNumber: 2,
        });
        const c = createCampaign({ scenario, startTime: T0, questionContentEscape: i % 2 === 0 });
        if (i % 3 === 0) c.cancel({ case_id: 'CASE-00002' }, T0 + 100_000);
        if (i % 2 === 0) c.stop(T0 + 1000 * (i % 400));
        for (let t = c.nextTime(); t !== null; t = c.nextTime()) {
          for (const e of c.advanceTo(t)) {
            for (const m of e.messages) {
              checkMessage(m, business, '+62');
              if (m.type === 'workflow-status-change') statusChanges++;
              const completion = m.type === 'call-completion' || m.type === 'call-completion-info-check';
              if (completion && m.payload.details[0]?.result === 'cancelled') cancelled++;
            }
          }
        }
      }
      assert.ok(statusChanges >= 500, `status changes: ${statusChanges}`);
      assert.ok(cancelled > 50, `cancelled callbacks: ${cancelled}`);
    });
  }
});
