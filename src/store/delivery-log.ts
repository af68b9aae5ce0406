/**
 * The delivery service's DeliveryStore, kept in the emulator store so deliveries are journaled
 * with everything else. The service keeps its own record and reports it after every change; the
 * store keeps a record of its own and commits only the change (never the record object):
 *
 * - a new delivery: its metadata (`delivery`), then its content (payload, body, headers) derived
 *   — not journaled: a restart rebuilds it from the campaign's message;
 * - an attempt went out: `sending` (after a crash, that attempt counts as interrupted);
 * - an attempt ended: `attempt`, with the next planned instant and the outcome;
 * - anything else that changed (schedule, outcome): `schedule`.
 *
 * A replay's link from its original (`replays`) follows from the replay's own `replayOf`.
 */
import type { DeliveryRecord, DeliveryStore, StoredDelivery } from '../delivery/types.ts';
import type { JournalEntry } from './entries.ts';
import type { MemoryStore } from './memory-store.ts';

export function createDeliveryLog(store: MemoryStore, isCurrent: () => boolean = () => true): DeliveryStore {
  return {
    put(d) {
      // After a reset, late answers of the previous generation's attempts must not come back.
      if (!isCurrent()) return;
      const known = store.storedDelivery(d.id);
      if (known === undefined) create(store, d);
      else for (const e of changes(known, d)) store.commit(e);
    },
    // With their content (a replay copies its original's bytes).
    get: (id) => store.delivery(id),
    list: () => store.deliveries(),
  };
}

function create(store: MemoryStore, d: DeliveryRecord): void {
  store.commit({
    k: 'delivery',
    id: d.id,
    type: d.type,
    url: d.url,
    ...(d.workflowId !== undefined ? { workflowId: d.workflowId } : {}),
    policy: d.policy,
    signing: d.signing,
    encrypted: d.encrypted,
    firstAt: d.firstAt,
    nextAttemptAt: d.nextAttemptAt,
    ...(d.replayOf !== undefined ? { replayOf: d.replayOf } : {}),
    ...(d.duplicateOf !== undefined ? { duplicateOf: d.duplicateOf } : {}),
    ...(d.chaos !== undefined ? { chaos: d.chaos } : {}),
    ...(d.onDemand !== undefined ? { onDemand: d.onDemand } : {}),
  });
  store.derive({ k: 'content', id: d.id, payload: d.payload, body: d.body, headers: d.headers });
  // A record handed over with attempts already made (not the service's way, but cheap to honour).
  for (const e of changes(store.storedDelivery(d.id)!, d)) store.commit(e);
}

/** The journal entries that take the store's record `known` to the service's `d`. */
function changes(known: StoredDelivery, d: DeliveryRecord): JournalEntry[] {
  const out: JournalEntry[] = [];
  const added = d.attempts.length - known.attempts.length;
  for (let i = known.attempts.length; i < d.attempts.length; i++) {
    const last = i === d.attempts.length - 1;
    out.push({
      k: 'attempt',
      id: d.id,
      ...d.attempts[i]!,
      next: last ? d.nextAttemptAt : null,
      outcome: last ? d.outcome : 'pending',
    });
  }
  if (added > 0 || (d.nextAttemptAt === known.nextAttemptAt && d.outcome === known.outcome)) return out;
  if (d.nextAttemptAt === null && d.outcome === 'pending') {
    out.push({ k: 'sending', id: d.id, n: d.attempts.length + 1 });
  } else {
    out.push({ k: 'schedule', id: d.id, next: d.nextAttemptAt, outcome: d.outcome });
  }
  return out;
}
