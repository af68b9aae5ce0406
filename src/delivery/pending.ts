/**
 * The deliveries pending in a service: registered when created (or resumed), gone when delivered
 * or exhausted — the store and the listeners hear of both — and who waits for none to be left.
 */
import type { Live } from './live.ts';
import type { DeliveryEvent, DeliveryStore } from './types.ts';

export interface PendingSet {
  /** Make it pending and tell the store (and listeners, when `created`). Throws on a known id. */
  register(l: Live, created: boolean): void;
  /** Settle it: the outcome on its record, out of the set, listeners told. */
  finish(l: Live, outcome: 'delivered' | 'exhausted'): void;
  /** The bytes of a pending delivery. */
  bodyOf(id: string): Buffer | undefined;
  lives(): IterableIterator<Live>;
  count(): number;
  /** Resolves when every delivery is delivered or exhausted. */
  settled(): Promise<void>;
}

export function createPendingSet(
  store: DeliveryStore,
  listener: ((event: DeliveryEvent) => void) | undefined,
): PendingSet {
  /** Pending deliveries. Settled ones leave (a replay re-reads the record's body). */
  const lives = new Map<string, Live>();
  let pending = 0;
  let waiters: (() => void)[] = [];
  return {
    register(l, created) {
      const id = l.rec.id;
      const known = store.get(id);
      if ((known !== undefined && known !== l.rec) || lives.has(id))
        throw new Error(`duplicate delivery id "${id}"`);
      lives.set(id, l);
      pending++;
      store.put(l.rec);
      if (created) listener?.({ type: 'delivery:created', delivery: l.rec });
    },
    finish(l, outcome) {
      const rec = l.rec;
      rec.outcome = outcome;
      rec.nextAttemptAt = null;
      lives.delete(rec.id);
      listener?.({
        type: outcome === 'delivered' ? 'delivery:delivered' : 'delivery:exhausted',
        delivery: rec,
      });
      if (--pending === 0) {
        const ws = waiters;
        waiters = [];
        for (const w of ws) w();
      }
    },
    bodyOf: (id) => lives.get(id)?.body,
    lives: () => lives.values(),
    count: () => pending,
    settled() {
      if (pending === 0) return Promise.resolve();
      return new Promise<void>((resolve) => waiters.push(resolve));
    },
  };
}
