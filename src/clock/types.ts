/**
 * What the runner, the admin API and the library need from a clock beyond the core `Clock`
 * (src/core/clock.ts): knowing when everything has settled, and stepping virtual time by hand.
 */
import type { Clock } from '../core/clock.ts';

export interface RunClock extends Clock {
  /** Resolves once no timer is pending and no tracked work is in flight. */
  idle(): Promise<void>;
  /** Pending timers and tracked work, for progress output and the admin API. */
  pending(): { timers: number; inFlight: number };
  /** Cancel every pending timer and stop waking up (idle() waiters are released). */
  close(): void;
}

export interface VirtualClock extends RunClock {
  readonly mode: 'virtual';
  /** True when the clock jumps on its own whenever nothing is in flight (the default). */
  readonly auto: boolean;
  /**
   * Move clock time forward by `ms`, firing every timer due on the way in order and waiting for
   * the work they start; resolves when the clock has reached the target and nothing is in flight.
   */
  advance(ms: number): Promise<void>;
  /** Fire timers (jumping over idle gaps) until no timer is pending and nothing is in flight. */
  runUntilIdle(): Promise<void>;
}

export function isVirtualClock(clock: Clock): clock is VirtualClock {
  return clock.mode === 'virtual' && typeof (clock as Partial<VirtualClock>).advance === 'function';
}
