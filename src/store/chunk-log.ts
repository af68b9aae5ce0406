/**
 * An append-only list kept small: items (JSON values) go into chunks of CHUNK_SIZE, each one
 * serialized and deflated once full; the open chunk stays as objects. Reading an item decodes its
 * chunk (a few hundred KB of JSON at most: well under a millisecond of inflate plus parse), kept
 * in a small LRU shared by every log, so a page of a view decodes a handful of chunks at most.
 *
 * Items come back as JSON gave them (the same keys in the same order, so the same bytes once
 * serialized again) and shared with the cache: readers must not change them.
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';

export const CHUNK_SIZE = 64;

/** Decoded chunks, most recently used last (shared by every log of a store). */
export class ChunkCache {
  private readonly decoded = new Map<Buffer, unknown[]>();
  private readonly capacity: number;

  constructor(capacity = 48) {
    this.capacity = capacity;
  }

  get(chunk: Buffer): unknown[] | undefined {
    const items = this.decoded.get(chunk);
    if (items) {
      this.decoded.delete(chunk);
      this.decoded.set(chunk, items);
    }
    return items;
  }

  put(chunk: Buffer, items: unknown[]): void {
    this.decoded.set(chunk, items);
    if (this.decoded.size > this.capacity) this.decoded.delete(this.decoded.keys().next().value!);
  }

  clear(): void {
    this.decoded.clear();
  }
}

export class ChunkLog<T> {
  private readonly chunks: Buffer[] = [];
  private open: T[] = [];
  private readonly cache: ChunkCache;

  constructor(cache: ChunkCache) {
    this.cache = cache;
  }

  get length(): number {
    return this.chunks.length * CHUNK_SIZE + this.open.length;
  }

  /** Append; returns the item's position. */
  push(item: T): number {
    this.open.push(item);
    if (this.open.length === CHUNK_SIZE) this.seal();
    return this.length - 1;
  }

  get(i: number): T {
    const c = Math.floor(i / CHUNK_SIZE);
    const items = c < this.chunks.length ? this.chunk(c) : this.open;
    return items[i % CHUNK_SIZE]!;
  }

  /** Items from `from` (inclusive) to `to` (exclusive), in order. */
  *range(from = 0, to = this.length): Generator<T> {
    for (let i = from; i < to;) {
      const c = Math.floor(i / CHUNK_SIZE);
      const items = c < this.chunks.length ? this.chunk(c) : this.open;
      for (let j = i % CHUNK_SIZE; j < items.length && i < to; j++, i++) yield items[j]!;
    }
  }

  private seal(): void {
    // The objects of the chunk just sealed are what a fold reads next: cache them as they are
    // (they serialize to the same JSON, so what a later decode gives is the same).
    const chunk = deflateRawSync(JSON.stringify(this.open));
    this.chunks.push(chunk);
    this.cache.put(chunk, this.open);
    this.open = [];
  }

  private chunk(c: number): T[] {
    const chunk = this.chunks[c]!;
    let items = this.cache.get(chunk) as T[] | undefined;
    if (!items) {
      items = JSON.parse(inflateRawSync(chunk).toString('utf8')) as T[];
      this.cache.put(chunk, items);
    }
    return items;
  }
}
