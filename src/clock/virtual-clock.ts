/**
 * The virtual clock. Time stands still while nothing is happening and *jumps* to the next due timer
 * whenever no tracked work is in flight — so a 5-retry schedule spanning minutes plays in
 * milliseconds.
 *
 * Work in flight comes in two kinds:
 * - Work tracked with a *horizon* (`track(work, horizon)`: a delivery attempt, whose answer can
 *   change nothing before its retry instant): the clock still jumps, to every timer due strictly
 *   before the earliest horizon in flight, and stands still there until that work settles. So
 *   attempts overlap up to the delivery concurrency limit, and what the clock shows while one is in
 *   flight is in [its instant, its horizon) whatever the receiver's latency.
 * - Work tracked without one: clock time flows at the real rate instead (a receiver that stays
 *   silent for 10 s is silent for 10 s of clock time too), and timers due during that stretch fire
 *   when real time reaches them. While horizon work is in flight as well, the flow stops short of
 *   the earliest horizon.
 *
 * "Nothing in flight" is decided a macrotask turn after the last tracked promise settles, so work
 * that a timer callback or a finished request starts in its microtasks is tracked before the next
 * jump. Timers due at the same instant fire in the order they were set.
 *
 * `auto: false` (manual) never jumps by itself: time moves only with `advance(ms)` /
 * `runUntilIdle()`, or at the real rate while work is in flight (horizons are not used: every
 * tracked work lets time flow, as before horizons existed).
 */
import type { TimerHandle } from '../core/clock.ts';
import { Horizons } from './horizons.ts';
import { TimerQueue, type QueuedTimer } from './timer-queue.ts';
import type { VirtualClock } from './types.ts';
import { systemWall, type Wall, type WallTimer } from './wall.ts';

export interface VirtualClockOptions {
  /** Clock time at creation, epoch ms (default: the host time). */
  startTime?: number;
  /** Jump on its own whenever idle (default true). */
  auto?: boolean;
  wall?: Wall;
}

interface Target {
  at: number;
  resolve: () => void;
}

export function createVirtualClock(opts: VirtualClockOptions = {}): VirtualClock {
  const wall = opts.wall ?? systemWall;
  const auto = opts.auto ?? true;
  const queue = new TimerQueue();
  let base = opts.startTime ?? wall.epoch();
  // Real time that `base` corresponds to while time flows (work without a horizon); null while frozen.
  let anchor: number | null = null;
  // Tracked work without a horizon (time flows) and with one (time jumps, short of the horizon).
  let free = 0;
  const horizons = new Horizons();
  let nextId = 1;
  let pumpQueued = false;
  let wake: WallTimer | null = null;
  let closed = false;
  let targets: Target[] = [];
  let idleWaiters: (() => void)[] = [];

  /** The latest instant the clock may show: just short of the earliest horizon in flight. */
  const ceiling = () => Math.max(base, horizons.min() - 1);
  const now = () => (anchor === null ? base : Math.min(base + Math.floor(wall.now() - anchor), ceiling()));

  /**
   * Fold the time that flowed into `base` (before the set of work in flight changes, so a new
   * horizon cannot pull the clock back, and time spent held at a ceiling is not caught up later).
   */
  function rebase(): void {
    if (anchor === null) return;
    const w = wall.now();
    const flowed = base + Math.floor(w - anchor);
    const c = ceiling();
    if (flowed <= c) {
      // Keep the fraction of a millisecond: frequent rebases must not stall the clock.
      anchor += flowed - base;
      base = flowed;
    } else {
      base = c;
      anchor = w;
    }
  }

  function schedulePump(): void {
    if (pumpQueued || closed) return;
    pumpQueued = true;
    wall.defer(pump);
  }

  function fire(t: QueuedTimer): void {
    try {
      t.fn();
    } catch (err) {
      // Same as a throwing setTimeout callback: surface it, but keep the clock consistent.
      queueMicrotask(() => {
        throw err;
      });
    }
  }

  function settleTargets(): void {
    while (targets.length > 0 && targets[0]!.at <= base) targets.shift()!.resolve();
  }

  function pump(): void {
    pumpQueued = false;
    if (closed) return;
    wake?.cancel();
    wake = null;

    // 1. Fire what is due (only timers set before this turn; later ones wait for the next turn
    //    so the work of the ones fired now is tracked first).
    const t = now();
    const limit = queue.nextSeq;
    let fired = false;
    for (let top = queue.peek(); top && top.due <= t && top.seq < limit; top = queue.peek()) {
      queue.pop();
      fired = true;
      fire(top);
    }
    if (fired) return schedulePump();

    // 2. Work in flight. Without a horizon: real time passes; wake when the next timer is due
    //    (unless it lies past the ceiling: then the work in flight settles first). Only horizons:
    //    jump to the next timer if it is due before the earliest one, else wait for the work.
    const top = queue.peek();
    if (free > 0) {
      if (top && top.due <= ceiling()) wake = wall.after(top.due - now(), schedulePump);
      return;
    }
    if (horizons.size > 0) {
      if (top && top.due < horizons.min()) {
        base = Math.max(base, top.due);
        return schedulePump();
      }
      return;
    }

    // 3. Frozen and idle: settle advance targets first, then jump.
    const target = targets[0];
    if (target && (!top || target.at < top.due)) {
      if (target.at !== Infinity) {
        base = Math.max(base, target.at);
        settleTargets();
        return schedulePump();
      }
      // runUntilIdle: done once nothing is left at all.
      if (!top) targets.shift()!.resolve();
      return schedulePump();
    }
    if (top && (auto || target)) {
      base = Math.max(base, top.due);
      return schedulePump();
    }
    if (!top && idleWaiters.length > 0) {
      const ws = idleWaiters;
      idleWaiters = [];
      for (const w of ws) w();
    }
  }

  function addTarget(at: number): Promise<void> {
    return new Promise<void>((resolve) => {
      targets.push({ at, resolve });
      targets.sort((a, b) => a.at - b.at);
      schedulePump();
    });
  }

  return {
    mode: 'virtual',
    auto,
    now,
    setTimer(fn, delayMs): TimerHandle {
      const id = nextId++;
      if (!closed) {
        queue.push(id, now() + Math.max(0, Math.floor(delayMs)), fn);
        schedulePump();
      }
      return { id };
    },
    clearTimer(handle) {
      if (queue.cancel(handle.id)) schedulePump();
    },
    track<T>(work: Promise<T>, horizon?: number): Promise<T> {
      // Manual mode keeps time flowing for all work; a horizon must be a number to count.
      const h = auto && typeof horizon === 'number' && !Number.isNaN(horizon) ? horizon : undefined;
      rebase();
      if (h !== undefined) horizons.add(h);
      else if (free++ === 0) anchor = wall.now();
      schedulePump();
      const done = () => {
        rebase();
        if (h !== undefined) horizons.delete(h);
        else if (--free === 0) anchor = null;
        schedulePump();
      };
      work.then(done, done);
      return work;
    },
    idle() {
      if (closed) return Promise.resolve();
      return new Promise<void>((resolve) => {
        idleWaiters.push(resolve);
        schedulePump();
      });
    },
    pending: () => ({ timers: queue.size, inFlight: free + horizons.size }),
    advance(ms) {
      if (!(ms >= 0) || !Number.isFinite(ms))
        return Promise.reject(new Error(`advance: ms must be >= 0 (got ${ms})`));
      if (closed) return Promise.resolve();
      return addTarget(now() + ms);
    },
    runUntilIdle() {
      if (closed) return Promise.resolve();
      return addTarget(Infinity);
    },
    close() {
      closed = true;
      wake?.cancel();
      wake = null;
      queue.clear();
      for (const t of targets) t.resolve();
      targets = [];
      for (const w of idleWaiters) w();
      idleWaiters = [];
    },
  };
}
