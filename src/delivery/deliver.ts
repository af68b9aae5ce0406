/**
 * A new delivery (DeliveryService.deliver): checked against its schema, its request built once
 * (request.ts), its record made (records.ts) and its first attempt scheduled — or held back for
 * chaos reordering — plus a chaos duplicate when one is drawn.
 */
import type { Clock } from '../core/clock.ts';
import { resolvePolicy, type RetryPolicy } from '../core/retry-policy.ts';
import type { SigningConfig } from '../core/signing.ts';
import type { ValidationResult } from '../contract/registry.ts';
import type { AttemptLoop } from './attempt-loop.ts';
import type { ChaosConfig, ChaosPlan } from './chaos.ts';
import { due, plan } from './live.ts';
import type { PendingSet } from './pending.ts';
import { duplicateRecord, newRecord } from './records.ts';
import type { Reorder } from './reorder.ts';
import {
  buildRequest,
  DeliveryValidationError,
  signingConfig,
  type DeliveryInput,
  type EncryptionConfig,
} from './request.ts';
import type { DeliveryRecord } from './types.ts';

export interface DeliverDeps {
  clock: Clock;
  loop: AttemptLoop;
  pending: PendingSet;
  reorder: Reorder;
  check: (type: string, payload: unknown) => ValidationResult;
  /** The service's policy overrides (a delivery's own are layered over them). */
  policy: Partial<RetryPolicy> | undefined;
  basePolicy: RetryPolicy;
  baseSigning: SigningConfig;
  encryption: EncryptionConfig | null | undefined;
  chaosOf: (config: ChaosConfig | undefined) => (deliveryId: string) => ChaosPlan;
  bytesOf: (text: string) => Buffer;
}

export function createDeliver(deps: DeliverDeps): (input: DeliveryInput) => DeliveryRecord {
  const { clock, loop, pending } = deps;
  let seq = 0;
  return (input) => {
    const id = input.id ?? `d${++seq}`;
    if (!input.unchecked) {
      const checked = deps.check(input.type, input.payload);
      if (!checked.ok) throw new DeliveryValidationError(input.type, id, checked.errors);
    }

    const policy = input.policy ? resolvePolicy(deps.policy, input.policy) : deps.basePolicy;
    const signing = signingConfig(input.signing, deps.baseSigning);
    const encryption = input.encryption === undefined ? deps.encryption : input.encryption;
    // Serialized once: every attempt sends, and the signature covers, exactly these bytes.
    const req = buildRequest(input.payload, input, signing, encryption, deps.bytesOf);

    const chaos = deps.chaosOf(input.chaos)(id);
    // The first attempt is due at the message's own instant, even when the timer that produced it
    // ran late (a real clock; a virtual one flowing for work tracked without a horizon): attempt
    // times stay the instants they were due, so runs are reproducible.
    const now = clock.now();
    const at = input.at ?? now;
    const rec = newRecord(id, input, req, policy, req.signing, at, chaos);
    const l = loop.live(rec, req.body, chaos);
    if (chaos.holdMs > 0) {
      deps.reorder.hold(l, at + chaos.holdMs);
      pending.register(l, true);
    } else {
      plan(l, 1, due(l, 1, at));
      pending.register(l, true);
      loop.arm(l);
    }

    if (chaos.duplicate) {
      const d = loop.live(duplicateRecord(rec), req.body, { ...chaos, duplicate: false, holdMs: 0 });
      plan(d, 1, due(d, 1, at));
      pending.register(d, true);
      loop.arm(d);
    }
    return rec;
  };
}
