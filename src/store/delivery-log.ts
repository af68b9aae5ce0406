/**
 * The delivery service's DeliveryStore, kept in the emulator store so deliveries are journaled
 * with everything else. The first `put` of a delivery commits the whole record; later ones commit
 * only what changes (attempts, outcome, schedule, replays), which keeps the journal small.
 */
import type { DeliveryStore } from '../delivery/types.ts';
import type { MemoryStore } from './memory-store.ts';

export function createDeliveryLog(store: MemoryStore, isCurrent: () => boolean = () => true): DeliveryStore {
  return {
    put(d) {
      // After a reset, late answers of the previous generation's attempts must not come back.
      if (!isCurrent()) return;
      if (store.delivery(d.id) === d) {
        store.commit({
          k: 'delivery',
          id: d.id,
          patch: {
            attempts: d.attempts,
            outcome: d.outcome,
            nextAttemptAt: d.nextAttemptAt,
            replays: d.replays,
          },
        });
      } else {
        store.commit({ k: 'delivery', id: d.id, record: d });
      }
    },
    get: (id) => store.delivery(id),
    list: () => store.deliveries(),
  };
}
