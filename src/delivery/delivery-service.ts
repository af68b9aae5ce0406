/**
 * The callback delivery service: the vendor's delivery rule (the vendor page "Custom API Node Data Push") on an injected Clock.
 *
 * - One POST per attempt with `Content-Type: application/json`, `User-Agent: Airudder`, the
 *   signature header, and (emulator-defined, on by default) `X-Emulator-Delivery-Id` /
 *   `X-Emulator-Attempt`.
 * - Failure = non-2xx, connection error, or no complete answer within `timeoutMs` of *real* time
 *   (a receiver's silence is real whatever the clock mode). Retries keep a fixed cadence in clock
 *   time (`nextAttemptAt`), then the delivery ends `exhausted` — kept, never dropped.
 * - The payload is validated against its schema and serialized once; every attempt sends those
 *   exact bytes, and the signature is computed over them.
 * - Every attempt is tracked on the clock up to its horizon (its retry instant): a virtual clock
 *   moves on to other attempts due before it, so attempts overlap up to the per-target limit, but
 *   never passes the instant an answer still in flight could change (docs/delivery-concurrency.md).
 * - The store hears of every attempt when it starts (`nextAttemptAt: null`) and when it ends, so
 *   after a crash `resume` knows which attempt was in flight and counts it as `interrupted`.
 *
 * This module composes the parts, each in its own module: building the request (request.ts) and
 * the record (records.ts), the attempt loop and retry schedule (attempt-loop.ts, the hot path), a
 * new delivery (deliver.ts), chaos (chaos.ts) and its reordering (reorder.ts), replay (replay.ts)
 * and resume after a restart (resume.ts).
 */
import type { Clock } from '../core/clock.ts';
import { resolvePolicy, type RetryPolicy } from '../core/retry-policy.ts';
import { DEFAULT_SIGNING_SCHEME, type SigningConfig, type SigningScheme } from '../core/signing.ts';
import { validate as validateAgainstSchema, type ValidationResult } from '../contract/registry.ts';
import { systemWall, type Wall } from '../clock/wall.ts';
import { createAttemptLog } from './attempt-log.ts';
import { createAttemptLoop } from './attempt-loop.ts';
import { chaosPlans, type ChaosConfig } from './chaos.ts';
import { createDeliver } from './deliver.ts';
import { createHttpSender } from './http-sender.ts';
import { createLimiter } from './limiter.ts';
import { createPendingSet } from './pending.ts';
import { createReorder } from './reorder.ts';
import { replayDelivery } from './replay.ts';
import {
  buildRequest,
  createBodyBytes,
  signingConfig,
  type DeliveryInput,
  type EncryptionConfig,
} from './request.ts';
import { resumeDelivery } from './resume.ts';
import type { DeliveryContent, DeliveryEvent, DeliveryRecord, DeliveryStore, Send } from './types.ts';

export {
  ATTEMPT_HEADER,
  DELIVERY_ID_HEADER,
  DeliveryValidationError,
  type DeliveryInput,
  type EncryptionConfig,
} from './request.ts';

export const DEFAULT_CONCURRENCY_PER_TARGET = 32;

export interface DeliveryServiceOptions {
  clock: Clock;
  /** Transport (default: keep-alive node:http / node:https). */
  send?: Send;
  /** Global policy over the vendor defaults (10 s, 60 s, 5 retries). */
  policy?: Partial<RetryPolicy>;
  signing?: SigningScheme | SigningConfig;
  encryption?: EncryptionConfig | null;
  chaos?: ChaosConfig;
  /** Seed for chaos draws. */
  seed?: number;
  onEvent?: (event: DeliveryEvent) => void;
  store?: DeliveryStore;
  /** Send X-Emulator-Delivery-Id / X-Emulator-Attempt (default true). */
  debugHeaders?: boolean;
  /** Most attempts in flight per target origin (default 32). */
  concurrencyPerTarget?: number;
  /** Schema check before sending (default: the shared registry). */
  validate?: (type: string, payload: unknown) => ValidationResult;
  /** Real time for deadlines and latency (default: the host). */
  wall?: Wall;
}

export interface DeliveryService {
  /** Validate, serialize, sign and schedule a delivery; returns its (live) record. */
  deliver(input: DeliveryInput): DeliveryRecord;
  /**
   * The content a delivery of `input` sends (payload, exact body, headers), without delivering
   * it or validating it: serialisation, signing and the vendor's AES (ECB, no IV) are
   * deterministic, so a restart rebuilds the bytes of a journaled delivery from its message.
   */
  content(input: DeliveryInput): DeliveryContent;
  /** A new attempt series for a past delivery, linked by `replayOf` (default: now, same URL). */
  replay(id: string, opts?: { url?: string; at?: number }): DeliveryRecord;
  /**
   * Continue a recorded delivery (read back from a journal after a restart) in this service: same
   * id, bytes, headers and signature; numbering and the retry budget continue after its attempts.
   * An attempt that had started but left no answer (`nextAttemptAt: null` while pending) is first
   * recorded as `interrupted` at its planned instant — the receiver may have seen it — and counts.
   * The next attempt is due where the record planned it (`nextAttemptAt`), or at the fixed cadence
   * after the interrupted one; if that instant has passed, at once. With the budget used up the
   * delivery ends `exhausted`. Not re-validated (its bytes were, when it was created), and no chaos
   * is drawn again (a chaos duplicate is its own record and resumes on its own); a chaos delay
   * still applies to the attempts left. Adopts `record` itself (the store may hold its own record
   * of the same id, as the journaled store does, or this very object); a settled record is only
   * registered. Returns the live record.
   */
  resume(record: DeliveryRecord): DeliveryRecord;
  get(id: string): DeliveryRecord | undefined;
  list(): DeliveryRecord[];
  /** Deliveries not yet delivered or exhausted. */
  pendingCount(): number;
  /** Resolves when every delivery is delivered or exhausted. */
  settled(): Promise<void>;
  /** Cancel scheduled attempts and drop pooled sockets (pending deliveries stay pending). */
  close(): void;
}

export function createDeliveryService(opts: DeliveryServiceOptions): DeliveryService {
  const { clock } = opts;
  const wall = opts.wall ?? systemWall;
  const sender = opts.send ? null : createHttpSender({ wall });
  const basePolicy = resolvePolicy(opts.policy);
  const baseSigning = signingConfig(opts.signing, { algorithm: DEFAULT_SIGNING_SCHEME });
  const store = opts.store ?? createAttemptLog();
  const limiter = createLimiter(opts.concurrencyPerTarget ?? DEFAULT_CONCURRENCY_PER_TARGET);
  const chaos = chaosPlans(opts.chaos, opts.seed ?? 0);
  const bytesOf = createBodyBytes();
  const onEvent = opts.onEvent;
  const pending = createPendingSet(store, onEvent);
  // The loop tells reordering when a first attempt was answered; reordering arms through the loop.
  const reorder = createReorder(clock, (l) => loop.arm(l));
  const loop = createAttemptLoop({
    clock,
    wall,
    store,
    pending,
    onEvent,
    sender,
    send: opts.send,
    debugHeaders: opts.debugHeaders ?? true,
    limiter,
    afterFirstAttempt: reorder.release,
    holdFence: reorder.fence,
  });
  const deliver = createDeliver({
    clock,
    loop,
    pending,
    reorder,
    check: opts.validate ?? validateAgainstSchema,
    policy: opts.policy,
    basePolicy,
    baseSigning,
    encryption: opts.encryption,
    chaosOf: chaos.of,
    bytesOf,
  });
  const parts = { clock, store, loop, pending, bytesOf, chaos: chaos.base, onEvent };
  return {
    deliver,
    content(input) {
      const signing = signingConfig(input.signing, baseSigning);
      const encryption = input.encryption === undefined ? opts.encryption : input.encryption;
      const { wire, headers } = buildRequest(input.payload, input, signing, encryption, bytesOf);
      return { payload: input.payload, body: wire, headers };
    },
    resume: (rec) => resumeDelivery(rec, parts),
    replay: (id, ropts = {}) => replayDelivery(id, ropts, parts),
    get: (id) => store.get(id),
    list: () => store.list(),
    pendingCount: pending.count,
    settled: pending.settled,
    close() {
      loop.cancelTimers();
      reorder.close();
      sender?.close();
    },
  };
}
