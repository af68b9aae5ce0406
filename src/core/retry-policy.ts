/**
 * The vendor's callback delivery rule (the vendor page "Custom API Node Data Push"): the integrator must answer within 10 s; on an
 * abnormal answer the vendor retries every 1 minute, at most 5 retries, then stops. Pure: the
 * delivery service asks `nextAttemptAt` when to try again and never sleeps on its own.
 */
export interface RetryPolicy {
  /** Real (wall) milliseconds a receiver has to answer completely (vendor: 10 s). */
  timeoutMs: number;
  /** Clock milliseconds between the starts of two attempts (vendor: 1 min). */
  retryIntervalMs: number;
  /** Retries after the first attempt (vendor: 5 ⇒ 6 attempts in all). */
  maxRetries: number;
}

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({
  timeoutMs: 10_000,
  retryIntervalMs: 60_000,
  maxRetries: 5,
});

/** Layer policies: defaults < global config < per-template config. Rejects nonsense values. */
export function resolvePolicy(...layers: (Partial<RetryPolicy> | undefined)[]): RetryPolicy {
  const out: RetryPolicy = { ...DEFAULT_RETRY_POLICY };
  for (const layer of layers) {
    if (!layer) continue;
    for (const k of ['timeoutMs', 'retryIntervalMs', 'maxRetries'] as const) {
      const v = layer[k];
      if (v === undefined) continue;
      if (
        typeof v !== 'number' ||
        !Number.isFinite(v) ||
        v < 0 ||
        (k === 'maxRetries' && !Number.isInteger(v))
      ) {
        throw new Error(
          `retry policy: ${k} must be a non-negative ${k === 'maxRetries' ? 'integer' : 'number'}`,
        );
      }
      out[k] = v;
    }
  }
  if (out.timeoutMs === 0) throw new Error('retry policy: timeoutMs must be positive');
  return out;
}

/** A 2xx status is success; anything else the vendor calls an abnormal response. */
export function isSuccessStatus(status: number): boolean {
  return status >= 200 && status <= 299;
}

/**
 * When the attempt after attempt `n` (1-based) should start, or null when retries are used up.
 * Attempts keep a fixed cadence — `scheduledAt + interval` — so spacing is exactly the interval in
 * clock time whatever the latency; if the failure was only known later than that (a timeout longer
 * than the interval), the retry starts at `failedAt`.
 */
export function nextAttemptAt(
  n: number,
  scheduledAt: number,
  failedAt: number,
  policy: RetryPolicy,
): number | null {
  if (n >= policy.maxRetries + 1) return null;
  return Math.max(scheduledAt + policy.retryIntervalMs, failedAt);
}
