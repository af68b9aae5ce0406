/**
 * The store's delivery indexes (by creation order, workflow, type and outcome, with counts) stay
 * consistent with the records as entries are applied: every page and count equals the same
 * question answered by scanning all records, after creations, outcome changes (attempts and
 * schedules, back and forth), a re-created id, and a reset.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_RETRY_POLICY } from '../../src/core/retry-policy.ts';
import type { DeliveryOutcome, StoredDelivery } from '../../src/delivery/types.ts';
import { Rng } from '../../src/engine/rng.ts';
import type { DeliveryFilter } from '../../src/store/delivery-index.ts';
import { MemoryStore } from '../../src/store/memory-store.ts';

const TYPES = ['call-completion', 'custom-api-node-push', 'list-completion'] as const;
const OUTCOMES: DeliveryOutcome[] = ['pending', 'delivered', 'exhausted'];
const WORKFLOWS = ['wf-a', 'wf-b', 'wf-c', undefined];

function create(store: MemoryStore, id: string, rng: Rng): void {
  const workflowId = rng.pick(WORKFLOWS);
  store.commit({
    k: 'delivery',
    id,
    type: rng.pick(TYPES),
    url: 'http://127.0.0.1:9/x',
    ...(workflowId !== undefined ? { workflowId } : {}),
    policy: { ...DEFAULT_RETRY_POLICY },
    signing: 'none',
    encrypted: false,
    firstAt: 1000,
    nextAttemptAt: 1000,
  });
}

/** Every filter combination over the values used (and one that matches nothing). */
function filters(): DeliveryFilter[] {
  const out: DeliveryFilter[] = [];
  for (const workflow of [undefined, 'wf-a', 'wf-c', 'nope'])
    for (const type of [undefined, ...TYPES])
      for (const outcome of [undefined, ...OUTCOMES]) out.push({ workflow, type, outcome });
  return out;
}

const scan = (store: MemoryStore, f: DeliveryFilter): string[] =>
  [...store.deliveryIndex.all()]
    .filter((d) => f.workflow === undefined || d.workflowId === f.workflow)
    .filter((d) => f.type === undefined || d.type === f.type)
    .filter((d) => f.outcome === undefined || d.outcome === f.outcome)
    .map((d) => d.id);

/** Walk the pages newest first (each page in creation order) and put them back in order. */
function walk(store: MemoryStore, f: DeliveryFilter, limit: number): string[] {
  const pages: StoredDelivery[][] = [];
  let before = Infinity;
  for (;;) {
    const page = store.deliveryIndex.page(f, before, limit);
    assert.ok(page.list.length <= limit);
    assert.equal(page.total, store.deliveryIndex.countOf(f));
    pages.push(page.list);
    if (page.before === null) break;
    assert.equal(page.list.length, limit, 'only the last page is short');
    before = page.before;
  }
  return pages.reverse().flatMap((p) => p.map((d) => d.id));
}

function checkAll(store: MemoryStore): void {
  for (const f of filters()) {
    const expected = scan(store, f);
    assert.equal(store.deliveryIndex.countOf(f), expected.length, JSON.stringify(f));
    assert.deepEqual(
      store.deliveryIndex.matching(f).map((d) => d.id),
      expected,
      JSON.stringify(f),
    );
    for (const limit of [1, 3, 50]) assert.deepEqual(walk(store, f, limit), expected, JSON.stringify(f));
  }
}

describe('delivery indexes', () => {
  it('pages and counts equal a scan of every record through creations and outcome changes', () => {
    const rng = new Rng(7);
    const store = new MemoryStore();
    for (let i = 0; i < 120; i++) create(store, `d-${i}`, rng);
    checkAll(store);
    // Attempts and schedules move outcomes around (back to pending too, as a resume may).
    for (let step = 0; step < 300; step++) {
      const id = `d-${rng.int(0, 119)}`;
      const outcome = rng.pick(OUTCOMES);
      const d = store.delivery(id)!;
      if (rng.chance(0.5)) {
        store.commit({
          k: 'attempt',
          id,
          n: d.attempts.length + 1,
          at: 2000,
          ok: true,
          latencyMs: 1,
          next: null,
          outcome,
        });
      } else {
        store.commit({ k: 'schedule', id, next: 5000, outcome });
      }
      if (step % 50 === 0) checkAll(store);
    }
    checkAll(store);
    // The same id created again replaces its record, in place.
    create(store, 'd-5', rng);
    assert.equal(store.deliveryIndex.size, 120);
    assert.equal(store.deliveries()[5]!.outcome, 'pending');
    checkAll(store);
  });

  it('counts stay right when more types arrive than a counts row first holds', () => {
    const store = new MemoryStore();
    for (let i = 0; i < 40; i++) {
      store.commit({
        k: 'delivery',
        id: `t-${i}`,
        type: `type-${i % 10}` as (typeof TYPES)[number],
        url: 'http://127.0.0.1:9/x',
        workflowId: i % 2 === 0 ? 'wf-a' : 'wf-b',
        policy: { ...DEFAULT_RETRY_POLICY },
        signing: 'none',
        encrypted: false,
        firstAt: 1000,
        nextAttemptAt: 1000,
      });
    }
    for (let i = 0; i < 10; i++) {
      assert.equal(store.deliveryIndex.countOf({ type: `type-${i}` }), 4);
      assert.equal(
        store.deliveryIndex.countOf({ type: `type-${i}`, workflow: 'wf-a', outcome: 'pending' }),
        i % 2 === 0 ? 4 : 0,
      );
    }
    assert.equal(store.deliveryIndex.countOf({ outcome: 'bogus' }), 0);
    assert.equal(store.deliveryIndex.countOf({}), 40);
  });

  it('forgets everything on reset and starts a new generation', () => {
    const rng = new Rng(8);
    const store = new MemoryStore();
    for (let i = 0; i < 10; i++) create(store, `d-${i}`, rng);
    const generation = store.generation;
    store.commit({ k: 'reset', at: 3000 });
    assert.equal(store.deliveryIndex.size, 0);
    assert.equal(store.deliveryIndex.countOf({}), 0);
    assert.notEqual(store.generation, generation);
    for (let i = 0; i < 10; i++) create(store, `e-${i}`, rng);
    checkAll(store);
  });

  it('workflow pages walk every workflow once, newest first', () => {
    const store = new MemoryStore();
    for (let i = 0; i < 7; i++) {
      store.commit({
        k: 'workflow',
        at: 1000 + i,
        workflowId: `w-${i}`,
        workflowName: 'n',
        templateId: 1,
        templateName: 't',
        endTime: 9000,
        autoFinish: 2,
        timeZone: 'UTC',
        campaign: {},
      });
    }
    const seen: string[] = [];
    let before = Infinity;
    for (;;) {
      const page = store.workflowPage(before, 3);
      seen.push(...page.list.map((w) => w.workflowId));
      if (page.before === null) break;
      before = page.before;
    }
    assert.deepEqual(seen, ['w-6', 'w-5', 'w-4', 'w-3', 'w-2', 'w-1', 'w-0']);
    assert.equal(store.workflowCount(), 7);
  });
});
