/**
 * Real elapsed time, for the few things that must stay real whatever the clock mode: a receiver's
 * answer deadline (its 10 s of silence are real seconds), latency measurement, and the virtual
 * clock's own wake-ups while work is in flight. The only place outside the real/scaled clocks that
 * touches the host timers; injected so tests can replace it.
 */
import { performance } from 'node:perf_hooks';

export interface WallTimer {
  cancel(): void;
}

export interface Wall {
  /** Monotonic milliseconds (arbitrary origin, fractional). */
  now(): number;
  /** Epoch milliseconds of the host clock (only for defaults and "wall time" in reports). */
  epoch(): number;
  /** Run `fn` after `ms` real milliseconds. */
  after(ms: number, fn: () => void): WallTimer;
  /** Run `fn` once the current I/O and microtasks have settled (a macrotask turn later). */
  defer(fn: () => void): void;
}

export const systemWall: Wall = {
  now: () => performance.now(),
  epoch: () => Date.now(),
  after(ms, fn) {
    const t = setTimeout(fn, Math.max(0, ms));
    return { cancel: () => clearTimeout(t) };
  },
  defer(fn) {
    setImmediate(fn);
  },
};
