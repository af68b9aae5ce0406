/**
 * The `real` and `scaled:<scale>` clocks: clock time = start + scale × real elapsed time, and a
 * timer of d clock-ms waits d / scale real ms. `real` is scale 1 (with the host time as start
 * unless a start time is given). Timers are re-armed if the host fires them early, so a timer never
 * runs before its clock due time.
 */
import type { TimerHandle } from '../core/clock.ts';
import { IdleWaiters } from './idle-waiters.ts';
import type { RunClock } from './types.ts';
import { systemWall, type Wall, type WallTimer } from './wall.ts';

export interface WallClockOptions {
  /** Clock time at creation, epoch ms (default: the host time). */
  startTime?: number;
  /** Clock ms per real ms (default 1), as a scenario's `clock.scale`. */
  scale?: number;
  wall?: Wall;
}

export function createWallClock(opts: WallClockOptions = {}): RunClock {
  const wall = opts.wall ?? systemWall;
  const scale = opts.scale ?? 1;
  if (!(scale > 0) || !Number.isFinite(scale))
    throw new Error(`clock scale must be a positive number (got ${scale})`);
  const start = opts.startTime ?? wall.epoch();
  const wall0 = wall.now();
  const mode = opts.scale === undefined ? 'real' : `scaled:${scale}`;
  const timers = new Map<number, WallTimer>();
  let nextId = 1;
  let inFlight = 0;
  let closed = false;
  const now = () => start + Math.floor(scale * (wall.now() - wall0));
  const waiters = new IdleWaiters(wall, () => timers.size === 0 && inFlight === 0);

  function arm(id: number, due: number, fn: () => void): void {
    const realDelay = Math.max(0, (due - now()) / scale);
    timers.set(
      id,
      wall.after(realDelay, () => {
        if (!timers.has(id)) return;
        if (now() < due) return arm(id, due, fn);
        timers.delete(id);
        try {
          fn();
        } finally {
          waiters.check();
        }
      }),
    );
  }

  return {
    mode,
    now,
    setTimer(fn, delayMs): TimerHandle {
      const id = nextId++;
      if (!closed) arm(id, now() + Math.max(0, delayMs), fn);
      return { id };
    },
    clearTimer(handle) {
      const t = timers.get(handle.id);
      if (!t) return;
      t.cancel();
      timers.delete(handle.id);
      waiters.check();
    },
    track<T>(work: Promise<T>): Promise<T> {
      inFlight++;
      const done = () => {
        inFlight--;
        waiters.check();
      };
      work.then(done, done);
      return work;
    },
    idle: () => waiters.wait(),
    pending: () => ({ timers: timers.size, inFlight }),
    close() {
      closed = true;
      for (const t of timers.values()) t.cancel();
      timers.clear();
      waiters.releaseAll();
    },
  };
}
