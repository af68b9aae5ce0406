/**
 * A hand-driven Clock for HTTP tests that only need "now" to move (token expiry): `set`/`add`
 * change the time and fire any timers that fell due, synchronously.
 */
import type { Clock, TimerHandle } from '../../src/core/clock.ts';

export interface ManualClock extends Clock {
  add(ms: number): void;
}

export function manualClock(start = Date.UTC(2024, 2, 11, 2, 0, 0)): ManualClock {
  let now = start;
  let nextId = 1;
  const timers = new Map<number, { due: number; fn: () => void }>();
  return {
    mode: 'virtual',
    now: () => now,
    setTimer(fn, delayMs) {
      const id = nextId++;
      timers.set(id, { due: now + Math.max(0, delayMs), fn });
      return { id };
    },
    clearTimer(handle: TimerHandle) {
      timers.delete(handle.id);
    },
    track: (work) => work,
    add(ms) {
      const target = now + ms;
      for (;;) {
        const due = [...timers.entries()]
          .filter(([, t]) => t.due <= target)
          .sort((a, b) => a[1].due - b[1].due)[0];
        if (!due) break;
        timers.delete(due[0]);
        now = due[1].due;
        due[1].fn();
      }
      now = target;
    },
  };
}
