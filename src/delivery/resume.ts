/**
 * Continuing a recorded delivery after a restart (DeliveryService.resume): same id, bytes, headers
 * and signature; numbering and the retry budget continue after its attempts. An attempt that had
 * started but left no answer is recorded as `interrupted` first, and counts.
 */
import type { Clock } from '../core/clock.ts';
import { nextAttemptAt } from '../core/retry-policy.ts';
import type { AttemptLoop } from './attempt-loop.ts';
import { NO_CHAOS, type ChaosPlan } from './chaos.ts';
import { due, plan, type Live } from './live.ts';
import type { PendingSet } from './pending.ts';
import type { AttemptRecord, DeliveryEvent, DeliveryRecord, DeliveryStore } from './types.ts';

export interface ResumeDeps {
  clock: Clock;
  store: DeliveryStore;
  loop: AttemptLoop;
  pending: PendingSet;
  /** The service's own chaos (a resumed delivery keeps its chaos delay). */
  chaos: (deliveryId: string) => ChaosPlan;
  bytesOf: (text: string) => Buffer;
  onEvent: ((event: DeliveryEvent) => void) | undefined;
}

/**
 * The attempt in flight when the emulator stopped (a pending record with no next attempt planned
 * and budget left), as an `interrupted` attempt at its planned instant, and the instant the next
 * one is then due (null: none).
 */
function interruptedAttempt(
  rec: DeliveryRecord,
  l: Live,
): { attempt: AttemptRecord; planned: number | null } | null {
  const last = rec.attempts.at(-1);
  if (rec.nextAttemptAt !== null || last?.ok || rec.attempts.length >= rec.policy.maxRetries + 1) return null;
  // It had started and no answer was recorded: it went out (or nearly), so it counts.
  const n = rec.attempts.length + 1;
  const at = last === undefined ? due(l, 1, rec.firstAt) : due(l, n, last.at + rec.policy.retryIntervalMs);
  const attempt: AttemptRecord = {
    n,
    at,
    ok: false,
    error: 'interrupted',
    message: 'in flight when the emulator stopped; the receiver may have seen it',
    latencyMs: 0,
  };
  const next = nextAttemptAt(n, at, at, rec.policy);
  return { attempt, planned: next === null ? null : due(l, n + 1, next) };
}

export function resumeDelivery(rec: DeliveryRecord, deps: ResumeDeps): DeliveryRecord {
  const { store, loop, pending } = deps;
  if (rec.outcome !== 'pending') {
    if (store.get(rec.id) === undefined) store.put(rec);
    return rec;
  }
  const base = rec.replayOf !== undefined ? NO_CHAOS : deps.chaos(rec.duplicateOf ?? rec.id);
  const l = loop.live(rec, deps.bytesOf(rec.body), {
    duplicate: false,
    holdMs: 0,
    delayMs: base.delayMs,
  });
  const budget = rec.policy.maxRetries + 1;
  let planned = rec.nextAttemptAt;
  const interrupted = interruptedAttempt(rec, l);
  if (interrupted) {
    rec.attempts.push(interrupted.attempt);
    planned = interrupted.planned;
  }
  pending.register(l, false);
  if (interrupted) deps.onEvent?.({ type: 'delivery:attempt', delivery: rec, attempt: interrupted.attempt });
  const done = rec.attempts.length;
  if (rec.attempts.at(-1)?.ok) {
    pending.finish(l, 'delivered');
  } else if (done >= budget || planned === null) {
    pending.finish(l, 'exhausted');
  } else {
    plan(l, done + 1, Math.max(planned, deps.clock.now()));
    loop.arm(l);
  }
  // The interrupted attempt, the outcome or the next planned instant.
  store.put(rec);
  return rec;
}
