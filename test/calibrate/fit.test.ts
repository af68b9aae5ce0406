/**
 * What calibrate infers when the recording is not the easy case: pushes only (no repeat_interval
 * printed), labels and descriptions of the integrator's own, and --keep-labels.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { calibrate } from '../../src/calibrate/index.ts';
import { messagesOf, simulate } from '../../src/engine/campaign.ts';
import { loadScenarioFile } from '../../src/scenario/load.ts';
import type { CallbackType } from '../../src/contract/callbacks.ts';

const T0 = Date.UTC(2024, 2, 11, 2);

function recorded(name: string, count: number, types?: CallbackType[]): Record<string, unknown>[] {
  const s = loadScenarioFile(name);
  s.contacts = { generate: { ...s.contacts.generate, count } };
  return messagesOf(simulate({ scenario: s, startTime: T0 }))
    .filter((m) => !types || types.includes(m.type))
    .map((m) => m.payload as unknown as Record<string, unknown>);
}

const records = (values: unknown[]) => values.map((value, i) => ({ where: `rec.jsonl:${i + 1}`, value }));

describe('calibrate: inference', () => {
  it('from pushes alone: the dials of call.redial_call, repeat_interval from the whole minutes of the gaps', () => {
    const result = calibrate(records(recorded('collection-ptp', 800, ['custom-api-node-push'])));
    const [g] = result.groups;
    assert.equal(g!.business, 'collection');
    assert.match(g!.yaml, /Business from: debt fields in the push callee \(1 workflow\)/);
    const node = g!.scenario.templates[0]!.nodes[0]!;
    assert.deepEqual(node.type === 'voicebot_call' && [node.repeat_number, node.repeat_interval], [2, 5]);
    assert.deepEqual(g!.scenario.pacing, { calls_per_minute: 30 });
    assert.deepEqual(Object.keys(g!.scenario.templates[0]!.callbacks), [
      'call-completion',
      'custom-api-node-push',
    ]);
  });

  it("the integrator's own labels: kind from the description, long labels renamed, descriptions rebuilt", () => {
    const msgs = recorded('collection-ptp', 400, ['call-completion']);
    for (const m of msgs) {
      const d = (m.details as Record<string, unknown>[])[0]!;
      if (d.result_label === 'A')
        Object.assign(d, { result_label: 'PROMISE', intention_description: 'Janji bayar (promise)' });
    }
    const [g] = calibrate(records(msgs)).groups;
    const promise = g!.scenario.outcomes!.intentions!.find((i) => i.kind === 'ptp');
    assert.deepEqual([promise?.label, promise?.description], ['L1', 'L1 (ptp)']);
    assert.match(g!.yaml, /intention L1: .* kind ptp from its description/);
    assert.match(g!.yaml, /1 label\(s\) longer than 4 characters renamed L1…; --keep-labels copies them/);
    assert.ok(!g!.yaml.includes('PROMISE') && !g!.yaml.includes('Janji'));
    const [kept] = calibrate(records(msgs), { keepLabels: true }).groups;
    const same = kept!.scenario.outcomes!.intentions!.find((i) => i.kind === 'ptp');
    assert.deepEqual([same?.label, same?.description], ['PROMISE', 'Janji bayar (promise)']);
    assert.deepEqual(same?.event_labels, {
      Correct_Person: 'identity_correct_person',
      PTP: 'action_item_ptp',
    });
  });
});
