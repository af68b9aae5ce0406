/**
 * The attempt loop: an attempt is due on the clock, waits for a slot on its target (limiter), tells
 * the store it is in flight, goes out (the built-in sender, or an injected one raced against the
 * deadline), and its answer is recorded; then the delivery is finished or its next attempt planned
 * at the fixed cadence (retry policy).
 *
 * Hot path (a load test is measured against a bare node:http loop): per delivery one `Live` object
 * holds the body Buffer (reused by every attempt), the prepared request and the schedule; per
 * attempt there is one record object, one promise (what the clock tracks) and no further promise
 * chain — the limiter and the built-in sender work with callbacks.
 */
import type { Clock } from '../core/clock.ts';
import { isSuccessStatus, nextAttemptAt } from '../core/retry-policy.ts';
import type { Wall, WallTimer } from '../clock/wall.ts';
import type { ChaosPlan } from './chaos.ts';
import type { HttpSender } from './http-sender.ts';
import { targetKey, type Limiter } from './limiter.ts';
import { due, plan, type Live } from './live.ts';
import type { PendingSet } from './pending.ts';
import { ATTEMPT_HEADER, DELIVERY_ID_HEADER } from './request.ts';
import type {
  AttemptRecord,
  DeliveryEvent,
  DeliveryRecord,
  DeliveryStore,
  Send,
  SendOutcome,
  SendRequest,
} from './types.ts';

export interface AttemptLoopOptions {
  clock: Clock;
  wall: Wall;
  store: DeliveryStore;
  pending: PendingSet;
  onEvent: ((event: DeliveryEvent) => void) | undefined;
  /** The built-in sender, or null when `send` is injected. */
  sender: HttpSender | null;
  send: Send | undefined;
  debugHeaders: boolean;
  limiter: Limiter;
  /**
   * The first attempt of the delivery created `order`-th, on `lane`, has been answered at `at`
   * (reordering releases what it held for it).
   */
  afterFirstAttempt: (lane: string, at: number, order: number) => void;
  /** The latest instant a first attempt's answer can release a hold (reordering), or Infinity. */
  holdFence: (lane: string, order: number) => number;
}

export interface AttemptLoop {
  /** Working state for `rec`, whose attempts send `body`. */
  live(rec: DeliveryRecord, body: Buffer, plan: ChaosPlan): Live;
  /** Arm the timer of the planned attempt. */
  arm(l: Live): void;
  /**
   * Cancel every armed attempt and plan no more: attempts waiting for a slot are not sent, and an
   * answer still in flight is recorded without planning the next one (pending deliveries stay
   * pending).
   */
  cancelTimers(): void;
}

/** What the attempt's answer (or failure) records. */
export function attemptRecord(out: SendOutcome, n: number, at: number, latencyMs: number): AttemptRecord {
  if ('status' in out) {
    const ok = isSuccessStatus(out.status);
    return ok
      ? { n, at, ok, status: out.status, latencyMs, response: out.response }
      : { n, at, ok, status: out.status, error: 'non-2xx', latencyMs, response: out.response };
  }
  return { n, at, ok: false, error: out.error, message: out.message, latencyMs };
}

/** An injected sender may ignore the deadline: race it, and abort it when the deadline passes. */
export function sendWithDeadline(send: Send, wall: Wall, req: SendRequest): Promise<SendOutcome> {
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
    sent = send({ ...req, signal: ac.signal });
  } catch (err) {
    sent = Promise.reject(err);
  }
  return Promise.race([sent, expired]).finally(() => timer?.cancel());
}

/** A URL → its limiter lane (origin); a run has few distinct URLs, so each is parsed once. */
function laneCache(): (url: string) => string {
  const lanes = new Map<string, string>();
  return (url) => {
    let key = lanes.get(url);
    if (key === undefined) {
      if (lanes.size > 1_000) lanes.clear();
      key = targetKey(url);
      lanes.set(url, key);
    }
    return key;
  };
}

export function createAttemptLoop(opts: AttemptLoopOptions): AttemptLoop {
  const { clock, wall, store, pending, sender, send, debugHeaders, limiter, afterFirstAttempt, holdFence } =
    opts;
  const listener = opts.onEvent;
  const laneOf = laneCache();
  let stopped = false;
  let created = 0;

  function live(rec: DeliveryRecord, body: Buffer, chaos: ChaosPlan): Live {
    const l: Live = {
      rec,
      body,
      lane: laneOf(rec.url),
      order: created++,
      plan: chaos,
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

  function arm(l: Live): void {
    if (stopped) return;
    l.timer = clock.setTimer(l.fire, Math.max(0, l.at - clock.now()));
  }

  /**
   * The earliest clock instant the attempt's answer can change what happens: its retry, one
   * interval after its scheduled instant (whatever its number: a last attempt is bounded the same
   * way, so a handler's view of the clock is), or a reordering hold it may release.
   */
  function horizon(l: Live): number {
    const retry = l.at + l.rec.policy.retryIntervalMs;
    return l.n === 1 ? Math.min(retry, holdFence(l.lane, l.order)) : retry;
  }

  /**
   * The attempt is due: wait for a slot on its target. Tracked up to its horizon, so a virtual
   * clock moves on to other attempts meanwhile but never past the instant its answer matters.
   */
  function start(l: Live): void {
    l.timer = null;
    void clock.track(
      new Promise<void>((resolve) => {
        l.resolve = resolve;
      }),
      horizon(l),
    );
    limiter.acquire(l.lane, begin, l);
  }

  /** A slot is ours: tell the store the attempt is in flight, then send. */
  function begin(l: Live): void {
    if (stopped) {
      // Hand the slot on a turn later: a long queue must not become a deep recursion.
      queueMicrotask(() => {
        limiter.release(l.lane);
        const resolve = l.resolve;
        l.resolve = null;
        resolve?.();
      });
      return;
    }
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
    const h = rec.headers;
    const headers = debugHeaders ? { ...h, [DELIVERY_ID_HEADER]: rec.id, [ATTEMPT_HEADER]: String(l.n) } : h;
    sendWithDeadline(send!, wall, { url: rec.url, headers, body: l.body, timeoutMs }).then(
      (out) => complete(out, l),
      (err: unknown) =>
        complete({ error: 'network', message: err instanceof Error ? err.message : String(err) }, l),
    );
  }

  /** The attempt's answer (or failure): record it, then finish or plan the next one. */
  function complete(out: SendOutcome, l: Live): void {
    const latencyMs = Math.round(wall.now() - l.t0);
    const rec = l.rec;
    const n = l.n;
    const at = l.at;
    const record = attemptRecord(out, n, at, latencyMs);
    rec.attempts.push(record);
    let next: number | null = null;
    if (record.ok) {
      rec.outcome = 'delivered';
    } else {
      // Still tracked here, so a virtual clock reads short of the horizon (`at` + interval): the
      // retry keeps the cadence whatever the latency. A real clock past it retries at once.
      next = nextAttemptAt(n, at, clock.now(), rec.policy);
      if (next === null) rec.outcome = 'exhausted';
      else plan(l, n + 1, due(l, n + 1, next));
    }
    // One store write per answer: the attempt, and the outcome or the next planned instant.
    if (next === null) rec.nextAttemptAt = null;
    store.put(rec);
    // A message held back for reordering goes once this one has reached the receiver.
    if (n === 1) afterFirstAttempt(l.lane, at, l.order);
    listener?.({ type: 'delivery:attempt', delivery: rec, attempt: record });
    if (next === null) pending.finish(l, rec.outcome as 'delivered' | 'exhausted');
    else arm(l);
    // The slot goes to the next waiting attempt (synchronously) once this one is fully recorded.
    limiter.release(l.lane);
    const resolve = l.resolve!;
    l.resolve = null;
    resolve();
  }

  return {
    live,
    arm,
    cancelTimers() {
      stopped = true;
      for (const l of pending.lives()) {
        if (l.timer !== null) clock.clearTimer(l.timer);
        l.timer = null;
      }
    },
  };
}
