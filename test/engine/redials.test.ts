/**
 * Redials and multi-number contacts, as the vendor page "Notification of Call Completion in Workflow" describes them: one call-completion per number,
 * sent when it connects or its redials run out; call_times counts the number's dials; the
 * history arrays list the earlier dials. Table-driven with exact expectations.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { messagesOf, simulate } from '../../src/engine/campaign.ts';
import type { DialWeights } from '../../src/scenario/types.ts';
import { fixture, T0 } from './scenario-fixture.ts';

const NEVER: DialWeights = { normal: 1 };
const ALWAYS: DialWeights = { answered: 1 };

interface Case {
  name: string;
  numbers: number;
  repeat: number;
  byNumber: DialWeights[];
  /** call_times of each call-completion, in order. */
  callTimes: number[];
  results: string[];
  /** Index (0-based) of the number the push reports, its call_times and redial_call length. */
  pushNumber: number;
  pushCallTimes: number;
  pushHistory: number;
}

const CASES: Case[] = [
  {
    name: 'answered at once',
    numbers: 1,
    repeat: 2,
    byNumber: [ALWAYS],
    callTimes: [1],
    results: ['finished'],
    pushNumber: 0,
    pushCallTimes: 1,
    pushHistory: 0,
  },
  {
    name: 'never answered, 3 redials',
    numbers: 1,
    repeat: 3,
    byNumber: [NEVER],
    callTimes: [4],
    results: ['finished'],
    pushNumber: 0,
    pushCallTimes: 4,
    pushHistory: 3,
  },
  {
    name: 'never answered, no redials',
    numbers: 1,
    repeat: 0,
    byNumber: [NEVER],
    callTimes: [1],
    results: ['finished'],
    pushNumber: 0,
    pushCallTimes: 1,
    pushHistory: 0,
  },
  {
    name: 'wrong number exhausted = failed',
    numbers: 1,
    repeat: 1,
    byNumber: [{ wrongnum: 1 }],
    callTimes: [2],
    results: ['failed'],
    pushNumber: 0,
    pushCallTimes: 2,
    pushHistory: 1,
  },
  {
    name: 'third number connects',
    numbers: 3,
    repeat: 1,
    byNumber: [NEVER, NEVER, ALWAYS],
    callTimes: [2, 2, 1],
    results: ['finished', 'finished', 'finished'],
    pushNumber: 2,
    pushCallTimes: 1,
    pushHistory: 4,
  },
  {
    name: 'first number connects: later ones not dialled',
    numbers: 3,
    repeat: 2,
    byNumber: [ALWAYS, NEVER],
    callTimes: [1],
    results: ['finished'],
    pushNumber: 0,
    pushCallTimes: 1,
    pushHistory: 0,
  },
  {
    name: 'two numbers, none connects',
    numbers: 2,
    repeat: 2,
    byNumber: [NEVER],
    callTimes: [3, 3],
    results: ['finished', 'finished'],
    pushNumber: 1,
    pushCallTimes: 3,
    pushHistory: 5,
  },
  {
    name: 'second number connects after a switched-off first',
    numbers: 2,
    repeat: 0,
    byNumber: [{ switchoff: 1 }, ALWAYS],
    callTimes: [1, 1],
    results: ['finished', 'finished'],
    pushNumber: 1,
    pushCallTimes: 1,
    pushHistory: 1,
  },
];

for (const business of ['collection', 'info_check'] as const) {
  describe(`redials and multi-number contacts (${business})`, () => {
    for (const c of CASES) {
      it(c.name, () => {
        const scenario = fixture({
          business,
          count: 3,
          numbers: c.numbers,
          repeatNumber: c.repeat,
          repeatInterval: 2,
          outcomes: {
            by_number: c.byNumber,
            ring_time_s: { answered: 5, unanswered: 30, failed: 2 },
            redial_delay_s: 40,
            next_number_delay_s: 10,
            api_delay_s: 1,
          },
        });
        const events = simulate({ scenario, startTime: T0 });
        const ccType = business === 'info_check' ? 'call-completion-info-check' : 'call-completion';
        for (let row = 0; row < 3; row++) {
          const caseId = `CASE-${String(row + 1).padStart(5, '0')}`;
          const cc = messagesOf(events, ccType).filter((m) => m.payload.details[0]!.CaseID === caseId);
          assert.equal(cc.length, c.callTimes.length, 'one callback per number dialled');
          cc.forEach((m, i) => {
            const d = m.payload.details[0]!;
            // Both call-completion flavours spell the history redail_call (sic); the push redial_call.
            const history = d.redail_call!;
            assert.equal(d.call_times, c.callTimes[i]);
            assert.equal(history.length, c.callTimes[i]! - 1);
            assert.equal(d.result, c.results[i]);
            for (const h of history) assert.equal(h.callee_number, d.callee, 'history is the same number');
            const ids = new Set([d.call_id, ...history.map((h) => h.call_id)]);
            assert.equal(ids.size, c.callTimes[i], 'every dial has its own call id');
          });
          const dials = events.filter((e) => e.kind === 'dial.finished' && e.caseId === caseId);
          assert.equal(
            dials.length,
            c.callTimes.reduce((a, b) => a + b, 0),
          );
          const push = messagesOf(events, 'custom-api-node-push').filter(
            (m) => m.payload.callee.case_id === caseId,
          );
          assert.equal(push.length, 1);
          const call = push[0]!.payload.call;
          const lastCc = cc[cc.length - 1]!.payload.details[0]!;
          assert.equal(call.callee_number, lastCc.callee, 'push reports the last number dialled');
          assert.equal(call.call_id, lastCc.call_id);
          assert.equal(call.call_times, c.pushCallTimes);
          assert.equal(call.redial_call?.length, c.pushHistory);
          const calledNumbers = [...new Set(dials.map((e) => e.callee))];
          assert.equal(calledNumbers.indexOf(call.callee_number), c.pushNumber);
          const list = messagesOf(events, 'list-completion').filter((m) => m.payload.case_id === caseId);
          assert.equal(list.length, 1);
        }
      });
    }
  });
}

describe('redial timing', () => {
  it('redials repeat_interval minutes + dialler delay after the previous dial ends', () => {
    const scenario = fixture({
      count: 1,
      repeatNumber: 3,
      repeatInterval: 2,
      outcomes: { dial: NEVER, ring_time_s: { unanswered: 30 }, redial_delay_s: 40 },
    });
    const events = simulate({ scenario, startTime: T0 });
    const starts = events.filter((e) => e.kind === 'dial.started').map((e) => (e.at - T0) / 1000);
    // Dial ends after 30 s of ringing, then 2 min + 40 s until the redial.
    assert.deepEqual(starts, [0, 190, 380, 570]);
    const cc = messagesOf(events, 'call-completion')[0]!.payload;
    const d = cc.details[0]!;
    assert.deepEqual(
      d.redail_call?.map((h) => h.call_start_time),
      ['2024-03-11 09:00:30', '2024-03-11 09:03:40', '2024-03-11 09:06:50'],
    );
    // Unanswered: call_start_time equals call_end_time (vendor), no talk, the No Answer label.
    assert.equal(d.call_start_time, '2024-03-11 09:10:00');
    assert.equal(d.call_end_time, '2024-03-11 09:10:00');
    assert.equal(d.duration, 0);
    assert.equal(d.talk_round, 0);
    assert.deepEqual(d.asr_result, []);
    assert.equal(d.result_label, 'F');
    assert.equal(d.intention_description, 'No Answer');
    assert.equal(d.ring_time, 30);
    assert.equal(d.ring_type, 'normal');
  });

  it('repeat_interval 0 still leaves the dialler delay (vendor example: redial 55 s later)', () => {
    const scenario = fixture({
      count: 1,
      repeatNumber: 1,
      repeatInterval: 0,
      outcomes: { dial: NEVER, ring_time_s: { unanswered: 3 }, redial_delay_s: { min: 30, max: 60 } },
    });
    const starts = simulate({ scenario, startTime: T0 })
      .filter((e) => e.kind === 'dial.started')
      .map((e) => (e.at - T0) / 1000);
    assert.equal(starts.length, 2);
    assert.ok(starts[1]! >= 33 && starts[1]! <= 63, `redial at ${starts[1]} s`);
  });

  it('dials wait for the calling window (account time zone)', () => {
    // 09:00 Jakarta; the window opens at 13:00 on weekdays.
    const scenario = fixture({
      count: 2,
      repeatNumber: 0,
      window: '* 13-15 * * 1-5',
      outcomes: { dial: ALWAYS },
    });
    const events = simulate({ scenario, startTime: T0 });
    const first = events.find((e) => e.kind === 'dial.started')!;
    assert.equal(first.at, Date.UTC(2024, 2, 11, 6, 0, 0));
    const cc = messagesOf(events, 'call-completion')[0]!.payload;
    assert.equal(cc.schedule_start_time, '2024-03-11 13:00:00');
    assert.equal(cc.schedule_end_time, '2024-03-11 16:00:00');
  });

  it('a redial that would fall after the window closes moves to the next window', () => {
    const scenario = fixture({
      count: 1,
      repeatNumber: 1,
      repeatInterval: 30,
      window: '* 9 * * *',
      outcomes: { dial: NEVER, ring_time_s: { unanswered: 20 }, redial_delay_s: 0 },
    });
    const start = Date.UTC(2024, 2, 11, 2, 45, 0); // 09:45 Jakarta
    const starts = simulate({ scenario, startTime: start })
      .filter((e) => e.kind === 'dial.started')
      .map((e) => e.at);
    assert.deepEqual(starts, [start, Date.UTC(2024, 2, 12, 2, 0, 0)]);
  });
});
