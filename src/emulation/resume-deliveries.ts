/**
 * After a restart from the journal: every delivery still `pending` is handed to the new delivery
 * service to continue where it stopped (`DeliveryService.resume`): same id, bytes and signature,
 * its earlier attempts kept, numbering and the retry budget continuing after them, the next
 * attempt at its planned instant (or at once, if that passed while the server was down). An
 * attempt that was in flight when the process died is recorded as `interrupted` and counts — the
 * receiver may have seen it (at-least-once, as the vendor delivers).
 */
import type { DeliveryService } from '../delivery/delivery-service.ts';
import type { MemoryStore } from '../store/memory-store.ts';

/** Returns how many deliveries were resumed. */
export function resumeDeliveries(store: MemoryStore, service: DeliveryService): number {
  let n = 0;
  for (const d of store.deliveries()) {
    if (d.outcome !== 'pending') continue;
    // The record read back from the journal is adopted as is: the store keeps the same object.
    service.resume(d);
    n++;
  }
  return n;
}
