/** The default DeliveryStore: every delivery and its attempts, in memory, in creation order. */
import type { DeliveryRecord, DeliveryStore } from './types.ts';

export function createAttemptLog(): DeliveryStore {
  const byId = new Map<string, DeliveryRecord>();
  return {
    put(d) {
      byId.set(d.id, d);
    },
    get: (id) => byId.get(id),
    list: () => [...byId.values()],
  };
}
