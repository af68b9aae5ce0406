/**
 * Where a settled delivery's content comes from once the store has dropped it (issue 14: `serve`
 * keeps delivery summaries, like the lean journal keeps no payloads): the bytes are rebuilt the
 * way a restart rebuilds them — a campaign delivery from its vendor message, a callback sent on
 * demand from how it was built (`onDemand`) — through the delivery service's `content(input)`:
 * serialisation, signing and the vendor's AES are deterministic, so they are the bytes it sent.
 * A replay or a chaos duplicate takes its source's content (the store follows that link).
 */
import type { DeliveryInput, DeliveryService } from '../delivery/delivery-service.ts';
import type { StoredDelivery } from '../delivery/types.ts';
import type { OutboundMessage } from '../engine/types.ts';
import type { ContentSource } from '../store/memory-store.ts';

export interface ContentSourceOptions {
  /** The vendor message a campaign delivery was made of (same id), if still known. */
  message: (id: string) => OutboundMessage | undefined;
  /** How a message is delivered (its key and its scenario's signing and encryption). */
  input: (m: OutboundMessage) => DeliveryInput;
  /** How a callback sent on demand was built, or null. */
  rebuild: (d: StoredDelivery) => DeliveryInput | null;
  /** The current delivery service (its signing and encryption settings). */
  service: () => DeliveryService;
}

export function deliveryContentSource(opts: ContentSourceOptions): ContentSource {
  return (d) => {
    const m = opts.message(d.id);
    const input = m ? opts.input(m) : opts.rebuild(d);
    return input ? opts.service().content(input) : null;
  };
}
