/** Stepping, status changes, uploads, cancel and stop. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createCampaign, messagesOf, simulate } from '../../src/engine/campaign.ts';
import type { Campaign, CampaignEvent } from '../../src/engine/types.ts';
import { fixture, T0 } from './scenario-fixture.ts';

function drain(c: Campaign): CampaignEvent[] {
  const out: CampaignEvent[] = [];
  for (let t = c.nextTime(); t !== null; t = c.nextTime()) out.push(...c.advanceTo(t));
  return out;
}

describe('campaign stepping', () => {
  it('events come in time order; messages are due at their event', () => {
    const events = simulate({ scenario: fixture({ count: 30 }), startTime: T0 });
    for (let i = 1; i < events.length; i++) assert.ok(events[i]!.at >= events[i - 1]!.at);
    for (const e of events) for (const m of e.messages) assert.equal(m.at, e.at);
    assert.equal(events[0]!.kind, 'workflow.created');
    const statuses = messagesOf(events, 'workflow-status-change');
    assert.equal(events[1]!.kind, 'workflow.status');
    assert.equal(events[1]!.messages[0], statuses[0]);
    assert.equal(statuses[0]!.payload.status, 'Running');
    const last = events[events.length - 1]!;
    assert.equal(last.kind, 'workflow.status');
    assert.equal(last.messages[0], statuses.at(-1));
    assert.equal(statuses.at(-1)!.payload.status, 'Finished');
    assert.equal(statuses.at(-1)!.payload.actions[0]!.task_status, 'finished');
  });

  it('advanceTo(t) returns only events due by t, nextTime() reports the next one', () => {
    const c = createCampaign({ scenario: fixture({ count: 3 }), startTime: T0 });
    assert.equal(c.status(), 'Created');
    assert.equal(c.nextTime(), T0);
    const first = c.advanceTo(T0);
    assert.ok(first.every((e) => e.at === T0));
    assert.equal(c.status(), 'Running');
    const next = c.nextTime()!;
    assert.ok(next > T0);
    assert.deepEqual(c.advanceTo(next - 1), []);
    drain(c);
    assert.equal(c.status(), 'Finished');
    assert.equal(c.nextTime(), null);
    assert.throws(() => c.addContacts([{ callee: '+6281234567890' }], T0), /finished/);
  });

  it('only configured callback types are sent, with the template URL and KEY', () => {
    const scenario = fixture({ count: 5, callbacks: ['call-completion'] });
    const msgs = messagesOf(simulate({ scenario, startTime: T0 }));
    assert.ok(msgs.length >= 5);
    for (const m of msgs) {
      assert.equal(m.type, 'call-completion');
      // No key configured: the message carries none, the delivery signs it with the default.
      assert.equal(m.key, undefined);
      assert.match(m.url, /__emulator\/sink/);
    }
    const keyed = fixture({ count: 2, callbacks: ['custom-api-node-push'] });
    keyed.templates[0]!.callbacks['custom-api-node-push']!.key = 'push-key';
    const pushes = messagesOf(simulate({ scenario: keyed, startTime: T0 }), 'custom-api-node-push');
    assert.ok(pushes.length > 0);
    for (const m of pushes) assert.equal(m.key, 'push-key');
  });

  it('uploaded rows (addContacts) are dialled after the initial list', () => {
    const c = createCampaign({
      scenario: fixture({ count: 1 }),
      startTime: T0,
      contacts: [],
      autoFinish: false,
    });
    drain(c);
    assert.equal(c.status(), 'Running', 'an empty workflow waits for rows');
    c.addContacts(
      [{ callee: ['+6281111111111', '+6282222222222'], case_id: 'up-1', customer_name: 'Budi' }],
      T0 + 60_000,
    );
    const events = drain(c);
    const push = messagesOf(events, 'custom-api-node-push')[0]!.payload;
    assert.equal(push.callee.case_id, 'up-1');
    assert.equal(push.callee.callee_name, 'Budi');
    assert.ok(events[0]!.at >= T0 + 60_000);
  });

  it('cancel: the row stops, its dialled number reports cancelled / Canceled, no push', () => {
    const scenario = fixture({
      count: 3,
      repeatNumber: 3,
      outcomes: { dial: { normal: 1 }, ring_time_s: { unanswered: 30 } },
    });
    const c = createCampaign({ scenario, startTime: T0 });
    c.advanceTo(T0 + 60_000); // row 1 has dialled once and waits for its redial
    assert.equal(c.cancel({ case_id: 'CASE-00001' }, T0 + 60_000), 1);
    assert.equal(c.cancel({ case_id: 'nope' }, T0 + 60_000), 0);
    const events = drain(c);
    const cc = messagesOf(events, 'call-completion').filter(
      (m) => m.payload.details[0]!.CaseID === 'CASE-00001',
    );
    assert.equal(cc.length, 1);
    const d = cc[0]!.payload.details[0]!;
    assert.equal(d.result, 'cancelled');
    assert.equal(d.hangup_type, 'Canceled');
    assert.equal(d.call_times, 1);
    const pushes = messagesOf(events, 'custom-api-node-push');
    assert.ok(!pushes.some((m) => m.payload.callee.case_id === 'CASE-00001'));
    const done = events.find((e) => e.kind === 'contact.finished' && e.caseId === 'CASE-00001')!;
    assert.deepEqual(done.data, { result: 'cancelled', nodes: 1 });
    // Other rows are untouched and finish normally.
    assert.equal(pushes.length, 2);
  });

  it('stop: status Stopped, pending rows cancelled, no Finished afterwards', () => {
    const scenario = fixture({ count: 20, repeatNumber: 2 });
    const c = createCampaign({ scenario, startTime: T0 });
    c.advanceTo(T0 + 5 * 60_000);
    c.stop(T0 + 5 * 60_000);
    const events = drain(c);
    const statuses = events.filter((e) => e.kind === 'workflow.status').map((e) => e.data.status);
    assert.deepEqual(statuses, ['Stopped']);
    assert.equal(c.status(), 'Stopped');
    const finished = events.filter((e) => e.kind === 'contact.finished');
    assert.ok(finished.length > 0 && finished.every((e) => e.data.result === 'cancelled'));
    for (const m of messagesOf(events, 'call-completion')) assert.equal(m.payload.status, 'canceled');
    assert.throws(() => c.addContacts([{ callee: '+6281234567890' }], T0), /stopped/);
  });

  it('Info Check question_content keeps the vendor \\uXXXX text by default, plain UTF-8 on request', () => {
    const scenario = fixture({ business: 'info_check', count: 2 });
    const qc = (escape?: boolean): string => {
      const [m] = messagesOf(
        simulate({
          scenario,
          startTime: T0,
          ...(escape === undefined ? {} : { questionContentEscape: escape }),
        }),
        'call-completion-info-check',
      );
      return m!.payload.details[0]!.question_answer[0]!.question_content;
    };
    assert.equal(qc(), '\\u610f\\u613f\\u786e\\u8ba4 Willingness Check');
    assert.equal(qc(true), '\\u610f\\u613f\\u786e\\u8ba4 Willingness Check');
    assert.equal(qc(false), '意愿确认 Willingness Check');
    assert.ok(
      JSON.stringify(qc()).includes('\\\\u610f'),
      'a literal backslash on the wire, as in the vendor example',
    );
  });

  it('explicit rows keep the uploaded fields (vendor example contact)', () => {
    const scenario = fixture({ business: 'info_check', count: 1, outcomes: { dial: { answered: 1 } } });
    const events = simulate({
      scenario,
      startTime: T0,
      contacts: [
        {
          callee: '+525512345721',
          case_id: '',
          variables: { DoB: '1101', CURP: '200', name: 'lyn', gender: 'male' },
        },
      ],
    });
    const d = messagesOf(events, 'call-completion-info-check')[0]!.payload.details[0]!;
    assert.equal(d.CaseID, '');
    assert.deepEqual(d.Variables, { DoB: '1101', CURP: '200', name: 'lyn', gender: 'male' });
    const q3 = d.question_answer.find((q) => q.question_name === 'Q3');
    assert.equal(q3?.var, '200');
  });
});
