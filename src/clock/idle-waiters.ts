/**
 * Promises waiting for "nothing pending". Resolution is deferred by a macrotask turn and re-checked
 * so that work started in the microtasks of a just-finished job (a retry being scheduled, the next
 * queued request starting) counts before anyone is told the clock is idle.
 */
import type { Wall } from './wall.ts';

export class IdleWaiters {
  private waiters: (() => void)[] = [];
  private checking = false;

  private readonly wall: Wall;
  private readonly isIdle: () => boolean;

  constructor(wall: Wall, isIdle: () => boolean) {
    this.wall = wall;
    this.isIdle = isIdle;
  }

  wait(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.waiters.push(resolve);
      this.check();
    });
  }

  /** Call whenever the pending counts drop. */
  check(): void {
    if (this.checking || this.waiters.length === 0) return;
    this.checking = true;
    this.wall.defer(() => {
      this.checking = false;
      if (this.isIdle()) this.releaseAll();
    });
  }

  releaseAll(): void {
    const ws = this.waiters;
    this.waiters = [];
    for (const w of ws) w();
  }
}
