/**
 * The contract verification pack: every valid-but-tricky variant of each callback, built
 * deterministically from engine payloads (src/verify/base-payloads.ts) and the seed. Every variant
 * is checked against its own schema before it is handed out: a variant that fails its schema is a
 * bug in the pack, never something to throw at a user's endpoint.
 */
import { schemas, type SchemaRegistry, type ValidationIssue } from '../contract/registry.ts';
import { createFaker, deriveSeed } from '../core/random.ts';
import { CALLBACK_TYPES, type CallbackType } from '../contract/callbacks.ts';
import { loadBasePayloads, type BasePayloads } from './base-payloads.ts';
import { completionVariants, infoCheckVariants } from './variants-completion.ts';
import { chatbotVariants, listCompletionVariants, statusChangeVariants } from './variants-notices.ts';
import { pushVariants } from './variants-push.ts';
import type { Variant, VariantContext, VariantSpec } from './variant-types.ts';

export type { Variant, VariantContext, VariantSpec };

export { CALLBACK_TYPES };

const BUILDERS: Record<CallbackType, (ctx: VariantContext) => VariantSpec[]> = {
  'custom-api-node-push': pushVariants,
  'call-completion-info-check': infoCheckVariants,
  'call-completion': completionVariants,
  'list-completion': listCompletionVariants,
  'workflow-status-change': statusChangeVariants,
  'chatbot-session-end': chatbotVariants,
};

export const DEFAULT_VERIFY_SEED = 1;
/** Faker's reference date: fixed, so generated dates do not follow the host clock. */
const REF_DATE_MS = Date.UTC(2024, 2, 11);

export class VariantBugError extends Error {
  readonly variant: string;
  readonly errors: ValidationIssue[];
  constructor(variant: string, errors: ValidationIssue[]) {
    super(
      `verification pack bug: variant ${variant} does not match its own schema: ${errors
        .slice(0, 5)
        .map((e) => `${e.path} ${e.message}`)
        .join('; ')}`,
    );
    this.name = 'VariantBugError';
    this.variant = variant;
    this.errors = errors;
  }
}

export interface BuildVariantsOptions {
  seed?: number;
  /** Only these callback types (default all six). */
  types?: readonly CallbackType[];
  registry?: SchemaRegistry;
  /** Base payloads (default: simulated from the shipped scenarios with the seed). */
  bases?: BasePayloads;
}

/** The exact bytes a variant is sent as. */
export function variantBody(v: Variant): string {
  return v.body ?? JSON.stringify(v.payload);
}

export function buildVariants(opts: BuildVariantsOptions = {}): Variant[] {
  const seed = opts.seed ?? DEFAULT_VERIFY_SEED;
  const registry = opts.registry ?? schemas();
  const bases = opts.bases ?? loadBasePayloads(seed, registry);
  const types = opts.types ?? CALLBACK_TYPES;
  const out: Variant[] = [];
  const names = new Set<string>();
  for (const type of CALLBACK_TYPES) {
    if (!types.includes(type)) continue;
    const faker = createFaker(deriveSeed(seed, `verify:${type}`), REF_DATE_MS, 'en_US');
    for (const spec of BUILDERS[type]({ bases, faker })) {
      const name = `${type}/${spec.slug}`;
      if (names.has(name)) throw new Error(`verification pack bug: duplicate variant name ${name}`);
      names.add(name);
      const payload = spec.payload as Record<string, unknown>;
      const checked = registry.validate(type, payload);
      if (!checked.ok) throw new VariantBugError(name, checked.errors);
      out.push({
        name,
        type,
        tricky: spec.tricky,
        valid: spec.valid,
        payload,
        ...(spec.body !== undefined ? { body: spec.body } : {}),
      });
    }
  }
  return out;
}
