/**
 * A multimap from a string key to small numbers (positions), keyed by a 31-bit hash of the key
 * instead of the key itself: the key strings are not kept (they would cost more than the
 * positions). Hashes collide, so `get` returns candidates: the caller reads each one and keeps
 * those whose key really matches.
 */
export class KeyIndex {
  /** Made at the first key (most workflows have few callbacks, many have none). */
  private map: Map<number, number | number[]> | undefined;

  add(key: string, value: number): void {
    const h = hash(key);
    this.map ??= new Map();
    const known = this.map.get(h);
    if (known === undefined) this.map.set(h, value);
    else if (typeof known === 'number') this.map.set(h, [known, value]);
    else known.push(value);
  }

  /** Candidates in the order they were added. */
  get(key: string): readonly number[] {
    const known = this.map?.get(hash(key));
    return known === undefined ? [] : typeof known === 'number' ? [known] : known;
  }

  clear(): void {
    this.map = undefined;
  }
}

/** FNV-1a over UTF-16 code units, kept in 31 bits (a small integer for V8). */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 1;
}
