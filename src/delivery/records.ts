/**
 * Delivery records as the world sees them (types.ts), built in one place: a new delivery, its chaos
 * duplicate, a replay. Keys keep one order (the admin API, the journal and the report print them).
 */
import type { RetryPolicy } from '../core/retry-policy.ts';
import type { SigningScheme } from '../core/signing.ts';
import { NO_CHAOS, type ChaosPlan } from './chaos.ts';
import type { BuiltRequest, DeliveryInput } from './request.ts';
import type { DeliveryRecord } from './types.ts';

/** A new pending delivery whose first attempt is due at `at`. */
export function newRecord(
  id: string,
  input: DeliveryInput,
  req: BuiltRequest,
  policy: RetryPolicy,
  signing: SigningScheme,
  at: number,
  chaos: ChaosPlan,
): DeliveryRecord {
  const rec: DeliveryRecord = {
    id,
    type: input.type,
    url: input.url,
    payload: input.payload,
    body: req.wire,
    headers: req.headers,
    policy,
    signing,
    encrypted: req.encrypted,
    outcome: 'pending',
    attempts: [],
    firstAt: at,
    nextAttemptAt: null,
    replays: [],
  };
  if (input.workflowId !== undefined) rec.workflowId = input.workflowId;
  if (input.onDemand !== undefined) rec.onDemand = input.onDemand;
  if (chaos !== NO_CHAOS) {
    const applied: NonNullable<DeliveryRecord['chaos']> = [];
    if (chaos.delayMs !== NO_CHAOS.delayMs) applied.push('delay');
    if (chaos.holdMs > 0) applied.push('reorder');
    if (applied.length > 0) rec.chaos = applied;
  }
  return rec;
}

/** Chaos `duplicate`: a second delivery of the same bytes, `<id>.dup`. */
export function duplicateRecord(rec: DeliveryRecord): DeliveryRecord {
  return {
    ...rec,
    id: `${rec.id}.dup`,
    duplicateOf: rec.id,
    attempts: [],
    replays: [],
    chaos: ['duplicate'],
    nextAttemptAt: null,
  };
}

/** A new attempt series of `orig` (its replay number `replays.length + 1`), due at `at`. */
export function replayRecord(orig: DeliveryRecord, url: string | undefined, at: number): DeliveryRecord {
  const rec: DeliveryRecord = {
    ...orig,
    id: `${orig.id}.replay${orig.replays.length + 1}`,
    url: url ?? orig.url,
    replayOf: orig.id,
    replays: [],
    attempts: [],
    outcome: 'pending',
    firstAt: at,
    nextAttemptAt: null,
  };
  delete rec.chaos;
  delete rec.duplicateOf;
  return rec;
}
