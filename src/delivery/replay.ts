/**
 * Replaying a past delivery (DeliveryService.replay): a new attempt series of the same bytes,
 * linked to it by `replayOf`, at a given instant (default now) and URL (default its own).
 */
import type { Clock } from '../core/clock.ts';
import type { AttemptLoop } from './attempt-loop.ts';
import { NO_CHAOS } from './chaos.ts';
import { plan } from './live.ts';
import type { PendingSet } from './pending.ts';
import { replayRecord } from './records.ts';
import type { DeliveryRecord, DeliveryStore } from './types.ts';

export interface ReplayDeps {
  clock: Clock;
  store: DeliveryStore;
  loop: AttemptLoop;
  pending: PendingSet;
  bytesOf: (text: string) => Buffer;
}

export function replayDelivery(
  id: string,
  opts: { url?: string; at?: number },
  deps: ReplayDeps,
): DeliveryRecord {
  const { store, loop, pending } = deps;
  const orig = store.get(id);
  if (!orig) throw new Error(`unknown delivery "${id}"`);
  const body = pending.bodyOf(id) ?? deps.bytesOf(orig.body);
  const now = deps.clock.now();
  const at = opts.at !== undefined && opts.at > now ? opts.at : now;
  const rec = replayRecord(orig, opts.url, at);
  orig.replays.push(rec.id);
  store.put(orig);
  const l = loop.live(rec, body, NO_CHAOS);
  plan(l, 1, at);
  pending.register(l, true);
  loop.arm(l);
  return rec;
}
