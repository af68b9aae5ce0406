/**
 * Building blocks of the store's compact tables: growable typed-array columns (a number costs its
 * bytes, not an object slot) and a string table that gives each text a small code.
 */

type Typed = Uint8Array | Uint16Array | Uint32Array | Float64Array;

/** Slots per page of a column: pages are never copied, and at most one is part empty. */
const PAGE_BITS = 14;
const PAGE = 1 << PAGE_BITS;

/**
 * An append-or-set column of numbers in typed-array pages. A column doubling one array would
 * copy it at each step and leave up to half of it unused (20 MB at 300,000 deliveries); pages
 * are filled one after another. A column that stays small (a workflow's few deliveries) grows its
 * first page by doubling, from `initial` slots.
 */
export class Column<T extends Typed> {
  private pages: T[] = [];
  private readonly make: (n: number) => T;
  private readonly initial: number;
  length = 0;

  constructor(make: (n: number) => T, initial = 1024) {
    this.make = make;
    this.initial = Math.min(initial, PAGE);
  }

  get(i: number): number {
    return this.pages[i >>> PAGE_BITS]?.[i & (PAGE - 1)] ?? 0;
  }

  /** Set slot `i`, growing the column (new slots read 0) and its length to cover it. */
  set(i: number, v: number): void {
    const p = i >>> PAGE_BITS;
    const o = i & (PAGE - 1);
    while (this.pages.length <= p) this.pages.push(this.make(this.pages.length === 0 ? this.initial : PAGE));
    let page = this.pages[p]!;
    if (o >= page.length) {
      const grown = this.make(Math.min(PAGE, Math.max(o + 1, page.length * 2)));
      grown.set(page);
      this.pages[p] = page = grown;
    }
    // Pages before the last are full size (a first page grown by doubling is topped up first).
    if (p > 0 && this.pages[0]!.length < PAGE) this.fillFirst();
    page[o] = v;
    if (i >= this.length) this.length = i + 1;
  }

  push(v: number): number {
    this.set(this.length, v);
    return this.length - 1;
  }

  clear(): void {
    this.pages = [];
    this.length = 0;
  }

  private fillFirst(): void {
    const full = this.make(PAGE);
    full.set(this.pages[0]!);
    this.pages[0] = full;
  }
}

export const u8 = (n: number) => new Uint8Array(n);
export const u16 = (n: number) => new Uint16Array(n);
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
