/**
 * Settled summaries kept as columns (issue 14): a store with a content source seals a settled
 * delivery into its index's columns, and every read gives back what a store keeping objects
 * gives — the same keys in the same order, the same values — through attempts of every kind
 * (answers, errors, messages), signing schemes, encryption, replays and their links, chaos,
 * callbacks sent on demand, ids that are campaign message ids and ids that are not, outcomes
 * moving back to pending (resume) and settling again, and pages and counts by every filter.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CallbackPayload } from '../../src/contract/callbacks.ts';
import { DEFAULT_RETRY_POLICY } from '../../src/core/retry-policy.ts';
import { SIGNING_SCHEMES } from '../../src/core/signing.ts';
import type { AttemptRecord, DeliveryOutcome, StoredDelivery } from '../../src/delivery/types.ts';
import { Rng } from '../../src/engine/rng.ts';
import type { DeliveryFilter } from '../../src/store/delivery-index.ts';
import type { JournalEntry } from '../../src/store/entries.ts';
import { MemoryStore } from '../../src/store/memory-store.ts';
import { deliveryEntry } from './delivery-entry.ts';
import { Column, u32 } from '../../src/store/columns.ts';

const TYPES = ['call-completion', 'custom-api-node-push', 'list-completion'] as const;
const OUTCOMES: DeliveryOutcome[] = ['pending', 'delivered', 'exhausted'];
const WORKFLOWS = ['wf-a', 'wf-b', undefined];

/** Attempts as the delivery service records them (attemptRecord, resume's interrupted one). */
function attempt(rng: Rng, n: number): AttemptRecord {
  const at = 1_700_000_000_000 + rng.int(0, 1e6);
  const latencyMs = rng.int(0, 20_000);
  switch (rng.int(0, 4)) {
    case 0:
      return { n, at, ok: true, status: 200, latencyMs, response: rng.pick(['{}', 'ok', `r${n}`]) };
    case 1:
      return { n, at, ok: false, status: 503, error: 'non-2xx', latencyMs, response: 'busy' };
    case 2:
      return { n, at, ok: false, error: 'refused', message: 'connect ECONNREFUSED 127.0.0.1:9', latencyMs };
    case 3:
      return { n, at, ok: false, error: 'interrupted', message: 'in flight', latencyMs: 0 };
    default:
      return { n, at, ok: true, status: 204, latencyMs, response: '' };
  }
}

/** The same random session, entry by entry, for every store given. */
function session(seed: number): JournalEntry[] {
  const rng = new Rng(seed);
  const entries: JournalEntry[] = [];
  const ids: string[] = [];
  const attempts = new Map<string, number>();
  const count = new Map<string, number>();
  for (let i = 0; i < 400; i++) {
    const roll = rng.int(0, 9);
    if (roll <= 3 || ids.length === 0) {
      const workflowId = rng.pick(WORKFLOWS);
      const n = (count.get(workflowId ?? '') ?? 0) + 1;
      count.set(workflowId ?? '', n);
      const base = workflowId !== undefined ? `${workflowId}-${String(n).padStart(6, '0')}` : `send${n}`;
      const from = ids.length > 0 && rng.chance(0.2) ? rng.pick(ids) : undefined;
      const id = from === undefined ? base : rng.chance(0.5) ? `${from}.replay${n}` : `${from}.dup`;
      if (ids.includes(id)) continue;
      ids.push(id);
      entries.push({
        k: 'delivery',
        id,
        type: rng.pick(TYPES),
        url: rng.pick(['http://127.0.0.1:9/a', 'https://example.test/cb']),
        ...(workflowId !== undefined ? { workflowId } : {}),
        policy: rng.chance(0.8) ? { ...DEFAULT_RETRY_POLICY } : { ...DEFAULT_RETRY_POLICY, maxRetries: 2 },
        signing: rng.pick(SIGNING_SCHEMES),
        encrypted: rng.chance(0.3),
        firstAt: 1_700_000_000_000 + i,
        nextAttemptAt: 1_700_000_000_000 + i,
        ...(from !== undefined && id.includes('.replay') ? { replayOf: from } : {}),
        ...(from !== undefined && id.endsWith('.dup')
          ? { duplicateOf: from, chaos: ['duplicate' as const] }
          : {}),
        ...(rng.chance(0.1) ? { chaos: ['delay' as const, 'reorder' as const] } : {}),
        ...(rng.chance(0.05) ? { onDemand: { scenario: null, set: { 'a.b': 1 }, valid: true } } : {}),
      });
    } else if (roll <= 7) {
      const id = rng.pick(ids);
      const n = (attempts.get(id) ?? 0) + 1;
      attempts.set(id, n);
      const outcome = rng.pick(OUTCOMES);
      entries.push({ k: 'attempt', id, ...attempt(rng, n), next: rng.chance(0.3) ? 9_000 : null, outcome });
    } else if (roll === 8) {
      entries.push({
        k: 'schedule',
        id: rng.pick(ids),
        next: rng.chance(0.5) ? 7_000 : null,
        outcome: rng.pick(OUTCOMES),
      });
    } else {
      entries.push({ k: 'sending', id: rng.pick(ids), n: 1 });
    }
  }
  return entries;
}

/** A store whose settled deliveries are sealed (it has a content source). */
function compacting(): MemoryStore {
  const store = new MemoryStore();
  store.deriveContentWith((d) => ({
    payload: { id: d.id } as unknown as CallbackPayload,
    body: d.id,
    headers: {},
  }));
  return store;
}

/** What a store keeping objects holds, without content (what the sealed store must give back). */
const summary = (d: StoredDelivery): StoredDelivery => ({
  ...d,
  payload: undefined,
  body: undefined,
  headers: undefined,
});

function filters(): DeliveryFilter[] {
  const out: DeliveryFilter[] = [];
  for (const workflow of [undefined, 'wf-a', 'nope'])
    for (const type of [undefined, ...TYPES])
      for (const outcome of [undefined, ...OUTCOMES]) out.push({ workflow, type, outcome });
  return out;
}

function assertSame(sealed: MemoryStore, plain: MemoryStore): void {
  const expected = plain.storedDeliveries().map(summary);
  const got = sealed.storedDeliveries();
  assert.deepStrictEqual(got, expected);
  // Same keys in the same order (what the admin API and the report print).
  assert.equal(JSON.stringify(got), JSON.stringify(expected));
  assert.deepEqual(
    got.map((d) => Object.keys(d)),
    expected.map((d) => Object.keys(d)),
  );
  for (const d of expected) assert.deepStrictEqual(sealed.storedDelivery(d.id), d, d.id);
  for (const f of filters()) {
    assert.equal(sealed.deliveryIndex.countOf(f), plain.deliveryIndex.countOf(f));
    for (const limit of [1, 7]) {
      const a = sealed.deliveryIndex.page(f, Infinity, limit);
      const b = plain.deliveryIndex.page(f, Infinity, limit);
      assert.deepStrictEqual(a.list, b.list.map(summary), JSON.stringify(f));
      assert.equal(a.before, b.before);
    }
  }
}

describe('settled delivery summaries kept as columns', () => {
  it('read back exactly as a store keeping objects holds them, through a random session', () => {
    for (const seed of [1, 2, 3]) {
      const sealed = compacting();
      const plain = new MemoryStore();
      for (const e of session(seed)) {
        plain.commit(e);
        sealed.commit(e);
      }
      assertSame(sealed, plain);
      const held = plain.storedDeliveries().filter((d) => d.outcome === 'pending').length;
      assert.equal(sealed.deliveryIndex.heldCount, held, 'only pending deliveries are held as objects');
      assert.ok(sealed.deliveryIndex.size - held > 50, 'most are sealed');
    }
  });

  it('a sealed delivery changed again (a replay, a resume) is read with the change', () => {
    const store = compacting();
    const plain = new MemoryStore();
    const apply = (e: JournalEntry) => {
      store.commit(e);
      plain.commit(e);
    };
    apply(deliveryEntry('wf-000001'));
    apply({
      k: 'attempt',
      id: 'wf-000001',
      n: 1,
      at: 1000,
      ok: false,
      error: 'timeout',
      message: 'slow',
      latencyMs: 10000,
      next: null,
      outcome: 'exhausted',
    });
    const before = store.storedDelivery('wf-000001')!;
    apply(deliveryEntry('wf-000001.replay1', { replayOf: 'wf-000001' }));
    assert.deepEqual(store.storedDelivery('wf-000001')!.replays, ['wf-000001.replay1']);
    assert.equal(
      store.storedDelivery('wf-000001'),
      before,
      'a record read lately is the same object, kept current',
    );
    apply({ k: 'schedule', id: 'wf-000001', next: 5000, outcome: 'pending' });
    assert.equal(store.deliveryIndex.countOf({ outcome: 'pending' }), 2);
    apply({
      k: 'attempt',
      id: 'wf-000001',
      n: 2,
      at: 5000,
      ok: true,
      status: 200,
      latencyMs: 3,
      response: '{}',
      next: null,
      outcome: 'delivered',
    });
    assertSame(store, plain);
    assert.equal(store.deliveryIndex.heldCount, 1, 'the pending replay only');
  });

  it('a page of more than 500 reads the same records, decoded as they are read', () => {
    const sealed = compacting();
    const plain = new MemoryStore();
    for (let i = 1; i <= 1_200; i++) {
      const id = `wf-a-${String(i).padStart(6, '0')}`;
      const entries: JournalEntry[] = [
        {
          k: 'delivery',
          id,
          type: TYPES[i % 3]!,
          url: 'http://127.0.0.1:9/a',
          workflowId: 'wf-a',
          policy: { ...DEFAULT_RETRY_POLICY },
          signing: 'hmac-sha256',
          encrypted: false,
          firstAt: i,
          nextAttemptAt: i,
        },
        {
          k: 'attempt',
          id,
          n: 1,
          at: i,
          ok: true,
          status: 200,
          latencyMs: 1,
          response: '{}',
          next: null,
          outcome: 'delivered',
        },
      ];
      for (const e of entries) {
        sealed.commit(e);
        plain.commit(e);
      }
    }
    for (const f of [{}, { type: TYPES[1] }]) {
      const a = sealed.deliveryIndex.page(f, 1_100, 600);
      const b = plain.deliveryIndex.page(f, 1_100, 600);
      const expected = b.list.map(summary);
      assert.ok(a.list.length > 300);
      assert.equal(a.list.length, expected.length);
      assert.deepStrictEqual(a.list, expected);
      assert.deepStrictEqual([...a.list], expected);
      assert.equal(JSON.stringify(a.list), JSON.stringify(expected));
      assert.deepStrictEqual(a.list.slice(100, 150), expected.slice(100, 150));
      assert.deepStrictEqual(a.list.at(-1), expected.at(-1));
      assert.ok(Array.isArray(a.list));
      assert.equal(a.before, b.before);
    }
    assert.deepStrictEqual(sealed.deliveryIndex.matching({}), plain.deliveryIndex.matching({}).map(summary));
  });

  it('keeps a record of a shape the columns do not take as it is', () => {
    const store = compacting();
    store.commit({
      k: 'delivery',
      id: 'x',
      type: 'call-completion',
      url: 'http://127.0.0.1:9/x',
      policy: { ...DEFAULT_RETRY_POLICY },
      signing: 'none',
      encrypted: false,
      firstAt: 1000,
      nextAttemptAt: 1000,
    });
    // An attempt whose keys come in another order than the service writes them.
    const odd = { k: 'attempt', id: 'x', latencyMs: 2.5, n: 1, at: 1000, ok: true, status: 200 } as const;
    store.commit({ ...odd, next: null, outcome: 'delivered' });
    const d = store.storedDelivery('x')!;
    assert.deepEqual(Object.keys(d.attempts[0]!), ['latencyMs', 'n', 'at', 'ok', 'status']);
    assert.equal(d.attempts[0]!.latencyMs, 2.5);
    assert.equal(store.deliveryIndex.heldCount, 1);
  });
});

describe('columns', () => {
  it('hold every value set, across pages, unset slots reading 0', () => {
    const c = new Column(u32, 4);
    const values = new Map<number, number>();
    const rng = new Rng(5);
    for (let step = 0; step < 3000; step++) {
      const i = step < 1000 ? step : rng.int(0, 70_000);
      const v = rng.int(1, 2 ** 32 - 1);
      c.set(i, v);
      values.set(i, v);
    }
    for (const i of [0, 999, 1000, 16_383, 16_384, 40_000, 69_999, 70_000])
      assert.equal(c.get(i), values.get(i) ?? 0, String(i));
    for (const [i, v] of values) assert.equal(c.get(i), v);
    assert.equal(c.length, Math.max(...values.keys()) + 1);
    assert.equal(c.get(c.length + 5), 0);
    c.clear();
    assert.equal(c.length, 0);
    assert.equal(c.push(7), 0);
    assert.equal(c.get(0), 7);
  });
});
