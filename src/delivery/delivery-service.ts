/**
 * The callback delivery service: the vendor's delivery rule (seeds/000) on an injected Clock.
 *
 * - One POST per attempt with `Content-Type: application/json`, `User-Agent: Airudder`, the
 *   signature header, and (emulator-defined, on by default) `X-Emulator-Delivery-Id` /
 *   `X-Emulator-Attempt`.
 * - Failure = non-2xx, connection error, or no complete answer within `timeoutMs` of *real* time
 *   (a receiver's silence is real whatever the clock mode). Retries keep a fixed cadence in clock
 *   time (`nextAttemptAt`), then the delivery ends `exhausted` — kept, never dropped.
 * - The payload is validated against its schema and serialized once; every attempt sends those
 *   exact bytes, and the signature is computed over them.
 * - Every attempt is tracked on the clock, so a virtual clock never jumps past work in flight.
 */
import type { Clock, TimerHandle } from '../core/clock.ts';
import { encryptWithHeaders } from '../core/aes.ts';
import { isSuccessStatus, nextAttemptAt, resolvePolicy, type RetryPolicy } from '../core/retry-policy.ts';
import {
  DEFAULT_SIGNING_KEY,
  DEFAULT_SIGNING_SCHEME,
  isSigningScheme,
  signingHeaders,
  type SigningConfig,
  type SigningScheme,
} from '../core/signing.ts';
import { validate as validateAgainstSchema, type ValidationResult } from '../contract/registry.ts';
import type { CallbackType } from '../engine/types.ts';
import { systemWall, type Wall, type WallTimer } from '../clock/wall.ts';
import { createAttemptLog } from './attempt-log.ts';
import { createChaos, NO_CHAOS, type ChaosConfig, type ChaosPlan } from './chaos.ts';
import { createHttpSender } from './http-sender.ts';
import { createLimiter, targetKey } from './limiter.ts';
import type {
  AttemptRecord,
  DeliveryEvent,
  DeliveryRecord,
  DeliveryStore,
  Send,
  SendOutcome,
  SendRequest,
} from './types.ts';

export const DELIVERY_ID_HEADER = 'X-Emulator-Delivery-Id';
export const ATTEMPT_HEADER = 'X-Emulator-Attempt';
export const DEFAULT_CONCURRENCY_PER_TARGET = 32;

/** The vendor's AES scheme applied to callback bodies (reference §8). */
export interface EncryptionConfig {
  key: string;
}

/** One message to deliver. An engine `OutboundMessage` is one. */
export interface DeliveryInput {
  /** Unique within the service (default: `d<sequence>`). */
  id?: string;
  type: CallbackType;
  url: string;
  /** Signing KEY (vendor default `airudder`). */
  key?: string;
  payload: Record<string, unknown>;
  /** Clock instant of the first attempt (default: now). */
  at?: number;
  workflowId?: string;
  /** Per-template overrides. */
  policy?: Partial<RetryPolicy>;
  signing?: SigningScheme | SigningConfig;
  encryption?: EncryptionConfig | null;
  /**
   * Resuming a delivery after a restart: the attempts already made. They are kept in front, and
   * numbering (and the retry budget) continues after them; at least one new attempt is made.
   */
  previousAttempts?: AttemptRecord[];
}

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
  /** A new attempt series for a past delivery, linked by `replayOf` (default: now, same URL). */
  replay(id: string, opts?: { url?: string; at?: number }): DeliveryRecord;
  get(id: string): DeliveryRecord | undefined;
  list(): DeliveryRecord[];
  /** Deliveries not yet delivered or exhausted. */
  pendingCount(): number;
  /** Resolves when every delivery is delivered or exhausted. */
  settled(): Promise<void>;
  /** Cancel scheduled attempts and drop pooled sockets (pending deliveries stay pending). */
  close(): void;
}

/** A payload failed its schema: the emulator built something the vendor would not send. */
export class DeliveryValidationError extends Error {
  readonly issues: { path: string; message: string }[];
  constructor(type: string, id: string, issues: { path: string; message: string }[]) {
    super(
      `emulator bug: ${type} payload for delivery ${id} does not match its schema: ` +
        issues.map((i) => `${i.path} ${i.message}`).join('; '),
    );
    this.name = 'DeliveryValidationError';
    this.issues = issues;
  }
}

function signingConfig(s: SigningScheme | SigningConfig | undefined, fallback: SigningConfig): SigningConfig {
  if (s === undefined) return fallback;
  const cfg = typeof s === 'string' ? { scheme: s } : s;
  if (!isSigningScheme(cfg.scheme)) throw new Error(`unknown signing scheme "${String(cfg.scheme)}"`);
  return cfg;
}

interface Held {
  rec: DeliveryRecord;
  timer: TimerHandle;
}

export function createDeliveryService(opts: DeliveryServiceOptions): DeliveryService {
  const { clock } = opts;
  const wall = opts.wall ?? systemWall;
  const sender = opts.send ? null : createHttpSender({ wall });
  const send: Send = opts.send ?? sender!.send;
  const basePolicy = resolvePolicy(opts.policy);
  const baseSigning = signingConfig(opts.signing, { scheme: DEFAULT_SIGNING_SCHEME });
  const store = opts.store ?? createAttemptLog();
  const debugHeaders = opts.debugHeaders ?? true;
  const limiter = createLimiter(opts.concurrencyPerTarget ?? DEFAULT_CONCURRENCY_PER_TARGET);
  const check = opts.validate ?? validateAgainstSchema;
  const chaos = createChaos(opts.chaos, opts.seed ?? 0);
  const listener = opts.onEvent;

  const bodies = new WeakMap<DeliveryRecord, Buffer>();
  const keys = new WeakMap<DeliveryRecord, string>();
  const plans = new WeakMap<DeliveryRecord, ChaosPlan>();
  const timers = new Map<string, TimerHandle>();
  const held = new Map<string, Held[]>();
  let seq = 0;
  let pending = 0;
  let settledWaiters: (() => void)[] = [];

  function finish(rec: DeliveryRecord, outcome: 'delivered' | 'exhausted'): void {
    rec.outcome = outcome;
    rec.nextAttemptAt = null;
    store.put(rec);
    listener?.({
      type: outcome === 'delivered' ? 'delivery:delivered' : 'delivery:exhausted',
      delivery: rec,
    });
    if (--pending === 0) {
      const ws = settledWaiters;
      settledWaiters = [];
      for (const w of ws) w();
    }
  }

  function register(rec: DeliveryRecord, body: Buffer): void {
    if (store.get(rec.id)) throw new Error(`duplicate delivery id "${rec.id}"`);
    bodies.set(rec, body);
    keys.set(rec, targetKey(rec.url));
    pending++;
    store.put(rec);
    listener?.({ type: 'delivery:created', delivery: rec });
  }

  function schedule(rec: DeliveryRecord, n: number, planned: number): void {
    const at = planned + (plans.get(rec) ?? NO_CHAOS).delayMs(n);
    rec.nextAttemptAt = at;
    timers.set(
      rec.id,
      clock.setTimer(() => start(rec, n, at), at - clock.now()),
    );
  }

  /**
   * Release deliveries held back for reordering, after the first attempt of the one overtaking
   * them has finished (so the receiver surely sees them in swapped order). Their attempt is
   * recorded at the overtaker's instant, which keeps the log reproducible.
   */
  function releaseHeld(key: string, at: number): void {
    const list = held.get(key);
    if (!list) return;
    held.delete(key);
    for (const h of list) {
      clock.clearTimer(h.timer);
      schedule(h.rec, h.rec.attempts.length + 1, Math.max(at, h.rec.firstAt));
    }
  }

  function start(rec: DeliveryRecord, n: number, at: number): void {
    timers.delete(rec.id);
    rec.nextAttemptAt = null;
    void clock.track(limiter.run(keys.get(rec)!, () => attempt(rec, n, at)));
  }

  /** An injected sender may ignore the deadline: race it, and abort it when the deadline passes. */
  function sendWithDeadline(req: SendRequest): Promise<SendOutcome> {
    const ac = new AbortController();
    let timer: WallTimer | undefined;
    const expired = new Promise<SendOutcome>((resolve) => {
      timer = wall.after(req.timeoutMs, () => {
        resolve({ error: 'timeout', message: `no complete answer within ${req.timeoutMs} ms` });
        ac.abort();
      });
    });
    return Promise.race([send({ ...req, signal: ac.signal }), expired]).finally(() => timer?.cancel());
  }

  async function attempt(rec: DeliveryRecord, n: number, at: number): Promise<void> {
    const headers = debugHeaders
      ? { ...rec.headers, [DELIVERY_ID_HEADER]: rec.id, [ATTEMPT_HEADER]: String(n) }
      : rec.headers;
    const timeoutMs = rec.policy.timeoutMs;
    const req = { url: rec.url, headers, body: bodies.get(rec)!, timeoutMs };
    const t0 = wall.now();
    let out: SendOutcome;
    try {
      out = sender ? await sender.send(req) : await sendWithDeadline(req);
    } catch (err) {
      out = { error: 'network', message: err instanceof Error ? err.message : String(err) };
    }
    const latencyMs = Math.round(wall.now() - t0);
    let record: AttemptRecord;
    if ('status' in out) {
      const ok = isSuccessStatus(out.status);
      record = { n, at, ok, status: out.status, latencyMs, response: out.response };
      if (!ok) record.error = 'non-2xx';
    } else {
      record = { n, at, ok: false, error: out.error, message: out.message, latencyMs };
    }
    rec.attempts.push(record);
    store.put(rec);
    // A message held back for reordering goes once this one has reached the receiver.
    if (n === 1) releaseHeld(keys.get(rec)!, at);
    listener?.({ type: 'delivery:attempt', delivery: rec, attempt: record });
    if (record.ok) return finish(rec, 'delivered');
    const next = nextAttemptAt(n, at, clock.now(), rec.policy);
    if (next === null) finish(rec, 'exhausted');
    else schedule(rec, n + 1, next);
  }

  function deliver(input: DeliveryInput): DeliveryRecord {
    const id = input.id ?? `d${++seq}`;
    const checked = check(input.type, input.payload);
    if (!checked.ok) throw new DeliveryValidationError(input.type, id, checked.errors);

    const policy = input.policy ? resolvePolicy(opts.policy, input.policy) : basePolicy;
    const signing = signingConfig(input.signing, baseSigning);
    const encryption = input.encryption === undefined ? opts.encryption : input.encryption;
    // Serialized once: every attempt sends, and the signature covers, exactly these bytes.
    const json = JSON.stringify(input.payload);
    const enc = encryption ? encryptWithHeaders(json, encryption.key) : null;
    const wire = enc ? enc.body : json;
    const body = Buffer.from(wire, 'utf8');
    const headers: Record<string, string> = {
      'Content-Type': 'application/json',
      'User-Agent': 'Airudder',
      ...(enc ? enc.headers : {}),
      ...signingHeaders(body, input.key ?? DEFAULT_SIGNING_KEY, signing),
      'Content-Length': String(body.length),
    };

    const plan = chaos(id);
    const at = Math.max(input.at ?? clock.now(), clock.now());
    const rec: DeliveryRecord = {
      id,
      type: input.type,
      url: input.url,
      ...(input.workflowId !== undefined ? { workflowId: input.workflowId } : {}),
      payload: input.payload,
      body: wire,
      headers,
      policy,
      signing: signing.scheme,
      encrypted: enc !== null,
      outcome: 'pending',
      attempts: [...(input.previousAttempts ?? [])],
      firstAt: at,
      nextAttemptAt: null,
      replays: [],
    };
    const firstN = rec.attempts.length + 1;
    const applied: NonNullable<DeliveryRecord['chaos']> = [];
    if (plan.delayMs !== NO_CHAOS.delayMs) applied.push('delay');
    if (plan.holdMs > 0) applied.push('reorder');
    if (applied.length > 0) rec.chaos = applied;
    register(rec, body);
    plans.set(rec, plan);

    if (plan.holdMs > 0) {
      const key = targetKey(rec.url);
      const list = held.get(key) ?? [];
      held.set(key, list);
      const entry: Held = {
        rec,
        timer: clock.setTimer(
          () => {
            // Nothing overtook it within the window: send it now.
            const l = held.get(key);
            if (l) {
              const i = l.indexOf(entry);
              if (i >= 0) l.splice(i, 1);
              if (l.length === 0) held.delete(key);
            }
            schedule(rec, firstN, at + plan.holdMs);
          },
          at + plan.holdMs - clock.now(),
        ),
      };
      rec.nextAttemptAt = at + plan.holdMs;
      list.push(entry);
    } else {
      schedule(rec, firstN, at);
    }

    if (plan.duplicate) {
      const dup: DeliveryRecord = {
        ...rec,
        id: `${id}.dup`,
        duplicateOf: id,
        attempts: [],
        replays: [],
        chaos: ['duplicate'],
        nextAttemptAt: null,
      };
      register(dup, body);
      plans.set(dup, { ...plan, duplicate: false, holdMs: 0 });
      schedule(dup, 1, at);
    }
    return rec;
  }

  return {
    deliver,
    replay(id, ropts = {}) {
      const orig = store.get(id);
      if (!orig) throw new Error(`unknown delivery "${id}"`);
      const body = bodies.get(orig) ?? Buffer.from(orig.body, 'utf8');
      const at = Math.max(ropts.at ?? clock.now(), clock.now());
      const rec: DeliveryRecord = {
        ...orig,
        id: `${id}.replay${orig.replays.length + 1}`,
        url: ropts.url ?? orig.url,
        replayOf: id,
        replays: [],
        attempts: [],
        outcome: 'pending',
        firstAt: at,
        nextAttemptAt: null,
      };
      delete rec.chaos;
      delete rec.duplicateOf;
      orig.replays.push(rec.id);
      store.put(orig);
      register(rec, body);
      schedule(rec, 1, at);
      return rec;
    },
    get: (id) => store.get(id),
    list: () => store.list(),
    pendingCount: () => pending,
    settled() {
      if (pending === 0) return Promise.resolve();
      return new Promise<void>((resolve) => settledWaiters.push(resolve));
    },
    close() {
      for (const t of timers.values()) clock.clearTimer(t);
      timers.clear();
      for (const list of held.values()) for (const h of list) clock.clearTimer(h.timer);
      held.clear();
      sender?.close();
    },
  };
}
