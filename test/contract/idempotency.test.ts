/**
 * The recommended idempotency keys name one logical event: over every callback of played shipped
 * scenarios no two distinct messages share a key, and a duplicate (the same bytes again) has the
 * key of its original.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CALLBACK_TYPES, type CallbackType } from '../../src/contract/callbacks.ts';
import { idempotencyKey, IDEMPOTENCY_KEY_RULES } from '../../src/contract/idempotency.ts';
import { messagesOf, simulate } from '../../src/engine/campaign.ts';
import { findScenario } from '../../src/scenario/catalog.ts';
import { loadScenarioFile } from '../../src/scenario/load.ts';
import { schemas } from '../../src/contract/registry.ts';

const PLAYED = ['collection-ptp', 'info-check-redials', 'multi-number', 'ecommerce-order-confirmation'];

function play(name: string) {
  const scenario = loadScenarioFile(findScenario(name)!, `scenarios/${name}.yaml`);
  return messagesOf(simulate({ scenario, seed: 7 }));
}

describe('idempotency keys', () => {
  for (const name of PLAYED) {
    test(`${name}: distinct messages never share a key`, () => {
      const byKey = new Map<string, string>();
      const seenTypes = new Set<CallbackType>();
      for (const m of play(name)) {
        seenTypes.add(m.type);
        const key = `${m.type} ${idempotencyKey(m.type, m.payload)}`;
        // case_id may be empty (the row was uploaded without one): the other fields still tell rows apart.
        assert.doesNotMatch(key, /undefined/, key);
        const body = JSON.stringify(m.payload);
        const earlier = byKey.get(key);
        assert.equal(earlier, undefined, `two messages share ${key}`);
        byKey.set(key, body);
      }
      assert.ok(seenTypes.has('list-completion') || seenTypes.has('call-completion-info-check'), name);
    });
  }

  test('the shipped scenarios send several of each played type, so uniqueness is tested', () => {
    const counts = new Map<string, number>();
    for (const name of PLAYED) for (const m of play(name)) counts.set(m.type, (counts.get(m.type) ?? 0) + 1);
    for (const type of CALLBACK_TYPES.filter((t) => t !== 'chatbot-session-end')) {
      assert.ok((counts.get(type) ?? 0) >= 2, `${type}: ${counts.get(type)}`);
    }
  });

  test('a duplicate delivery (the same bytes again) has the key of its original', () => {
    const m = play('multi-number').find((x) => x.type === 'call-completion')!;
    const again = JSON.parse(JSON.stringify(m.payload)) as typeof m.payload;
    assert.equal(idempotencyKey(m.type, again), idempotencyKey(m.type, m.payload));
  });

  test('the key of each schema example, as the docs/delivery.md table documents it', () => {
    const reg = schemas();
    const ex = (t: CallbackType) => reg.schema(t).examples![0] as never;
    assert.deepEqual(Object.fromEntries(CALLBACK_TYPES.map((t) => [t, idempotencyKey(t, ex(t))])), {
      'custom-api-node-push': 'f878645926xxxxxxxxb0b779ba254:817377d194xxxxxxxxc8ad463bc81d996a',
      'call-completion-info-check': 'ic1689265xxxxxxxxxxfe7b7da5b5',
      'call-completion': '0e3f6a9b2c5d48e1a4b7c0d3e6f9a2b5',
      'list-completion': '3b8f1c2d4e5a46b7980a1b2c3d4e5f60:test-caseid11:+6281234567801',
      'workflow-status-change': '3b8f1c2d4e5a46b7980a1b2c3d4e5f60:Finished',
      'chatbot-session-end': 'c2e4f6a8b0d24e6f8a0c2e4b6d8f0a2c',
    });
    assert.deepEqual(Object.keys(IDEMPOTENCY_KEY_RULES), [...CALLBACK_TYPES]);
  });
});
