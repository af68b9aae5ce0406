import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Interner, StringInterner } from '../../src/store/interner.ts';
import { MemoryStore } from '../../src/store/memory-store.ts';

test('an interner hands back the first equal value, and keeps no more than its limit', () => {
  const strings = new StringInterner(2);
  const a = ['x', 'y'].join('');
  const b = ['x', 'y'].join('');
  assert.equal(strings.of(a), a);
  assert.equal(strings.of(b), a);
  strings.of('z');
  const late = ['w', '!'].join('');
  assert.equal(strings.of(late), late, 'past the limit a value is kept as given');
  const objects = new Interner<{ n: number }>(4);
  const first = { n: 1 };
  assert.equal(objects.get('1', first), first);
  assert.equal(objects.get('1', { n: 1 }), first);
});

test('delivery records share one frozen policy per policy, and their attempts keep their answers', () => {
  const store = new MemoryStore();
  const policy = { timeoutMs: 10_000, retryIntervalMs: 60_000, maxRetries: 5 };
  for (const id of ['d1', 'd2']) {
    store.commit({
      k: 'delivery',
      id,
      type: 'call-completion',
      url: `http://127.0.0.1:9/${'cb'}`,
      policy: { ...policy },
      signing: 'none',
      encrypted: false,
      firstAt: 0,
      nextAttemptAt: 0,
    });
    store.commit({
      k: 'attempt',
      id,
      n: 1,
      at: 0,
      ok: true,
      status: 200,
      latencyMs: 1,
      response: `{"code":${0}}`,
      next: null,
      outcome: 'delivered',
    });
  }
  const [d1, d2] = [store.delivery('d1')!, store.delivery('d2')!];
  assert.deepEqual(d1.policy, policy);
  assert.equal(d1.policy, d2.policy);
  assert.ok(Object.isFrozen(d1.policy));
  assert.equal(d2.url, 'http://127.0.0.1:9/cb');
  assert.equal(d2.attempts[0]!.response, '{"code":0}');
});
