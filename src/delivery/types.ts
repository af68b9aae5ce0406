/**
 * Delivery records and the transport port. A *delivery* is one callback message to one URL; an
 * *attempt* is one POST of it.
 *
 * Times: every emulator-defined time is epoch milliseconds (a number) in a field named `…At` (or
 * `at`) — here, in the admin API (`/__emulator/deliveries`…) and in the `run --report` JSON alike.
 * They are clock times (virtual or scaled when the clock is), except `latencyMs`, real
 * milliseconds. Payloads keep the vendor's own time format ("YYYY-MM-DD HH:mm:ss", account zone).
 */
import type { CallbackPayload, CallbackType } from '../contract/callbacks.ts';
import type { RetryPolicy } from '../core/retry-policy.ts';
import type { SigningScheme } from '../core/signing.ts';

/**
 * Why an attempt failed: no complete answer within the timeout, connection refused, connection
 * reset / closed mid-answer, an HTTP status outside 2xx, another network error (DNS, host
 * unreachable, TLS…), or `interrupted`: the emulator stopped (killed, or shut down past its grace
 * period) while the attempt was in flight, so its answer is unknown — the receiver may have seen
 * it. An interrupted attempt counts: numbering and the retry budget continue after it on resume.
 */
export type AttemptError = 'timeout' | 'refused' | 'reset' | 'non-2xx' | 'network' | 'interrupted';

export interface AttemptRecord {
  /** 1-based attempt number. */
  n: number;
  /** Clock instant the attempt was due (epoch ms): exact and reproducible under a virtual clock. */
  at: number;
  ok: boolean;
  /** HTTP status, when the receiver answered. */
  status?: number;
  error?: AttemptError;
  /** Error detail (e.g. the socket error code). */
  message?: string;
  /** Real milliseconds from sending to the complete answer (or the failure). */
  latencyMs: number;
  /** The first KB of the answer body, as text. */
  response?: string;
}

export type DeliveryOutcome = 'pending' | 'delivered' | 'exhausted';

export interface DeliveryRecord {
  id: string;
  type: CallbackType;
  url: string;
  workflowId?: string;
  payload: CallbackPayload;
  /** The exact body sent on every attempt (Base64 ciphertext when encrypted). */
  body: string;
  /** Headers common to every attempt (the debug headers are added per attempt). */
  headers: Record<string, string>;
  policy: RetryPolicy;
  /** The scheme of its signature header: `none` when it carries none (`callbackSigningKey`). */
  signing: SigningScheme;
  encrypted: boolean;
  outcome: DeliveryOutcome;
  attempts: AttemptRecord[];
  /** Clock instant of the first planned attempt (epoch ms). */
  firstAt: number;
  /**
   * Clock instant of the next planned attempt (epoch ms), or null when none is scheduled. While the delivery
   * is pending, null means an attempt is in flight: the store is told when an attempt starts, so
   * a journal read after a crash knows that attempt was made (see DeliveryService.resume).
   */
  nextAttemptAt: number | null;
  /** Set on a replay: the delivery it replays. */
  replayOf?: string;
  /** Ids of the replays of this delivery. */
  replays: string[];
  /** Set on a chaos duplicate: the delivery it duplicates. */
  duplicateOf?: string;
  /** Chaos applied to this delivery (emulator-defined), for the log. */
  chaos?: ('duplicate' | 'reorder' | 'delay')[];
  /** Set on a callback sent on demand (`send`), not produced by a campaign: what it was built from. */
  onDemand?: SentOnDemand;
}

/** How a callback sent on demand was built (emulator-defined). */
export interface SentOnDemand {
  /** The scenario whose engine output gave the base payload, or null: the schema's example. */
  scenario: string | null;
  /** The overrides applied, path → value. */
  set: Record<string, unknown>;
  /** Whether the result matched its schema (false: sent with allowInvalid, for negative tests). */
  valid: boolean;
}

/** What every attempt of a delivery sends. */
export type DeliveryContent = Pick<DeliveryRecord, 'payload' | 'body' | 'headers'>;

/**
 * A delivery record as a store may keep it: the summary, its content (payload, body, headers)
 * undefined once dropped — a settled delivery's content is re-derived on demand (same bytes).
 */
export type StoredDelivery = Omit<DeliveryRecord, keyof DeliveryContent> & {
  [K in keyof DeliveryContent]: DeliveryContent[K] | undefined;
};

export interface SendRequest {
  url: string;
  headers: Record<string, string>;
  body: Buffer;
  /** Real milliseconds the receiver has to answer completely. */
  timeoutMs: number;
  /**
   * Aborted when the deadline passes (the service enforces it around injected senders; the
   * built-in sender enforces `timeoutMs` itself and gets no signal).
   */
  signal?: AbortSignal;
}

export type SendOutcome = { status: number; response: string } | { error: AttemptError; message: string };

/** The transport: one POST. Must not throw for network failures; report them as an outcome. */
export type Send = (req: SendRequest) => Promise<SendOutcome>;

export type DeliveryEvent =
  | { type: 'delivery:created'; delivery: DeliveryRecord }
  | { type: 'delivery:attempt'; delivery: DeliveryRecord; attempt: AttemptRecord }
  | { type: 'delivery:delivered'; delivery: DeliveryRecord }
  | { type: 'delivery:exhausted'; delivery: DeliveryRecord };

/** Where delivery records live (in memory by default; the journal can implement it). */
export interface DeliveryStore {
  /**
   * Called on creation and after every change (attempt started, attempt recorded, outcome) with
   * the service's record. A store may keep that object (the in-memory default) or a record of its
   * own that it brings up to date (the journaled one); `get` and `list` return the store's.
   */
  put(delivery: DeliveryRecord): void;
  get(id: string): DeliveryRecord | undefined;
  /** In creation order. */
  list(): DeliveryRecord[];
}
