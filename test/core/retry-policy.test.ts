import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_RETRY_POLICY,
  isSuccessStatus,
  nextAttemptAt,
  resolvePolicy,
} from '../../src/core/retry-policy.ts';

describe('retry policy', () => {
  it("defaults to the vendor's rule: 10 s timeout, every 60 s, at most 5 retries", () => {
    assert.deepEqual(
      { ...DEFAULT_RETRY_POLICY },
      { timeoutMs: 10_000, retryIntervalMs: 60_000, maxRetries: 5 },
    );
  });

  it('gives exactly 5 retries on a fixed 60 s cadence, then null', () => {
    const times = [0];
    for (let n = 1; ; n++) {
      const next = nextAttemptAt(n, times[n - 1]!, times[n - 1]! + 10_000, DEFAULT_RETRY_POLICY);
      if (next === null) break;
      times.push(next);
    }
    assert.deepEqual(times, [0, 60_000, 120_000, 180_000, 240_000, 300_000]);
  });

  it('never retries before the failure is known', () => {
    const p = resolvePolicy({ retryIntervalMs: 1_000, timeoutMs: 5_000 });
    assert.equal(nextAttemptAt(1, 0, 5_000, p), 5_000);
  });

  it('layers global and template overrides and rejects nonsense', () => {
    assert.deepEqual(resolvePolicy({ maxRetries: 2 }, { retryIntervalMs: 5 }), {
      timeoutMs: 10_000,
      retryIntervalMs: 5,
      maxRetries: 2,
    });
    assert.equal(nextAttemptAt(1, 0, 0, resolvePolicy({ maxRetries: 0 })), null);
    assert.throws(() => resolvePolicy({ maxRetries: 1.5 }), /integer/);
    assert.throws(() => resolvePolicy({ retryIntervalMs: -1 }), /non-negative/);
    assert.throws(() => resolvePolicy({ timeoutMs: 0 }), /positive/);
  });

  it('treats only 2xx as success', () => {
    assert.deepEqual([199, 200, 204, 299, 300, 404, 500].map(isSuccessStatus), [
      false,
      true,
      true,
      true,
      false,
      false,
      false,
    ]);
  });
});
