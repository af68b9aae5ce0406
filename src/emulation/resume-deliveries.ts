/**
 * After a restart from the journal, deliveries continue where they stopped. The journal holds no
 * payload, body or header: the rebuilt campaigns have produced their messages again (same ids,
 * same payloads), and each journaled delivery gets its content back from its message (a replay or
 * a chaos duplicate from the delivery it copies), serialised and signed again — the same bytes.
 *
 * Every delivery still `pending` is then handed to the new delivery service
 * (`DeliveryService.resume`, with a copy of the store's record: the two never share one): its
 * earlier attempts kept, numbering and the retry budget continuing after them, the next attempt at
 * its planned instant (or at once, if that passed while the server was down). An attempt recorded
 * as answered is never sent again; one that was in flight when the process died is recorded as
 * `interrupted` and counts — the receiver may have seen it (at-least-once, as the vendor delivers).
 *
 * A settled delivery keeps no content: it is re-derived the same way when read (the store's
 * content source, src/emulation/delivery-content.ts).
 *
 * A message whose delivery the journal does not hold (the process died between the campaign's
 * advance and the delivery's creation) is delivered now.
 */
import type { DeliveryService } from '../delivery/delivery-service.ts';
import type { DeliveryRecord } from '../delivery/types.ts';
import type { OutboundMessage } from '../engine/types.ts';
import type { MemoryStore } from '../store/memory-store.ts';

export interface ResumeOptions {
  /** The store, its content source attached (`deriveContentWith`). */
  store: MemoryStore;
  service: DeliveryService;
  /** The messages the restored campaigns produced (`CampaignDriver.restore`). */
  messages: OutboundMessage[];
  /** Hand messages to delivery (for those the journal has no delivery of). */
  deliver: (messages: OutboundMessage[]) => void;
}

/** Returns how many pending deliveries were resumed. */
export function resumeDeliveries(opts: ResumeOptions): number {
  const { store, service } = opts;
  let n = 0;
  // A settled one's content is derived when read; only what is still to send needs it now (and
  // reading only the pending ones decodes none of the settled summaries).
  for (const d of store.deliveryIndex.matching({ outcome: 'pending' })) {
    const c = store.deliveryContent(d);
    // Nothing to send it with: a journal from before the lean format whose campaign changed.
    if (!c) continue;
    store.derive({ k: 'content', id: d.id, payload: c.payload, body: c.body, headers: c.headers });
    service.resume(copyOf(store.delivery(d.id)!));
    n++;
  }
  opts.deliver(opts.messages.filter((m) => store.storedDelivery(m.id) === undefined));
  return n;
}
/** The service's own record of a delivery (the store keeps its own). */
function copyOf(d: DeliveryRecord): DeliveryRecord {
  return {
    ...d,
    headers: { ...d.headers },
    policy: { ...d.policy },
    attempts: d.attempts.map((a) => ({ ...a })),
    replays: [...d.replays],
    ...(d.chaos ? { chaos: [...d.chaos] } : {}),
  };
}
