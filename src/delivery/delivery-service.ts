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
 * - The store hears of every attempt when it starts (`nextAttemptAt: null`) and when it ends, so
 *   after a crash `resume` knows which attempt was in flight and counts it as `interrupted`.
 *
 * Hot path (a load test is measured against a bare node:http loop): per delivery one internal
 * `Live` object holds the body Buffer (reused by every attempt), the prepared request and the
 * schedule; per attempt there is one record object, one promise (what the clock tracks) and no
 * further promise chain — the limiter and the built-in sender work with callbacks.
 */
import type { Clock, TimerHandle } from '../core/clock.ts';
import { encryptWithHeaders } from '../core/aes.ts';
import { isSuccessStatus, nextAttemptAt, resolvePolicy, type RetryPolicy } from '../core/retry-policy.ts';
import {
  DEFAULT_SIGNING_KEY,
  DEFAULT_SIGNING_SCHEME,
  isSigningScheme,
  SIGN_HEADER,
  signBody,
  type SigningConfig,
  type SigningScheme,
} from '../core/signing.ts';
import { validate as validateAgainstSchema, type ValidationResult } from '../contract/registry.ts';
import type { CallbackPayload, CallbackType } from '../contract/callbacks.ts';
import { systemWall, type Wall, type WallTimer } from '../clock/wall.ts';
import { createAttemptLog } from './attempt-log.ts';
import { createChaos, NO_CHAOS, type ChaosConfig, type ChaosPlan } from './chaos.ts';
import { createHttpSender, type HttpSender, type PreparedPost } from './http-sender.ts';
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
const SLAB_BYTES = 256 * 1024;

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
  payload: CallbackPayload;
  /** Clock instant of the first attempt (default: now). */
  at?: number;
  workflowId?: string;
  /** Per-template overrides. */
  policy?: Partial<RetryPolicy>;
  signing?: SigningScheme | SigningConfig;
  encryption?: EncryptionConfig | null;
  /**
   * Chaos for this delivery instead of the service's (drawn with the service's seed). Pass the
   * same object for every delivery of a template: the plan maker is cached per object.
   */
  chaos?: ChaosConfig;
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
  /**
   * Continue a recorded delivery (read back from a journal after a restart) in this service: same
   * id, bytes, headers and signature; numbering and the retry budget continue after its attempts.
   * An attempt that had started but left no answer (`nextAttemptAt: null` while pending) is first
   * recorded as `interrupted` at its planned instant — the receiver may have seen it — and counts.
   * The next attempt is due where the record planned it (`nextAttemptAt`), or at the fixed cadence
   * after the interrupted one; if that instant has passed, at once. With the budget used up the
   * delivery ends `exhausted`. Not re-validated (its bytes were, when it was created), and no chaos
   * is drawn again (a chaos duplicate is its own record and resumes on its own); a chaos delay
   * still applies to the attempts left. Adopts `record` itself when the store already holds it;
   * a settled record is only registered. Returns the live record.
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
  const cfg = typeof s === 'string' ? { algorithm: s } : s;
  if (!isSigningScheme(cfg.algorithm))
    throw new Error(`unknown signing algorithm "${String(cfg.algorithm)}"`);
  return cfg;
}

/** Per-delivery working state (the record is what the world sees). */
interface Live {
  rec: DeliveryRecord;
  /** The exact bytes of every attempt. */
  body: Buffer;
  /** Limiter lane: the URL's origin. */
  lane: string;
  plan: ChaosPlan;
  /** The built-in sender's request, built at the first attempt. */
  prepared: PreparedPost | null;
  timer: TimerHandle | null;
  /** The attempt scheduled or in progress: its number and the clock instant it is due. */
  n: number;
  at: number;
  /** Real time the attempt went out. */
  t0: number;
  /** Resolves the promise the clock tracks for the attempt in progress. */
  resolve: (() => void) | null;
  /** `start(this)`, made once per delivery rather than per timer. */
  fire: () => void;
}

interface Held {
  live: Live;
  timer: TimerHandle;
}

export function createDeliveryService(opts: DeliveryServiceOptions): DeliveryService {
  const { clock } = opts;
  const wall = opts.wall ?? systemWall;
  const sender: HttpSender | null = opts.send ? null : createHttpSender({ wall });
  const send: Send | undefined = opts.send;
  const basePolicy = resolvePolicy(opts.policy);
  const baseSigning = signingConfig(opts.signing, { algorithm: DEFAULT_SIGNING_SCHEME });
  const store = opts.store ?? createAttemptLog();
  const debugHeaders = opts.debugHeaders ?? true;
  const limiter = createLimiter(opts.concurrencyPerTarget ?? DEFAULT_CONCURRENCY_PER_TARGET);
  const check = opts.validate ?? validateAgainstSchema;
  const chaos = createChaos(opts.chaos, opts.seed ?? 0);
  const chaosByConfig = new WeakMap<ChaosConfig, (deliveryId: string) => ChaosPlan>();
  function chaosOf(config: ChaosConfig | undefined): (deliveryId: string) => ChaosPlan {
    if (config === undefined) return chaos;
    let c = chaosByConfig.get(config);
    if (!c) {
      c = createChaos(config, opts.seed ?? 0);
      chaosByConfig.set(config, c);
    }
    return c;
  }
  const listener = opts.onEvent;

  // Bodies are carved out of shared slabs: Buffer.from on a 3 KB body allocates a fresh 8 KB pool
  // every other call, which showed in profiles. A slab lives while any body cut from it does.
  let slab = Buffer.allocUnsafeSlow(0);
  let slabUsed = 0;
  function bytesOf(text: string): Buffer {
    const room = text.length * 3; // the most UTF-8 bytes `text` can take
    if (room > SLAB_BYTES / 4) return Buffer.from(text, 'utf8');
    if (slab.length - slabUsed < room) {
      slab = Buffer.allocUnsafeSlow(SLAB_BYTES);
      slabUsed = 0;
    }
    const n = slab.write(text, slabUsed, 'utf8');
    const out = slab.subarray(slabUsed, slabUsed + n);
    slabUsed += n;
    return out;
  }
  // A run has few distinct URLs: parse each origin once.
  const lanes = new Map<string, string>();
  function laneOf(url: string): string {
    let key = lanes.get(url);
    if (key === undefined) {
      if (lanes.size > 1_000) lanes.clear();
      key = targetKey(url);
      lanes.set(url, key);
    }
    return key;
  }

  /** Pending deliveries. Settled ones leave (a replay re-reads the record's body). */
  const lives = new Map<string, Live>();
  const held = new Map<string, Held[]>();
  let seq = 0;
  let pending = 0;
  let settledWaiters: (() => void)[] = [];

  function finish(l: Live, outcome: 'delivered' | 'exhausted'): void {
    const rec = l.rec;
    rec.outcome = outcome;
    rec.nextAttemptAt = null;
    lives.delete(rec.id);
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

  function live(rec: DeliveryRecord, body: Buffer, plan: ChaosPlan): Live {
    const l: Live = {
      rec,
      body,
      lane: laneOf(rec.url),
      plan,
      prepared: null,
      timer: null,
      n: 0,
      at: 0,
      t0: 0,
      resolve: null,
      fire: () => start(l),
    };
    return l;
  }

  function register(l: Live, created: boolean): void {
    const id = l.rec.id;
    const known = store.get(id);
    if ((known !== undefined && known !== l.rec) || lives.has(id))
      throw new Error(`duplicate delivery id "${id}"`);
    lives.set(id, l);
    pending++;
    store.put(l.rec);
    if (created) listener?.({ type: 'delivery:created', delivery: l.rec });
  }

  /** The instant attempt `n` is due when the cadence plans it at `planned` (plus chaos delay). */
  const due = (l: Live, n: number, planned: number) => planned + l.plan.delayMs(n);

  /** Set the next attempt (the record shows it before the store is told). */
  function plan(l: Live, n: number, at: number): void {
    l.n = n;
    l.at = at;
    l.rec.nextAttemptAt = at;
  }

  function arm(l: Live): void {
    l.timer = clock.setTimer(l.fire, Math.max(0, l.at - clock.now()));
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
      const n = h.live.rec.attempts.length + 1;
      plan(h.live, n, due(h.live, n, Math.max(at, h.live.rec.firstAt)));
      arm(h.live);
    }
  }

  /** The attempt is due: wait for a slot on its target (tracked, so a virtual clock waits too). */
  function start(l: Live): void {
    l.timer = null;
    void clock.track(
      new Promise<void>((resolve) => {
        l.resolve = resolve;
      }),
    );
    limiter.acquire(l.lane, begin, l);
  }

  /** Headers of one attempt, for an injected sender. */
  function attemptHeaders(l: Live): Record<string, string> {
    const h = l.rec.headers;
    return debugHeaders ? { ...h, [DELIVERY_ID_HEADER]: l.rec.id, [ATTEMPT_HEADER]: String(l.n) } : h;
  }

  /** A slot is ours: tell the store the attempt is in flight, then send. */
  function begin(l: Live): void {
    const rec = l.rec;
    rec.nextAttemptAt = null;
    store.put(rec);
    const timeoutMs = rec.policy.timeoutMs;
    l.t0 = wall.now();
    if (sender !== null) {
      l.prepared ??= sender.prepare(
        rec.url,
        debugHeaders ? { ...rec.headers, [DELIVERY_ID_HEADER]: rec.id } : rec.headers,
        debugHeaders ? ATTEMPT_HEADER : undefined,
      );
      sender.post(l.prepared, l.n, l.body, timeoutMs, complete, l);
      return;
    }
    const req: SendRequest = { url: rec.url, headers: attemptHeaders(l), body: l.body, timeoutMs };
    sendWithDeadline(req).then(
      (out) => complete(out, l),
      (err: unknown) =>
        complete({ error: 'network', message: err instanceof Error ? err.message : String(err) }, l),
    );
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
    let sent: Promise<SendOutcome>;
    try {
      sent = send!({ ...req, signal: ac.signal });
    } catch (err) {
      sent = Promise.reject(err);
    }
    return Promise.race([sent, expired]).finally(() => timer?.cancel());
  }

  /** The attempt's answer (or failure): record it, then finish or plan the next one. */
  function complete(out: SendOutcome, l: Live): void {
    const latencyMs = Math.round(wall.now() - l.t0);
    const rec = l.rec;
    const n = l.n;
    const at = l.at;
    let record: AttemptRecord;
    if ('status' in out) {
      const ok = isSuccessStatus(out.status);
      record = ok
        ? { n, at, ok, status: out.status, latencyMs, response: out.response }
        : { n, at, ok, status: out.status, error: 'non-2xx', latencyMs, response: out.response };
    } else {
      record = { n, at, ok: false, error: out.error, message: out.message, latencyMs };
    }
    rec.attempts.push(record);
    let next: number | null = null;
    if (record.ok) {
      rec.outcome = 'delivered';
    } else {
      next = nextAttemptAt(n, at, clock.now(), rec.policy);
      if (next === null) rec.outcome = 'exhausted';
      else plan(l, n + 1, due(l, n + 1, next));
    }
    // One store write per answer: the attempt, and the outcome or the next planned instant.
    if (next === null) rec.nextAttemptAt = null;
    store.put(rec);
    // A message held back for reordering goes once this one has reached the receiver.
    if (n === 1) releaseHeld(l.lane, at);
    listener?.({ type: 'delivery:attempt', delivery: rec, attempt: record });
    if (next === null) finish(l, rec.outcome as 'delivered' | 'exhausted');
    else arm(l);
    // The slot goes to the next waiting attempt (synchronously) once this one is fully recorded.
    limiter.release(l.lane);
    const resolve = l.resolve!;
    l.resolve = null;
    resolve();
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
    const body = bytesOf(wire);
    const headers: Record<string, string> = { 'Content-Type': 'application/json', 'User-Agent': 'Airudder' };
    if (enc) Object.assign(headers, enc.headers);
    const sig = signBody(body, input.key ?? DEFAULT_SIGNING_KEY, signing.algorithm);
    if (sig !== null) headers[signing.header ?? SIGN_HEADER] = sig;
    headers['Content-Length'] = String(body.length);

    const chaosPlan = chaosOf(input.chaos)(id);
    const now = clock.now();
    // The first attempt is due at the message's own instant, even when the timer that produced it
    // ran a little late (a virtual clock flows in real time while requests are in flight): attempt
    // times stay the instants they were due, so runs are reproducible.
    const at = input.at ?? now;
    const rec: DeliveryRecord = {
      id,
      type: input.type,
      url: input.url,
      payload: input.payload,
      body: wire,
      headers,
      policy,
      signing: signing.algorithm,
      encrypted: enc !== null,
      outcome: 'pending',
      attempts: [],
      firstAt: at,
      nextAttemptAt: null,
      replays: [],
    };
    if (input.workflowId !== undefined) rec.workflowId = input.workflowId;
    if (chaosPlan !== NO_CHAOS) {
      const applied: NonNullable<DeliveryRecord['chaos']> = [];
      if (chaosPlan.delayMs !== NO_CHAOS.delayMs) applied.push('delay');
      if (chaosPlan.holdMs > 0) applied.push('reorder');
      if (applied.length > 0) rec.chaos = applied;
    }
    const l = live(rec, body, chaosPlan);

    if (chaosPlan.holdMs > 0) {
      hold(l, at + chaosPlan.holdMs);
      register(l, true);
    } else {
      plan(l, 1, due(l, 1, at));
      register(l, true);
      arm(l);
    }

    if (chaosPlan.duplicate) {
      const dup: DeliveryRecord = {
        ...rec,
        id: `${id}.dup`,
        duplicateOf: id,
        attempts: [],
        replays: [],
        chaos: ['duplicate'],
        nextAttemptAt: null,
      };
      const d = live(dup, body, { ...chaosPlan, duplicate: false, holdMs: 0 });
      plan(d, 1, due(d, 1, at));
      register(d, true);
      arm(d);
    }
    return rec;
  }

  /** Hold a delivery back until the next one to its target has been answered, or `until`. */
  function hold(l: Live, until: number): void {
    const key = l.lane;
    const list = held.get(key) ?? [];
    held.set(key, list);
    l.rec.nextAttemptAt = until;
    const entry: Held = {
      live: l,
      timer: clock.setTimer(() => {
        // Nothing overtook it within the window: send it now.
        const hl = held.get(key);
        if (hl) {
          const i = hl.indexOf(entry);
          if (i >= 0) hl.splice(i, 1);
          if (hl.length === 0) held.delete(key);
        }
        plan(l, 1, due(l, 1, until));
        arm(l);
      }, until - clock.now()),
    };
    list.push(entry);
  }

  function resume(rec: DeliveryRecord): DeliveryRecord {
    if (rec.outcome !== 'pending') {
      if (store.get(rec.id) === undefined) store.put(rec);
      return rec;
    }
    const base = rec.replayOf !== undefined ? NO_CHAOS : chaos(rec.duplicateOf ?? rec.id);
    const l = live(rec, bytesOf(rec.body), {
      duplicate: false,
      holdMs: 0,
      delayMs: base.delayMs,
    });
    const budget = rec.policy.maxRetries + 1;
    const last = rec.attempts.at(-1);
    let interrupted: AttemptRecord | null = null;
    let planned = rec.nextAttemptAt;
    if (planned === null && !last?.ok && rec.attempts.length < budget) {
      // It had started and no answer was recorded: it went out (or nearly), so it counts.
      const n = rec.attempts.length + 1;
      const at =
        last === undefined ? due(l, 1, rec.firstAt) : due(l, n, last.at + rec.policy.retryIntervalMs);
      interrupted = {
        n,
        at,
        ok: false,
        error: 'interrupted',
        message: 'in flight when the emulator stopped; the receiver may have seen it',
        latencyMs: 0,
      };
      rec.attempts.push(interrupted);
      const next = nextAttemptAt(n, at, at, rec.policy);
      planned = next === null ? null : due(l, n + 1, next);
    }
    register(l, false);
    if (interrupted) listener?.({ type: 'delivery:attempt', delivery: rec, attempt: interrupted });
    const done = rec.attempts.length;
    if (rec.attempts.at(-1)?.ok) {
      finish(l, 'delivered');
    } else if (done >= budget || planned === null) {
      finish(l, 'exhausted');
    } else {
      plan(l, done + 1, Math.max(planned, clock.now()));
      arm(l);
    }
    // The interrupted attempt, the outcome or the next planned instant.
    store.put(rec);
    return rec;
  }

  return {
    deliver,
    resume,
    replay(id, ropts = {}) {
      const orig = store.get(id);
      if (!orig) throw new Error(`unknown delivery "${id}"`);
      const body = lives.get(id)?.body ?? bytesOf(orig.body);
      const now = clock.now();
      const at = ropts.at !== undefined && ropts.at > now ? ropts.at : now;
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
      const l = live(rec, body, NO_CHAOS);
      plan(l, 1, at);
      register(l, true);
      arm(l);
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
      for (const l of lives.values()) {
        if (l.timer !== null) clock.clearTimer(l.timer);
        l.timer = null;
      }
      for (const list of held.values()) for (const h of list) clock.clearTimer(h.timer);
      held.clear();
      sender?.close();
    },
  };
}
