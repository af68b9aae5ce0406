/**
 * The shapes of the verification pack (src/verify/variants.ts) that its builders
 * (variants-*.ts) share: a file of their own so the pack and its builders do not import each other.
 */
import type { Faker } from '@faker-js/faker';
import type { CallbackType } from '../contract/callbacks.ts';
import type { BasePayloads } from './base-payloads.ts';

export interface Variant {
  /** `<callback type>/<slug>`, unique in the pack. */
  name: string;
  type: CallbackType;
  /** What is tricky about it. */
  tricky: string;
  /** Why it is nevertheless valid (printed when an endpoint rejects it). */
  valid: string;
  payload: Record<string, unknown>;
  /**
   * The exact JSON text to send when it is not `JSON.stringify(payload)` (the vendor examples'
   * own layout, ASCII-escaped text). Always parses to `payload`.
   */
  body?: string;
}

/** What a builder returns: the type and full name are added by the pack. */
export interface VariantSpec {
  slug: string;
  tricky: string;
  valid: string;
  payload: object;
  body?: string;
}

export interface VariantContext {
  bases: BasePayloads;
  /** Seeded per callback type, so adding a variant to one type does not shift another. */
  faker: Faker;
}
