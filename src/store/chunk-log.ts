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
import { LruCache } from './lru.ts';

export const CHUNK_SIZE = 64;

/** Decoded chunks, least recently used forgotten first (shared by every log of a store). */
export class ChunkCache extends LruCache<Buffer, unknown[]> {
  constructor(capacity = 24) {
    super(capacity);
  }
}

/**
 * A preset deflate dictionary shared by the logs of one kind (events, messages): the JSON of the
 * first chunk any of them sealed (its last 32 KB, deflate's window). Chunks of 64 items are small
 * for deflate on their own; against the keys and values a typical chunk repeats, they shrink
 * about twice as much again.
 */
export class ChunkDictionary {
  private dict: Buffer | undefined;

  /** The dictionary, made from `json` if there is none yet. */
  for(json: Buffer): Buffer {
    return (this.dict ??= Buffer.from(json.subarray(Math.max(0, json.length - 32 * 1024))));
  }

  get(): Buffer {
    return this.dict!;
  }

  clear(): void {
    this.dict = undefined;
  }
}

/**
 * Where sealed chunks' bytes live: copied into slabs shared by the logs of a store. Kept as a
 * copy each (a few KB), they were small allocations scattered among the C heap's short-lived
 * ones (zlib's contexts and output buffers for every chunk sealed or read), which kept the
 * allocator from giving freed memory back. Slabs start at 64 KB and double up to 1 MB: large
 * blocks the allocator maps on their own.
 */
export class ChunkSlab {
  private slab: Buffer | undefined;
  private used = 0;
  private next = 64 * 1024;

  /** `bytes` copied into the current slab (a new one when it does not fit). */
  copy(bytes: Uint8Array): Buffer {
    if (!this.slab || this.used + bytes.length > this.slab.length) {
      this.slab = Buffer.allocUnsafeSlow(Math.max(this.next, bytes.length));
      this.used = 0;
      this.next = Math.min(this.next * 2, 1024 * 1024);
    }
    const out = this.slab.subarray(this.used, this.used + bytes.length);
    out.set(bytes);
    this.used += bytes.length;
    return out;
  }

  clear(): void {
    this.slab = undefined;
    this.used = 0;
    this.next = 64 * 1024;
  }
}

export class ChunkLog<T> {
  private readonly chunks: Buffer[] = [];
  private open: T[] = [];
  private readonly cache: ChunkCache;
  private readonly dictionary: ChunkDictionary;
  private readonly slab: ChunkSlab;

  constructor(cache: ChunkCache, dictionary: ChunkDictionary, slab = new ChunkSlab()) {
    this.cache = cache;
    this.dictionary = dictionary;
    this.slab = slab;
  }

  get length(): number {
    return this.chunks.length * CHUNK_SIZE + this.open.length;
  }

  /** Bytes the sealed chunks keep reachable (their backing memory, shared slabs counted once). */
  retainedBytes(): number {
    const backing = new Set<ArrayBufferLike>();
    for (const c of this.chunks) backing.add(c.buffer);
    let n = 0;
    for (const b of backing) n += b.byteLength;
    return n;
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
    // The chunk's objects are not cached: held on in the LRU they would outlive two young-generation
    // GCs and die in the old generation, whose pages they leave sparse (V8 had 256 MB committed
    // for 53 MB used at 300,000 deliveries). Nothing reads a chunk as it fills; views decode it.
    const json = Buffer.from(JSON.stringify(this.open));
    // zlib's sync output is a view of its 16 KB working buffer: kept as is, each chunk of a few
    // hundred bytes would hold 16 KB of memory (30 MB per 30,000 deliveries). Keep a copy, in a slab.
    const chunk = this.slab.copy(deflateRawSync(json, { dictionary: this.dictionary.for(json) }));
    this.chunks.push(chunk);
    this.open = [];
  }

  private chunk(c: number): T[] {
    const chunk = this.chunks[c]!;
    let items = this.cache.get(chunk) as T[] | undefined;
    if (!items) {
      const json = inflateRawSync(chunk, { dictionary: this.dictionary.get() });
      items = JSON.parse(json.toString('utf8')) as T[];
      this.cache.set(chunk, items);
    }
    return items;
  }
}
