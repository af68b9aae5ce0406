/**
 * A binary min-heap of timers ordered by (due, sequence): equal due times fire in the order they
 * were set, which keeps virtual-time runs deterministic. Cancelled timers are removed lazily.
 */
export interface QueuedTimer {
  id: number;
  due: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

export class TimerQueue {
  private heap: QueuedTimer[] = [];
  private byId = new Map<number, QueuedTimer>();
  private seq = 0;

  get size(): number {
    return this.byId.size;
  }

  push(id: number, due: number, fn: () => void): QueuedTimer {
    const t: QueuedTimer = { id, due, seq: this.seq++, fn, cancelled: false };
    this.heap.push(t);
    this.byId.set(id, t);
    this.up(this.heap.length - 1);
    return t;
  }

  cancel(id: number): boolean {
    const t = this.byId.get(id);
    if (!t) return false;
    t.cancelled = true;
    this.byId.delete(id);
    return true;
  }

  /** The earliest live timer, or undefined. */
  peek(): QueuedTimer | undefined {
    this.dropCancelled();
    return this.heap[0];
  }

  /** Remove and return the earliest live timer. */
  pop(): QueuedTimer | undefined {
    this.dropCancelled();
    const top = this.heap[0];
    if (!top) return undefined;
    this.removeTop();
    this.byId.delete(top.id);
    return top;
  }

  /** The next sequence number (timers set from now on have seq >= this). */
  get nextSeq(): number {
    return this.seq;
  }

  clear(): void {
    this.heap = [];
    this.byId.clear();
  }

  private dropCancelled(): void {
    while (this.heap.length > 0 && this.heap[0]!.cancelled) this.removeTop();
  }

  private removeTop(): void {
    const last = this.heap.pop()!;
    if (this.heap.length > 0) {
      this.heap[0] = last;
      this.down(0);
    }
  }

  private less(a: QueuedTimer, b: QueuedTimer): boolean {
    return a.due < b.due || (a.due === b.due && a.seq < b.seq);
  }

  private up(i: number): void {
    const h = this.heap;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(h[i]!, h[p]!)) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }

  private down(i: number): void {
    const h = this.heap;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && this.less(h[l]!, h[m]!)) m = l;
      if (r < h.length && this.less(h[r]!, h[m]!)) m = r;
      if (m === i) return;
      [h[i], h[m]] = [h[m]!, h[i]!];
      i = m;
    }
  }
}
