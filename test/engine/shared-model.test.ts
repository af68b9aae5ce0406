/**
 * Campaigns of one scenario share its resolved outcome model (src/engine/campaign-setup.ts caches
 * it): a campaign's bytes must not depend on what other campaigns of the scenario did before.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { simulate } from '../../src/engine/campaign.ts';
import { fixture, T0 } from './scenario-fixture.ts';

describe('the outcome model is shared by the campaigns of a scenario', () => {
  for (const business of ['collection', 'telemarketing', 'ecommerce', 'info_check'] as const) {
    it(`a campaign after another of its scenario equals one on a fresh copy (${business})`, () => {
      const scenario = fixture({
        business,
        count: 40,
        numbers: { min: 1, max: 2 },
        outcomes: {
          talk_time_s: {
            buckets: [
              { min: 10, max: 20, weight: 1 },
              { min: 60, max: 90, weight: 2 },
            ],
          },
        },
      });
      simulate({ scenario, startTime: T0, seed: 2 });
      const shared = JSON.stringify(simulate({ scenario, startTime: T0, seed: 1 }));
      const fresh = JSON.stringify(simulate({ scenario: structuredClone(scenario), startTime: T0, seed: 1 }));
      assert.equal(shared, fresh);
    });
  }

  it('two scenarios with different outcomes do not share a model', () => {
    const answered = fixture({ count: 30, outcomes: { dial: { answered: 100 } } });
    const busy = fixture({ count: 30, outcomes: { dial: { busy: 100 } } });
    const a = JSON.stringify(simulate({ scenario: answered, startTime: T0 }));
    const b = JSON.stringify(simulate({ scenario: busy, startTime: T0 }));
    assert.notEqual(a, b);
    assert.equal(b, JSON.stringify(simulate({ scenario: structuredClone(busy), startTime: T0 })));
  });
});
