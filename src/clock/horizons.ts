/**
 * The horizons of the work in flight on a virtual clock: a multiset of instants with its minimum.
 * Many attempts share a horizon (a burst queued at one instant), so equal values are counted, and
 * the heap holds each distinct value once; values that left the set are dropped when they surface.
 */
export class Horizons {
  private counts = new Map<number, number>();
  private heap: number[] = [];
  private inHeap = new Set<number>();
  private n = 0;

  get size(): number {
    return this.n;
  }

  add(h: number): void {
    this.n++;
    const c = this.counts.get(h);
    this.counts.set(h, (c ?? 0) + 1);
    if (!this.inHeap.has(h)) {
      this.inHeap.add(h);
      this.push(h);
    }
  }

  delete(h: number): void {
    const c = this.counts.get(h);
    if (c === undefined) return;
    this.n--;
    if (c > 1) this.counts.set(h, c - 1);
    else this.counts.delete(h);
    // Values that left wait in the heap until they surface; one held below them at the top would
    // keep them all: rebuild from the live values once the dead outnumber them.
    if (this.heap.length > 2 * this.counts.size + 64) this.rebuild();
  }

  private rebuild(): void {
    this.heap = [...this.counts.keys()].sort((a, b) => a - b);
    this.inHeap = new Set(this.heap);
  }

  /** The earliest horizon, or Infinity when the set is empty. */
  min(): number {
    const h = this.heap;
    while (h.length > 0 && !this.counts.has(h[0]!)) this.inHeap.delete(this.pop());
    return h.length > 0 ? h[0]! : Infinity;
  }

  private push(v: number): void {
    const h = this.heap;
    h.push(v);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (h[p]! <= v) break;
      h[i] = h[p]!;
      i = p;
    }
    h[i] = v;
  }

  private pop(): number {
    const h = this.heap;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= h.length) break;
        const c = l + 1 < h.length && h[l + 1]! < h[l]! ? l + 1 : l;
        if (h[c]! >= last) break;
        h[i] = h[c]!;
        i = c;
      }
      h[i] = last;
    }
    return top;
  }
}
