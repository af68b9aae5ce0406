/**
 * The most recently read delivery contents, bounded: re-deriving a settled delivery's bytes
 * (serialise, sign, maybe encrypt) costs tens of microseconds, and a dashboard or a test rereads
 * the same few deliveries, so the last `size` stay at hand (least recently read leave first).
 */
import type { DeliveryContent } from '../delivery/types.ts';
import { LruCache } from './lru.ts';

export const DEFAULT_CONTENT_CACHE_SIZE = 1_000;

export class ContentCache extends LruCache<string, DeliveryContent> {
  constructor(size = DEFAULT_CONTENT_CACHE_SIZE) {
    super(size);
  }
}
