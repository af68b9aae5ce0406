/**
 * Min-heap of pending steps ordered by (time, sequence): equal times keep insertion order, so
 * the simulation is deterministic without relying on sort stability.
 *
 * Struct of arrays: times and sequence numbers live in growable Float64Arrays next to the items,
 * so a sift compares neighbouring doubles instead of chasing one heap object per entry (no
 * allocation per push, and a large campaign's queue stays cache-friendly).
 */
export class EventQueue<T> {
  // Small at first: every workflow's campaign has a queue, most hold a few steps (a one-row
  // createinstance), and zero-filling 4 KB per queue was a visible part of a creation's CPU.
  private at = new Float64Array(16);
  private seq = new Float64Array(16);
  private items: (T | undefined)[] = [];
  private n = 0;
  private nextSeq = 0;

  get size(): number {
    return this.n;
  }

  push(at: number, item: T): void {
    this.pushAs(at, this.nextSeq++, item);
  }

  /**
   * Keep `n` sequence numbers for entries pushed later (`pushAs`): they order among entries of
   * the same instant as if pushed now. Returns the first.
   */
  reserve(n: number): number {
    const first = this.nextSeq;
    this.nextSeq += n;
    return first;
  }

  /** Push with a sequence number from `reserve`. */
  pushAs(at: number, seq: number, item: T): void {
    if (this.n === this.at.length) this.grow();
    const A = this.at;
    const S = this.seq;
    const I = this.items;
    // Sift up with a hole: parents move down, the entry is written once.
    let i = this.n++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pa = A[p]!;
      if (pa < at || (pa === at && S[p]! < seq)) break;
      A[i] = pa;
      S[i] = S[p]!;
      I[i] = I[p];
      i = p;
    }
    A[i] = at;
    S[i] = seq;
    I[i] = item;
  }

  /** Time of the next entry, or null when empty. */
  peekTime(): number | null {
    return this.n === 0 ? null : this.at[0]!;
  }

  /** The next entry's item (undefined when empty). */
  peek(): T | undefined {
    return this.n === 0 ? undefined : this.items[0];
  }

  /** Remove and return the next entry's item. */
  pop(): T | undefined {
    if (this.n === 0) return undefined;
    const A = this.at;
    const S = this.seq;
    const I = this.items;
    const top = I[0];
    const n = --this.n;
    if (n > 0) {
      // Sift the last entry down from the root with a hole.
      const at = A[n]!;
      const seq = S[n]!;
      const item = I[n];
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const m = r < n && (A[r]! < A[l]! || (A[r] === A[l] && S[r]! < S[l]!)) ? r : l;
        const ma = A[m]!;
        if (at < ma || (at === ma && seq < S[m]!)) break;
        A[i] = ma;
        S[i] = S[m]!;
        I[i] = I[m];
        i = m;
      }
      A[i] = at;
      S[i] = seq;
      I[i] = item;
    }
    I[n] = undefined;
    return top;
  }

  /** Every queued item, in no particular order (items may be changed, not their place). */
  forEach(fn: (item: T) => void): void {
    for (let i = 0; i < this.n; i++) fn(this.items[i]!);
  }

  private grow(): void {
    const at = new Float64Array(this.at.length * 2);
    at.set(this.at);
    const seq = new Float64Array(this.seq.length * 2);
    seq.set(this.seq);
    this.at = at;
    this.seq = seq;
  }
}
