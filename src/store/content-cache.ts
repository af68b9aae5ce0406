/**
 * The most recently read delivery contents, bounded: re-deriving a settled delivery's bytes
 * (serialise, sign, maybe encrypt) costs tens of microseconds, and a dashboard or a test rereads
 * the same few deliveries, so the last `size` stay at hand (least recently read leave first).
 */
import type { DeliveryContent } from '../delivery/types.ts';

export const DEFAULT_CONTENT_CACHE_SIZE = 1_000;

export class ContentCache {
  /** A Map iterates in insertion order: re-inserting on a hit keeps the oldest read first. */
  private entries = new Map<string, DeliveryContent>();

  private readonly size: number;

  constructor(size = DEFAULT_CONTENT_CACHE_SIZE) {
    this.size = size;
  }

  get(id: string): DeliveryContent | undefined {
    const c = this.entries.get(id);
    if (c !== undefined) {
      this.entries.delete(id);
      this.entries.set(id, c);
    }
    return c;
  }

  set(id: string, c: DeliveryContent): void {
    if (this.size <= 0) return;
    this.entries.delete(id);
    this.entries.set(id, c);
    if (this.entries.size > this.size) this.entries.delete(this.entries.keys().next().value!);
  }

  get length(): number {
    return this.entries.size;
  }

  clear(): void {
    this.entries.clear();
  }
}
