/**
 * The one source of time for the engine, the scheduler and delivery.
 * Library code never reads Date.now() or calls setTimeout directly: it is handed a Clock.
 * Implementations: `realClock` (wall time), scaled and virtual clocks (src/clock/).
 */
export interface TimerHandle {
  readonly id: number;
}

export interface Clock {
  /** Current clock time, epoch milliseconds. */
  now(): number;
  /** Run `fn` once `delayMs` of clock time has passed. */
  setTimer(fn: () => void, delayMs: number): TimerHandle;
  clearTimer(handle: TimerHandle): void;
  /**
   * Declare async work in flight (an HTTP attempt, a queued job). Without a `horizon`, a virtual
   * clock does not jump while the work is pending (time flows at the real rate). With one — the
   * earliest clock instant at which the work's result could change what happens — it still jumps
   * to timers due before the horizon, but does not reach the horizon until the work settles.
   * Other clocks just return the promise.
   */
  track<T>(work: Promise<T>, horizon?: number): Promise<T>;
  /** Clock mode, for reports: `real`, `scaled:<n>` or `virtual`. */
  readonly mode: string;
}
