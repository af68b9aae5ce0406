/**
 * Campaign.update (updatedetail): later calls and callbacks use the new row values; finished rows
 * and other rows are untouched; a call's callback reports the data the call was made with; row
 * identity (callee, case_id) cannot change; same inputs ⇒ same bytes.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createCampaign, messagesOf } from '../../src/engine/campaign.ts';
import { DEFAULT_QUESTIONS, expectedAnswer } from '../../src/engine/info-check.ts';
import type { Campaign, CampaignEvent, ContactInput, OutboundMessage } from '../../src/engine/types.ts';
import { validate } from '../../src/contract/registry.ts';
import type { QuestionAnswer, StringMap } from '../../src/generated/types.ts';
import { fixture, T0 } from './scenario-fixture.ts';

function drain(c: Campaign): CampaignEvent[] {
  const out: CampaignEvent[] = [];
  for (let t = c.nextTime(); t !== null; t = c.nextTime()) out.push(...c.advanceTo(t));
  return out;
}

const ROWS: ContactInput[] = [
  {
    callee: '+6281200000001',
    case_id: 'A',
    customer_name: 'Budi Santoso',
    borrowed_amount: '1000000.00',
    total_owing_amount: '1200000.00',
    currency_unit: 'IDR',
    variables: { name: 'Budi Santoso', amount: '1200000.00' },
  },
  {
    callee: ['+6281200000002', '+6281200000003'],
    case_id: 'B',
    customer_name: 'Siti Aminah',
    borrowed_amount: '2000000.00',
    total_owing_amount: '2500000.00',
    currency_unit: 'IDR',
    variables: { name: 'Siti Aminah', amount: '2500000.00' },
  },
];

const NEW = {
  customer_name: 'Siti Rahayu',
  extra_a: 'updated',
  total_owing_amount: '900000.00',
  variables: { name: 'Siti Rahayu', amount: '900000.00' },
};

const answered = fixture({ count: 1, repeatNumber: 0, outcomes: { dial: { answered: 1 } } });

function start(): Campaign {
  return createCampaign({ scenario: answered, startTime: T0, contacts: ROWS });
}

/** The case id a message is about (workflow-wide messages have none). */
function caseOf(m: OutboundMessage): string | undefined {
  switch (m.type) {
    case 'call-completion':
    case 'call-completion-info-check':
      return m.payload.details[0]?.CaseID;
    case 'custom-api-node-push':
      return m.payload.callee.case_id;
    case 'list-completion':
      return m.payload.case_id;
    default:
      return undefined;
  }
}

const byCase = (msgs: OutboundMessage[], caseId: string): OutboundMessage[] =>
  msgs.filter((m) => caseOf(m) === caseId);

describe('campaign update (updatedetail)', () => {
  it('before the dial: the callbacks and the call itself carry the new values', () => {
    const c = start();
    assert.equal(c.update({ case_id: 'B' }, NEW, T0), 1);
    const msgs = messagesOf(drain(c));
    for (const m of msgs) assert.ok(validate(m.type, m.payload).ok, `${m.type} valid`);
    const calls = byCase(msgs, 'B').filter((m) => m.type === 'call-completion');
    assert.ok(calls.length >= 1);
    for (const m of calls) {
      const d = m.payload.details[0]!;
      assert.deepEqual(d.Variables, NEW.variables);
      assert.ok(
        d.asr_result.some((t) => t.robottext.includes('Siti Rahayu')),
        'the robot says the new name',
      );
      if (d.asr_ptp) assert.ok(Number(d.asr_ptp.split(' ')[1]) <= 900000, 'PTP within the new debt');
    }
    const push = byCase(msgs, 'B').find((m) => m.type === 'custom-api-node-push')!.payload;
    assert.equal(push.callee.callee_name, 'Siti Rahayu');
    assert.equal(push.callee.extra_a, 'updated');
    assert.equal(push.callee.total_owing_amount, '900000.00');
    assert.equal(push.callee.borrowed_amount, '2000000.00', 'fields not sent keep their value');
    assert.deepEqual(push.callee.extend.variables, NEW.variables);
  });

  it('matches by callee (any number of a multi-number row)', () => {
    const c = start();
    assert.equal(c.update({ callee: '+6281200000003' }, { customer_name: 'X' }, T0), 1);
    assert.equal(c.update({ case_id: 'A', callee: '+6281200000003' }, { customer_name: 'X' }, T0), 0);
    assert.equal(c.update({ case_id: 'nope' }, { customer_name: 'X' }, T0), 0);
    assert.equal(c.update({}, { customer_name: 'X' }, T0), 0);
  });

  it('other rows are unaffected and the same update gives the same bytes', () => {
    const plain = messagesOf(drain(start()));
    const run = () => {
      const c = start();
      const first = c.advanceTo(T0);
      c.update({ case_id: 'B' }, NEW, T0);
      return messagesOf([...first, ...drain(c)]);
    };
    const a = run();
    assert.equal(JSON.stringify(a), JSON.stringify(run()), 'deterministic');
    assert.equal(JSON.stringify(byCase(a, 'A')), JSON.stringify(byCase(plain, 'A')), 'row A as before');
    assert.notEqual(JSON.stringify(byCase(a, 'B')), JSON.stringify(byCase(plain, 'B')));
    assert.equal(a.length, plain.length);
  });

  it('after the row finished: returns 0 and changes nothing', () => {
    const c = start();
    const before = JSON.stringify(messagesOf(drain(c)));
    assert.equal(c.update({ case_id: 'B' }, NEW, T0 + 86_400_000), 0);
    assert.equal(c.nextTime(), null);
    assert.deepEqual(drain(c), []);
    assert.ok(before.includes('Siti Aminah') && !before.includes('Siti Rahayu'));
  });

  it('an update at a later clock time is applied when the campaign reaches it', () => {
    // Row A: one number, every dial unanswered, redialled 2 min (+ dialler delay) apart.
    const scenario = fixture({
      count: 1,
      repeatNumber: 2,
      repeatInterval: 2,
      outcomes: { dial: { normal: 1 }, ring_time_s: { unanswered: 20 } },
      nodes: [
        { type: 'voicebot_call', robot_id: '1', sip_line: 'L', repeat_number: 2, repeat_interval: 2 },
        { type: 'api', name: 'API2' },
      ],
    });
    const c = createCampaign({ scenario, startTime: T0, contacts: [ROWS[0]!] });
    // Queued: the campaign has not reached T0 + 60 s yet.
    const later = { customer_name: 'Later Name', variables: { name: 'Later Name', amount: '1.00' } };
    assert.equal(c.update({ case_id: 'A' }, later, T0 + 60_000), 1);
    const events = drain(c);
    const dials = events.filter((e) => e.kind === 'dial.started');
    assert.ok(dials[0]!.at < T0 + 60_000 && dials.at(-1)!.at > T0 + 60_000, 'dials on both sides');
    const msgs = messagesOf(events);
    const done = msgs.find((m) => m.type === 'call-completion')!.payload;
    assert.deepEqual(done.details[0]!.Variables, later.variables, 'its last dial started after the update');
    const push = msgs.find((m) => m.type === 'custom-api-node-push')!.payload;
    assert.equal(push.callee.callee_name, 'Later Name');
  });

  it('during a call: its callback reports the data it was made with; the row data is new', () => {
    const scenario = fixture({
      business: 'info_check',
      count: 1,
      repeatNumber: 0,
      outcomes: {
        dial: { answered: 1 },
        intentions: [{ label: 'A', description: 'verified', weight: 1, kind: 'verified' }],
        info_check: { answers: { match: 1 }, hangup_rate: 0 },
      },
    });
    const row: ContactInput = {
      callee: '+525512345721',
      case_id: 'IC-1',
      variables: { DoB: '0427', CURP: 'HEGG560427MVZRRL04', name: 'Lyn', gender: 'female' },
    };
    const fresh = { DoB: '0820', CURP: 'BOXW310820HNERXN09', name: 'Wen', gender: 'male' };
    const qaMatches = (qa: QuestionAnswer[], vars: StringMap) => {
      for (const q of qa) {
        if (q.question_type !== 'open') continue;
        const v = vars[q.question_name.startsWith('Q4') ? 'DoB' : 'CURP'];
        assert.equal(q.var, v);
        const spec = DEFAULT_QUESTIONS.find((s) => s.name === q.question_name)!;
        if (q.verification_results === 'Match') assert.equal(q.answer, expectedAnswer(spec, q.var));
      }
    };

    // Updated before the dial: question_answer follows the new Variables.
    const c1 = createCampaign({ scenario, startTime: T0, contacts: [row] });
    c1.update({ case_id: 'IC-1' }, { variables: fresh }, T0);
    const m1 = messagesOf(drain(c1));
    const d1 = m1.find((m) => m.type === 'call-completion-info-check')!.payload.details[0]!;
    assert.deepEqual(d1.Variables, fresh);
    qaMatches(d1.question_answer, fresh);
    assert.ok(d1.question_answer.some((q) => q.verification_results === 'Match'));

    // Updated while the call rings: the call was made with the old Variables.
    const c2 = createCampaign({ scenario, startTime: T0, contacts: [row] });
    let started: CampaignEvent | undefined;
    while (!started) started = c2.advanceTo(c2.nextTime()!).find((e) => e.kind === 'dial.started');
    assert.equal(c2.update({ case_id: 'IC-1' }, { variables: fresh }, started.at), 1);
    const m2 = messagesOf(drain(c2));
    const d2 = m2.find((m) => m.type === 'call-completion-info-check')!.payload.details[0]!;
    assert.deepEqual(d2.Variables, row.variables);
    qaMatches(d2.question_answer, row.variables!);
    const push = m2.find((m) => m.type === 'custom-api-node-push')!.payload;
    assert.deepEqual(push.callee.extend.variables, fresh, 'the row as it is now');
    qaMatches(push.call.question_answer!, row.variables!);
  });

  it('callee and case_id identify the row and cannot be updated', () => {
    const c = start();
    assert.throws(() => c.update({ case_id: 'A' }, { callee: '+6281299999999' }, T0), /callee/);
    assert.throws(() => c.update({ case_id: 'A' }, { case_id: 'Z' }, T0), /case_id/);
  });
});
