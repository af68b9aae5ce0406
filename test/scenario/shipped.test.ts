/** Every shipped scenario loads, simulates, and its count expectations hold for the engine. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { listScenarios, scenarioFiles } from '../../src/scenario/catalog.ts';
import { loadScenarioFile } from '../../src/scenario/load.ts';
import { evaluateExpectations } from '../../src/scenario/expectations.ts';
import { messagesOf, simulate } from '../../src/engine/campaign.ts';
import { validate } from '../../src/contract/registry.ts';

describe('shipped scenarios', () => {
  it('at least 8, each with a description', () => {
    const list = listScenarios();
    assert.ok(list.length >= 8);
    for (const s of list) assert.ok(s.description.length > 10, s.name);
    for (const need of [
      'collection-ptp',
      'telemarketing',
      'ecommerce-order-confirmation',
      'info-check-redials',
      'multi-number',
      'all-unreachable',
      'large-campaign',
      'endpoint-misbehaving',
    ]) {
      assert.ok(
        list.some((s) => s.name === need),
        need,
      );
    }
    assert.ok(list.some((s) => s.contacts >= 10_000));
  });

  for (const file of scenarioFiles()) {
    it(`${file.split('/').pop()} simulates, payloads valid, expectations consistent`, () => {
      const scenario = loadScenarioFile(file);
      for (const t of scenario.templates) {
        for (const cb of Object.values(t.callbacks))
          assert.match(cb!.url, /^http:\/\/127\.0\.0\.1:4010\/__emulator\/sink\//);
      }
      const msgs = messagesOf(simulate({ scenario }));
      assert.ok(msgs.length > 0);
      // Validate a sample of large runs (all of the small ones).
      const step = Math.max(1, Math.floor(msgs.length / 3000));
      for (let i = 0; i < msgs.length; i += step) {
        const r = validate(msgs[i]!.type, msgs[i]!.payload);
        assert.ok(r.ok, `${msgs[i]!.type}: ${JSON.stringify(!r.ok && r.errors)}`);
      }
      // If every message were delivered at the receiver's scripted attempt count, the
      // scenario's expectations would pass: the counts in the file match the engine.
      const attempts = scenario.receiver?.sequence
        ? scenario.receiver.sequence.length
        : (scenario.receiver?.fail_first ?? 0) + 1;
      const report = evaluateExpectations(scenario.expectations, {
        deliveries: msgs.map((m) => ({ type: m.type, outcome: 'delivered', attempts })),
      });
      assert.ok(report.ok, JSON.stringify(report.results.filter((r) => !r.ok)));
    });
  }
});
