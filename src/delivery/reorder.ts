/**
 * Chaos `reorder`: a delivery held back until the next delivery to its target (one created after
 * it) has had its first attempt answered (so the receiver surely sees the two in swapped order),
 * or until its hold window ends. A released delivery's first attempt is recorded at the
 * overtaker's instant, which keeps the log reproducible; and an overtaker's attempt is tracked
 * on the clock no further than the window's end (`fence`), so whether the answer or the window
 * comes first does not depend on the receiver's latency.
 */
import type { Clock, TimerHandle } from '../core/clock.ts';
import { due, plan, type Live } from './live.ts';

export interface Reorder {
  /** Hold `l` back until the next delivery to its target has been answered, or `until`. */
  hold(l: Live, until: number): void;
  /**
   * The first attempt of the delivery created `order`-th, to `lane`, was answered at `at`: send
   * what was held before it was created.
   */
  release(lane: string, at: number, order: number): void;
  /** The earliest end of a window that the first answer of delivery `order` on `lane` would end. */
  fence(lane: string, order: number): number;
  /** Drop every hold (their deliveries stay pending). */
  close(): void;
}

interface Held {
  live: Live;
  /** The end of its window. */
  until: number;
  timer: TimerHandle;
}

export function createReorder(clock: Clock, arm: (l: Live) => void): Reorder {
  const held = new Map<string, Held[]>();
  return {
    hold(l, until) {
      const key = l.lane;
      const list = held.get(key) ?? [];
      held.set(key, list);
      l.rec.nextAttemptAt = until;
      const entry: Held = {
        live: l,
        until,
        timer: clock.setTimer(() => {
          // Nothing overtook it within the window: send it now.
          const hl = held.get(key);
          if (hl) {
            const i = hl.indexOf(entry);
            if (i >= 0) hl.splice(i, 1);
            if (hl.length === 0) held.delete(key);
          }
          plan(l, 1, due(l, 1, until));
          arm(l);
        }, until - clock.now()),
      };
      list.push(entry);
    },
    release(lane, at, order) {
      const list = held.get(lane);
      if (!list) return;
      const go = list.filter((h) => h.live.order < order);
      if (go.length === 0) return;
      if (go.length === list.length) held.delete(lane);
      else
        held.set(
          lane,
          list.filter((h) => h.live.order >= order),
        );
      for (const h of go) {
        clock.clearTimer(h.timer);
        const n = h.live.rec.attempts.length + 1;
        plan(h.live, n, due(h.live, n, Math.max(at, h.live.rec.firstAt)));
        arm(h.live);
      }
    },
    fence(lane, order) {
      const list = held.get(lane);
      let end = Infinity;
      if (list !== undefined) for (const h of list) if (h.live.order < order) end = Math.min(end, h.until);
      return end;
    },
    close() {
      for (const list of held.values()) for (const h of list) clock.clearTimer(h.timer);
      held.clear();
    },
  };
}
