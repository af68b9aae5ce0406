/** The default DeliveryStore: every delivery and its attempts, in memory, in creation order. */
import type { DeliveryRecord, DeliveryStore } from './types.ts';

export function createAttemptLog(): DeliveryStore {
  const byId = new Map<string, DeliveryRecord>();
  return {
    put(d) {
      if (!byId.has(d.id) && d.replayOf !== undefined) {
        // A new replay: list it on the delivery it replays.
        const orig = byId.get(d.replayOf);
        if (orig && !orig.replays.includes(d.id)) orig.replays.push(d.id);
      }
      byId.set(d.id, d);
    },
    get: (id) => byId.get(id),
    list: () => [...byId.values()],
  };
}
