/**
 * One copy of values that repeat across delivery records: the callback URL, the retry policy and
 * the receiver's answer are the same for most deliveries of a target, yet each record arrived
 * with its own copy (≈ 170 bytes a delivery). Bounded: past `limit` distinct values, new ones are
 * kept as given, so a receiver answering a different text each time costs no more than before.
 */
export class Interner<T> {
  private values = new Map<string, T>();
  private readonly limit: number;

  constructor(limit: number) {
    this.limit = limit;
  }

  /** The kept value equal to `value` (by `key`), or `value` itself, now kept when there is room. */
  get(key: string, value: T): T {
    const kept = this.values.get(key);
    if (kept !== undefined) return kept;
    if (this.values.size < this.limit) this.values.set(key, value);
    return value;
  }

  clear(): void {
    this.values.clear();
  }
}

/** Strings: the key is the string itself. */
export class StringInterner extends Interner<string> {
  of(s: string): string {
    return this.get(s, s);
  }
}
