/**
 * The store's side of re-derived delivery content: with a content source, a settled delivery
 * keeps its summary only and `delivery(id)` answers with the content re-derived (a replay and a
 * chaos duplicate from their source) on first read, the same keys in the same order; a record handed out
 * before it settled keeps its payload; the last contents read are cached, at most the cache size;
 * a reset forgets them; a store without a source keeps every content, as before.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CallbackPayload } from '../../src/contract/callbacks.ts';
import type { DeliveryContent, StoredDelivery } from '../../src/delivery/types.ts';
import { ContentCache } from '../../src/store/content-cache.ts';
import { MemoryStore } from '../../src/store/memory-store.ts';
import { deliveryEntry } from './delivery-entry.ts';

const contentOf = (id: string): DeliveryContent => ({
  payload: { id } as unknown as CallbackPayload,
  body: `{"id":"${id}"}`,
  headers: { 'Content-Type': 'application/json', 'X-AIRudder-Sign': `sig-${id}` },
});

function create(
  store: MemoryStore,
  id: string,
  link: { replayOf?: string; duplicateOf?: string } = {},
): void {
  store.commit(deliveryEntry(id, link));
  // A replay and a duplicate send their source's bytes (the delivery service copies them).
  const c = contentOf(link.replayOf ?? link.duplicateOf ?? id);
  store.derive({ k: 'content', id, ...c });
}

function settle(store: MemoryStore, id: string): void {
  store.commit({
    k: 'attempt',
    id,
    n: 1,
    at: 1000,
    ok: true,
    status: 200,
    latencyMs: 1,
    next: null,
    outcome: 'delivered',
  });
}

/** A store whose source counts what it derives. */
function sourced(cacheSize?: number): { store: MemoryStore; derived: string[] } {
  const store = new MemoryStore();
  const derived: string[] = [];
  store.deriveContentWith((d: StoredDelivery) => {
    derived.push(d.id);
    return contentOf(d.id);
  }, cacheSize);
  return { store, derived };
}

describe('delivery content in the store', () => {
  it('keeps a pending delivery whole and a settled one as a summary, re-derived when read', () => {
    const { store, derived } = sourced();
    create(store, 'a');
    const pending = store.delivery('a')!;
    assert.equal(store.storedDelivery('a'), pending, 'pending: the store record itself (live)');
    assert.deepEqual(pending.body, contentOf('a').body);
    settle(store, 'a');
    const kept = store.storedDelivery('a')!;
    assert.equal(kept.payload, undefined);
    assert.equal(kept.body, undefined);
    assert.equal(kept.headers, undefined);
    // The record handed out while pending still has its content, and sees the outcome.
    assert.equal(pending.outcome, 'delivered');
    assert.deepEqual(pending.payload, contentOf('a').payload);
    const read = store.delivery('a')!;
    assert.deepEqual(derived, [], 'derived when its content is first read');
    assert.equal(read.body, contentOf('a').body);
    assert.deepEqual(derived, ['a']);
    assert.deepEqual({ payload: read.payload, body: read.body, headers: read.headers }, contentOf('a'));
    // Same keys, same order, same values as the record was before it settled.
    assert.equal(JSON.stringify(read), JSON.stringify(pending));
    assert.equal(JSON.stringify(store.deliveries()), JSON.stringify([pending]));
    assert.equal(store.deliveryIndex.all()[0], kept, 'the index holds the summary');
  });

  it('a replay and a chaos duplicate read their source content', () => {
    const { store, derived } = sourced();
    create(store, 'a');
    settle(store, 'a');
    create(store, 'a.dup', { duplicateOf: 'a' });
    settle(store, 'a.dup');
    create(store, 'a.replay1', { replayOf: 'a' });
    settle(store, 'a.replay1');
    assert.deepEqual(store.delivery('a')!.replays, ['a.replay1']);
    for (const id of ['a.dup', 'a.replay1']) {
      const d = store.delivery(id)!;
      assert.deepEqual({ payload: d.payload, body: d.body, headers: d.headers }, contentOf('a'), id);
    }
    assert.deepEqual(derived, ['a'], 'derived once, from the source');
  });

  it('caches the last contents read, at most its size; a reset forgets them', () => {
    const { store, derived } = sourced(2);
    for (const id of ['a', 'b', 'c']) {
      create(store, id);
      settle(store, id);
    }
    const read = (id: string) => store.delivery(id)!.body;
    store.deliveries(); // nothing read yet
    assert.deepEqual(derived, []);
    read('a');
    read('b');
    read('a'); // cached
    read('c'); // b leaves (least recently read)
    read('a'); // cached
    read('b'); // derived again
    assert.deepEqual(derived, ['a', 'b', 'c', 'b']);
    // A reader changing its copy's headers does not change the next read.
    store.delivery('b')!.headers['X-AIRudder-Sign'] = 'changed';
    assert.equal(store.delivery('b')!.headers['X-AIRudder-Sign'], 'sig-b');
    // A record's content read once stays; assigned, it holds what was assigned.
    const b = store.delivery('b')!;
    assert.equal(b.headers, b.headers);
    b.body = 'mine';
    assert.equal(b.body, 'mine');
    assert.equal(JSON.parse(JSON.stringify(b)).body, 'mine');
    store.commit({ k: 'reset', at: 2000 });
    create(store, 'a');
    settle(store, 'a');
    read('a');
    assert.deepEqual(derived, ['a', 'b', 'c', 'b', 'a']);
  });

  it('settled deliveries read back from a journal take no content until read', () => {
    const { store, derived } = sourced();
    create(store, 'a');
    settle(store, 'a');
    // What resume derives for every delivery it reads (a pending one only, now) is not kept.
    store.derive({ k: 'content', id: 'a', ...contentOf('a') });
    assert.equal(store.storedDelivery('a')!.payload, undefined);
    assert.deepEqual(derived, []);
  });

  it('without a content source, a settled delivery keeps its content (as before)', () => {
    const store = new MemoryStore();
    create(store, 'a');
    settle(store, 'a');
    assert.deepEqual(store.storedDelivery('a')!.body, contentOf('a').body);
    assert.equal(store.delivery('a'), store.storedDelivery('a'));
  });

  it('the content cache drops the least recently read first', () => {
    const cache = new ContentCache(2);
    cache.set('a', contentOf('a'));
    cache.set('b', contentOf('b'));
    cache.get('a');
    cache.set('c', contentOf('c'));
    assert.equal(cache.get('b'), undefined);
    assert.deepEqual(cache.get('a'), contentOf('a'));
    assert.equal(cache.length, 2);
    const none = new ContentCache(0);
    none.set('a', contentOf('a'));
    assert.equal(none.get('a'), undefined);
  });
});
