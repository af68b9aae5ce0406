/**
 * Payload values users may keep and change: every payload owns its arrays and objects (nothing
 * is shared between callbacks or frozen), and detail ids stay in their documented range.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { detailId } from '../../src/core/ids.ts';
import { messagesOf, simulate } from '../../src/engine/campaign.ts';
import { Rng } from '../../src/engine/rng.ts';
import { list } from '../../src/engine/payloads/list.ts';
import { fixture, T0 } from './scenario-fixture.ts';

describe('payload arrays and objects', () => {
  it('list() gives a new, empty, growable array each call', () => {
    const a = list<number>();
    const b = list<number>();
    assert.notEqual(a, b);
    assert.equal(a.length, 0);
    a.push(1, 2);
    assert.deepEqual(a, [1, 2]);
    assert.deepEqual(b, []);
  });

  it('unanswered calls carry their own empty transcript, slots and labels, not shared frozen ones', () => {
    const scenario = fixture({
      count: 6,
      repeatNumber: 0,
      callbacks: ['call-completion'],
      outcomes: { dial: { answered: 0, normal: 1 } },
    });
    const details = messagesOf(simulate({ scenario, startTime: T0 }), 'call-completion').map(
      (m) => m.payload.details[0]!,
    );
    assert.equal(details.length, 6);
    for (const d of details) {
      assert.deepEqual(d.asr_result, []);
      assert.deepEqual(d.NerSlots, {});
      assert.deepEqual(d.EventLabel, {});
      assert.equal(Object.isFrozen(d.asr_result), false);
      assert.equal(Object.isFrozen(d.NerSlots), false);
    }
    // A receiver-side mutation of one payload leaves the others as they were.
    details[0]!.asr_result.push({ time: '00:00:01', robottext: 'test', text: '' });
    details[0]!.NerSlots!.x = 'y';
    details[0]!.redail_call!.push({
      call_id: 'x',
      call_start_time: '2024-03-11 10:00:00',
      ring_type: 'busy',
      ring_time: 1,
      hangup_type: 'ByRobot',
      result_label: '',
      callee_number: '+6281234567890',
    });
    for (const d of details.slice(1)) {
      assert.deepEqual(d.asr_result, []);
      assert.deepEqual(d.NerSlots, {});
      assert.deepEqual(d.redail_call, []);
    }
  });
});

describe('detail ids', () => {
  it('are 10-digit integers in [2^30, 2^31)', () => {
    const rng = new Rng(7);
    for (let i = 0; i < 10_000; i++) {
      const id = detailId(rng);
      assert.ok(Number.isInteger(id) && id >= 2 ** 30 && id < 2 ** 31, String(id));
      assert.equal(String(id).length, 10);
    }
  });
});
