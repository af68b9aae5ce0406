/**
 * `asr_ptp` / `asr_result` on Info Check pushes: the push page marks them required but says only
 * non-Info Check workflows carry them (非信审才有该字段), while its example shows them beside
 * `question_answer`. The emulator leaves them out by default (`info_check_push_asr: true` sends
 * them); the schema requires them only when `call.question_answer` is absent.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { detectMessage } from '../../src/contract/detect.ts';
import { validate } from '../../src/contract/registry.ts';
import { messagesOf, simulate } from '../../src/engine/campaign.ts';
import type { CustomApiNodePush } from '../../src/generated/types.ts';
import type { Scenario } from '../../src/scenario/types.ts';
import { fixture, T0 } from './scenario-fixture.ts';

/** `call` keys of an Info Check push, in the vendor example's order. */
const IC_KEYS = [
  'task_id',
  'call_id',
  'robot_id',
  'callee_number',
  'call_start_time',
  'call_end_time',
  'call_times',
  'ring_type',
  'hangup_type',
  'intention',
  'ner_slots',
  'slots',
  'talk_round',
  'ring_time',
  'question_answer',
  'multi_label',
  'intention_description',
  'redial_call',
  'caller_number',
];
const IC_KEYS_WITH_ASR = [
  ...IC_KEYS.slice(0, IC_KEYS.indexOf('redial_call')),
  'asr_ptp',
  'asr_result',
  ...IC_KEYS.slice(IC_KEYS.indexOf('redial_call')),
];

function pushes(scenario: Scenario, opts: { infoCheckPushAsr?: boolean } = {}): CustomApiNodePush[] {
  const out = messagesOf(simulate({ scenario, startTime: T0, ...opts }), 'custom-api-node-push').map(
    (m) => m.payload,
  );
  assert.ok(out.length > 0, 'the scenario sends pushes');
  return out;
}

const infoCheck = (extra: Partial<Scenario> = {}): Scenario => ({
  ...fixture({ business: 'info_check', count: 8, outcomes: { dial: { answered: 90, normal: 10 } } }),
  ...extra,
});

const seedPush = (): CustomApiNodePush =>
  JSON.parse(
    readFileSync(new URL('../fixtures/seed-custom-api-node-push.json', import.meta.url), 'utf8'),
  ) as CustomApiNodePush;

const errorsOf = (value: unknown): string[] => {
  const r = validate('custom-api-node-push', value);
  return r.ok ? [] : r.errors.map((e) => `${e.path} ${e.message}`);
};

describe('Info Check pushes and asr_ptp / asr_result', () => {
  it('by default an Info Check push carries question_answer and no asr_ptp / asr_result', () => {
    for (const p of pushes(infoCheck())) {
      assert.deepEqual(Object.keys(p.call), IC_KEYS);
      assert.deepEqual(errorsOf(p), []);
    }
  });

  it('info_check_push_asr: true (or the infoCheckPushAsr option) sends them beside question_answer', () => {
    const byScenario = pushes(infoCheck({ info_check_push_asr: true }));
    const byOption = pushes(infoCheck(), { infoCheckPushAsr: true });
    assert.deepEqual(byOption, byScenario);
    for (const p of byScenario) {
      assert.deepEqual(Object.keys(p.call), IC_KEYS_WITH_ASR);
      assert.equal(typeof p.call.asr_ptp, 'string');
      assert.ok(Array.isArray(p.call.asr_result));
      assert.deepEqual(errorsOf(p), []);
    }
    assert.ok(
      byScenario.some((p) => (p.call.asr_result?.length ?? 0) > 0),
      'answered calls have turns',
    );
  });

  it('the setting changes nothing else: the same pushes minus asr_*', () => {
    const plain = pushes(infoCheck());
    const withAsr = pushes(infoCheck({ info_check_push_asr: true })).map((p) => {
      const { asr_ptp: _p, asr_result: _r, ...call } = p.call;
      return { ...p, call };
    });
    assert.deepEqual(withAsr, plain);
  });

  it('collection pushes keep asr_ptp / asr_result (and have no question_answer)', () => {
    for (const p of pushes(fixture({ count: 5 }))) {
      assert.equal('question_answer' in p.call, false);
      assert.ok('asr_ptp' in p.call && 'asr_result' in p.call);
    }
  });
});

describe('the push schema: asr_* required without question_answer, allowed beside it', () => {
  it('the vendor example (question_answer and asr_*) is valid', () => {
    assert.deepEqual(errorsOf(seedPush()), []);
  });

  it('an Info Check push without asr_* is valid', () => {
    const p = seedPush();
    delete p.call.asr_ptp;
    delete p.call.asr_result;
    assert.deepEqual(errorsOf(p), []);
  });

  it('a push without question_answer must carry asr_ptp and asr_result', () => {
    const p = seedPush();
    delete p.call.question_answer;
    assert.deepEqual(errorsOf(p), []);
    delete p.call.asr_ptp;
    delete p.call.asr_result;
    const errors = errorsOf(p);
    assert.ok(
      errors.some((e) => /asr_ptp/.test(e)),
      errors.join('; '),
    );
    assert.ok(
      errors.some((e) => /asr_result/.test(e)),
      errors.join('; '),
    );
  });

  it('message detection recognises both shapes as the push', () => {
    const withAsr = seedPush();
    const without = seedPush();
    delete without.call.asr_ptp;
    delete without.call.asr_result;
    assert.equal(detectMessage(withAsr)?.name, 'custom-api-node-push');
    assert.equal(detectMessage(without)?.name, 'custom-api-node-push');
  });
});
