/**
 * A locale's mobile numbers as a numbered space, and a keyed permutation of it: row i's k-th
 * number is `space.at(permute(i × perRow + k))`, so no two numbers of a campaign are the same
 * (a permutation never maps two indices to one) and nothing remembers the numbers already given.
 */
import { STREAM, streamSeed } from './rng.ts';

/** One slot of a number shape: a choice of fixed strings (prefixes) or `digits` free digits. */
export type Slot = readonly string[] | number;

/** The numbers `prefix` + one choice per slot, e.g. +63, [917, 918, …], 7 digits. */
export interface Shape {
  prefix: string;
  slots: readonly Slot[];
}

const slotSize = (s: Slot): number => (typeof s === 'number' ? 10 ** s : s.length);

/** A finite list of numbers: the union of shapes, each in mixed-radix order. */
export class NumberSpace {
  readonly size: number;
  private readonly sizes: number[];
  private readonly shapes: readonly Shape[];

  constructor(shapes: readonly Shape[]) {
    this.shapes = shapes;
    this.sizes = shapes.map((sh) => sh.slots.reduce<number>((n, s) => n * slotSize(s), 1));
    this.size = this.sizes.reduce((a, b) => a + b, 0);
  }

  /** The `n`-th number (0 ≤ n < size). */
  at(n: number): string {
    let k = 0;
    while (n >= this.sizes[k]!) n -= this.sizes[k++]!;
    const shape = this.shapes[k]!;
    const parts: string[] = [];
    for (let i = shape.slots.length - 1; i >= 0; i--) {
      const s = shape.slots[i]!;
      const base = slotSize(s);
      const v = n % base;
      n = (n - v) / base;
      parts.push(typeof s === 'number' ? String(v).padStart(s, '0') : s[v]!);
    }
    return shape.prefix + parts.reverse().join('');
  }
}

/**
 * A keyed bijection of [0, size): a 4-round balanced Feistel network over the smallest even
 * number of bits covering `size`, cycle-walked back into range (at most 4× the range, so a few
 * steps on average). Works with sizes up to 2^52 (plain doubles, no BigInt on the row path).
 */
export class Permutation {
  private readonly half: number;
  /** One 32-bit key per round, derived from the campaign's key. */
  private readonly keys: number[];
  readonly size: number;

  constructor(key: number, size: number) {
    this.size = size;
    let bits = 2;
    while (2 ** bits < size) bits += 2;
    this.half = 2 ** (bits / 2);
    this.keys = [0, 1, 2, 3].map((r) => streamSeed(key, STREAM.numbers, r));
  }

  private step(x: number): number {
    const half = this.half;
    let l = Math.floor(x / half);
    let r = x % half;
    for (let i = 0; i < 4; i++) {
      const t = (l + (roundHash(r, this.keys[i]!) % half)) % half;
      l = r;
      r = t;
    }
    return l * half + r;
  }

  /** The image of `i` (0 ≤ i < size). */
  at(i: number): number {
    if (!(i >= 0 && i < this.size)) throw new RangeError(`index ${i} outside a number space of ${this.size}`);
    let y = this.step(i);
    while (y >= this.size) y = this.step(y);
    return y;
  }
}

/** The round function: a 32-bit integer hash (lowbias32) of the half block and the round key. */
function roundHash(x: number, key: number): number {
  let h = (x ^ key) | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return h >>> 0;
}
