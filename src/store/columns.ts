/**
 * Building blocks of the store's compact tables: growable typed-array columns (a number costs its
 * bytes, not an object slot) and a string table that gives each text a small code.
 */

type Typed = Uint8Array | Uint16Array | Uint32Array | Float64Array;

/** An append-or-set column of numbers over a typed array that doubles when full. */
export class Column<T extends Typed> {
  private data: T;
  private readonly make: (n: number) => T;
  length = 0;

  constructor(make: (n: number) => T, initial = 1024) {
    this.make = make;
    this.data = make(initial);
  }

  get(i: number): number {
    return this.data[i]!;
  }

  /** Set slot `i`, growing the column (new slots read 0) and its length to cover it. */
  set(i: number, v: number): void {
    if (i >= this.data.length) {
      const grown = this.make(Math.max(i + 1, this.data.length * 2));
      grown.set(this.data);
      this.data = grown;
    }
    this.data[i] = v;
    if (i >= this.length) this.length = i + 1;
  }

  push(v: number): number {
    this.set(this.length, v);
    return this.length - 1;
  }

  clear(): void {
    this.data = this.make(1024);
    this.length = 0;
  }
}

export const u8 = (n: number) => new Uint8Array(n);
export const u32 = (n: number) => new Uint32Array(n);
export const f64 = (n: number) => new Float64Array(n);

/**
 * Texts by code. The first `dedupeLimit` distinct texts are shared (a URL, a receiver's usual
 * answer); past that a text gets a code of its own each time, so a receiver answering a different
 * text every time costs the text, not also a map entry.
 */
export class StringTable {
  private readonly texts: string[] = [];
  private readonly codes = new Map<string, number>();
  private readonly dedupeLimit: number;

  constructor(dedupeLimit = 4096) {
    this.dedupeLimit = dedupeLimit;
  }

  code(text: string): number {
    const known = this.codes.get(text);
    if (known !== undefined) return known;
    const code = this.texts.push(text) - 1;
    if (this.codes.size < this.dedupeLimit) this.codes.set(text, code);
    return code;
  }

  text(code: number): string {
    return this.texts[code]!;
  }

  clear(): void {
    this.texts.length = 0;
    this.codes.clear();
  }
}
