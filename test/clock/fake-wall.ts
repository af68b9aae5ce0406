/**
 * A hand-driven Wall for clock tests: real time moves only with `tick(ms)`, so "work in flight for
 * 5 s" takes no real time at all. `defer` stays a real setImmediate (it is ordering, not time).
 */
import type { Wall, WallTimer } from '../../src/clock/wall.ts';

export interface FakeWall extends Wall {
  tick(ms: number): void;
  pendingTimers(): number;
}

export function createFakeWall(epoch = 1_700_000_000_000): FakeWall {
  let t = 0;
  let timers: { due: number; fn: () => void; live: boolean }[] = [];
  return {
    now: () => t,
    epoch: () => epoch + t,
    after(ms, fn): WallTimer {
      const timer = { due: t + Math.max(0, ms), fn, live: true };
      timers.push(timer);
      return { cancel: () => void (timer.live = false) };
    },
    defer: (fn) => void setImmediate(fn),
    tick(ms) {
      const end = t + ms;
      for (;;) {
        timers = timers.filter((x) => x.live);
        const next = timers.filter((x) => x.due <= end).sort((a, b) => a.due - b.due)[0];
        if (!next) break;
        t = Math.max(t, next.due);
        next.live = false;
        next.fn();
      }
      t = end;
    },
    pendingTimers: () => timers.filter((x) => x.live).length,
  };
}

/** Let deferred pumps and microtasks run (a few macrotask turns). */
export async function settle(turns = 5): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise<void>((r) => setImmediate(r));
}
