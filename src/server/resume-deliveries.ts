/**
 * After a restart from the journal: every delivery still `pending` is handed to the new delivery
 * service again, at its next planned attempt (or now, if that passed while the server was down),
 * with the retries it has left. Its earlier attempts are kept in front of the new ones. An attempt
 * that was in flight when the process died left no trace, so it is simply made again — the
 * vendor's rule is at-least-once, and receivers must be idempotent anyway.
 */
import type { DeliveryInput, DeliveryService } from '../delivery/delivery-service.ts';
import type { DeliveryRecord } from '../delivery/types.ts';
import type { MemoryStore } from '../store/memory-store.ts';

/** Returns how many deliveries were resumed. */
export function resumeDeliveries(
  store: MemoryStore,
  service: DeliveryService,
  inputFor: (d: DeliveryRecord) => DeliveryInput | undefined,
): number {
  let n = 0;
  for (const old of store.deliveries()) {
    if (old.outcome !== 'pending') continue;
    // Replays and chaos duplicates re-send the message of the delivery they come from.
    const input = inputFor(old) ?? inputFor(baseOf(store, old));
    if (!input) continue;
    const totalAttempts = old.policy.maxRetries + 1;
    // At least one attempt: a delivery whose last attempt was cut off by the crash gets it again.
    const left = Math.max(1, totalAttempts - old.attempts.length);
    store.forgetDelivery(old.id);
    const rec = service.deliver({
      ...input,
      id: old.id,
      url: old.url,
      at: old.nextAttemptAt ?? old.firstAt,
      policy: { ...old.policy, maxRetries: left - 1 },
    });
    rec.attempts.unshift(...old.attempts);
    rec.firstAt = old.firstAt;
    rec.replays = old.replays;
    if (old.replayOf) rec.replayOf = old.replayOf;
    if (old.duplicateOf) rec.duplicateOf = old.duplicateOf;
    store.commit({
      k: 'delivery',
      id: rec.id,
      patch: {
        attempts: rec.attempts,
        outcome: rec.outcome,
        nextAttemptAt: rec.nextAttemptAt,
        replays: rec.replays,
      },
    });
    n++;
  }
  return n;
}

function baseOf(store: MemoryStore, d: DeliveryRecord): DeliveryRecord {
  const id = d.replayOf ?? d.duplicateOf;
  const base = id ? store.delivery(id) : undefined;
  return base ? baseOf(store, base) : d;
}
