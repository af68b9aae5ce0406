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
   * Declare async work in flight (an HTTP attempt, a queued job). A virtual clock does not
   * jump while any tracked work is pending; other clocks just return the promise.
   */
  track<T>(work: Promise<T>): Promise<T>;
  /** Clock mode, for reports: `real`, `scaled:<n>` or `virtual`. */
  readonly mode: string;
}
