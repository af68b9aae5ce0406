/**
 * Stops a run that can no longer say anything new: after `abortAfter` consecutive connection
 * failures (refused, DNS, unreachable) to one target, or when told (`--max-duration`). Stopping
 * ends the campaigns and plans no further attempt; every delivery stays in the store, so the
 * report still lists each one with what became of it.
 */
import { describeFailure, isConnectionFailure } from '../delivery/reachability.ts';
import type { Emulation, EmulationEvent } from '../emulation/emulation.ts';

export interface RunGuard {
  onEvent(e: EmulationEvent): void;
  /** Stop the run (once; later reasons are ignored). */
  abort(reason: string): void;
  /** Why the run was stopped, if it was. */
  reason(): string | undefined;
}

const originOf = (url: string): string => {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
};

export function createRunGuard(core: Emulation, abortAfter: number): RunGuard {
  const streaks = new Map<string, number>();
  let why: string | undefined;
  const abort = (reason: string): void => {
    if (why !== undefined) return;
    why = reason;
    // Not from inside the listener that noticed: let the attempt being recorded finish first.
    queueMicrotask(() => {
      core.stopCampaigns();
      core.delivery.service().close();
    });
  };
  return {
    onEvent(e) {
      if (e.type !== 'delivery:attempt' || abortAfter <= 0) return;
      const origin = originOf(e.delivery.url);
      if (!isConnectionFailure(e.attempt.error)) {
        streaks.delete(origin);
        return;
      }
      const n = (streaks.get(origin) ?? 0) + 1;
      streaks.set(origin, n);
      if (n >= abortAfter) {
        abort(
          `${n} consecutive connection failures to ${e.delivery.url}: ${describeFailure(e.attempt.error!, e.attempt.message)}`,
        );
      }
    },
    abort,
    reason: () => why,
  };
}
