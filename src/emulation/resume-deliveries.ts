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
 * A message whose delivery the journal does not hold (the process died between the campaign's
 * advance and the delivery's creation) is delivered now.
 */
import type { DeliveryInput, DeliveryService } from '../delivery/delivery-service.ts';
import type { DeliveryContent, DeliveryRecord } from '../delivery/types.ts';
import type { OutboundMessage } from '../engine/types.ts';
import type { MemoryStore } from '../store/memory-store.ts';

export interface ResumeOptions {
  store: MemoryStore;
  service: DeliveryService;
  /** The messages the restored campaigns produced (`CampaignDriver.restore`). */
  messages: OutboundMessage[];
  /** How a message is delivered now (its URL, key and delivery settings). */
  input: (m: OutboundMessage) => DeliveryInput;
  /** Hand messages to delivery (for those the journal has no delivery of). */
  deliver: (messages: OutboundMessage[]) => void;
  /** How a delivery no campaign produced (a callback sent on demand) is sent again, if known. */
  rebuild?: (d: DeliveryRecord) => DeliveryInput | null;
}

/** Returns how many pending deliveries were resumed. */
export function resumeDeliveries(opts: ResumeOptions): number {
  const { store, service } = opts;
  const byId = new Map<string, OutboundMessage>();
  for (const m of opts.messages) byId.set(m.id, m);

  const contents = new Map<string, DeliveryContent | null>();
  const contentOf = (d: DeliveryRecord): DeliveryContent | null => {
    let c = contents.get(d.id);
    if (c !== undefined) return c;
    const source = d.replayOf ?? d.duplicateOf;
    if (source !== undefined) {
      const s = store.delivery(source);
      c = s ? contentOf(s) : null;
    } else {
      const m = byId.get(d.id);
      const input = m ? opts.input(m) : (opts.rebuild?.(d) ?? null);
      c = input ? service.content(input) : null;
    }
    contents.set(d.id, c);
    return c;
  };

  let n = 0;
  for (const d of store.deliveries()) {
    const c = contentOf(d);
    if (c) store.derive({ k: 'content', id: d.id, payload: c.payload, body: c.body, headers: c.headers });
    if (d.outcome !== 'pending') continue;
    // Nothing to send it with: a journal from before the lean format whose campaign changed.
    if (!c) continue;
    service.resume(copyOf(store.delivery(d.id)!));
    n++;
  }
  opts.deliver(opts.messages.filter((m) => store.delivery(m.id) === undefined));
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
