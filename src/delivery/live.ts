/**
 * A pending delivery's working state (`Live`: its record is what the world sees) and its schedule:
 * which attempt is next and the clock instant it is due.
 */
import type { TimerHandle } from '../core/clock.ts';
import type { ChaosPlan } from './chaos.ts';
import type { PreparedPost } from './http-sender.ts';
import type { DeliveryRecord } from './types.ts';

/** Per-delivery working state (the record is what the world sees). */
export interface Live {
  rec: DeliveryRecord;
  /** The exact bytes of every attempt. */
  body: Buffer;
  /** Limiter lane: the URL's origin. */
  lane: string;
  /** Creation order within the service (chaos reordering: which deliveries come "next"). */
  order: number;
  plan: ChaosPlan;
  /** The built-in sender's request, built at the first attempt. */
  prepared: PreparedPost | null;
  timer: TimerHandle | null;
  /** The attempt scheduled or in progress: its number and the clock instant it is due. */
  n: number;
  at: number;
  /** Real time the attempt went out. */
  t0: number;
  /** Resolves the promise the clock tracks for the attempt in progress. */
  resolve: (() => void) | null;
  /** `start(this)`, made once per delivery rather than per timer. */
  fire: () => void;
}

/** The instant attempt `n` is due when the cadence plans it at `planned` (plus chaos delay). */
export const due = (l: Live, n: number, planned: number): number => planned + l.plan.delayMs(n);

/** Set the next attempt (the record shows it before the store is told). */
export function plan(l: Live, n: number, at: number): void {
  l.n = n;
  l.at = at;
  l.rec.nextAttemptAt = at;
}
