/**
 * What a schema check answers, shared by the precompiled registry (src/contract/registry.ts) and
 * the one that compiles at run time (src/contract/compile.ts): the result types, and ajv's errors
 * turned into JSON paths and English messages. Imports nothing from ajv but its types.
 */
import type { ErrorObject } from 'ajv/dist/2020.js';
import type { MessageName, MessageOf } from './messages.ts';

export interface ValidationIssue {
  /** JSON path of the offending value, `$` for the root (e.g. `$.call.redial_call[0].call_id`). */
  path: string;
  message: string;
}

export type ValidationResult = { ok: true } | { ok: false; errors: ValidationIssue[] };

export interface SchemaDocument {
  $id: string;
  title: string;
  description?: string;
  examples?: unknown[];
  [k: string]: unknown;
}

export interface SchemaRegistry {
  names(): string[];
  schema(name: string): SchemaDocument;
  has(name: string): boolean;
  validate(name: string, value: unknown): ValidationResult;
  /**
   * `validate(name, value).ok` as a type guard: true narrows `value` to the generated type of
   * `name`. Only the fast check runs (no error list is built).
   */
  isValid<N extends MessageName>(name: N, value: unknown): value is MessageOf<N>;
}

/**
 * A validation function as ajv compiles it and as its standalone code exports it: true or false,
 * with the errors of the last call on `errors`.
 */
export interface CheckFunction {
  (value: unknown): boolean;
  errors?: ErrorObject[] | null;
}

/** The answer for a valid value (one shared, frozen object: the hot path allocates nothing). */
export const VALID: ValidationResult = Object.freeze({ ok: true as const });

function toPath(instancePath: string, extra?: string): string {
  let out = '$';
  const segments = instancePath === '' ? [] : instancePath.slice(1).split('/');
  if (extra !== undefined) segments.push(extra);
  for (const raw of segments) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (/^\d+$/.test(seg)) out += `[${seg}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(seg)) out += `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

function describe(e: ErrorObject): ValidationIssue {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return {
        path: toPath(e.instancePath, String(p.missingProperty)),
        message: `is required (missing property "${String(p.missingProperty)}")`,
      };
    case 'additionalProperties':
      return {
        path: toPath(e.instancePath, String(p.additionalProperty)),
        message: `is not an allowed property ("${String(p.additionalProperty)}")`,
      };
    case 'enum':
      return {
        path: toPath(e.instancePath),
        message: `must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`,
      };
    case 'type':
      return { path: toPath(e.instancePath), message: `must be of type ${String(p.type)}` };
    case 'pattern': {
      // Name the shared definition (VendorTime, PhoneNumber, ...) so the message reads as English.
      const title = (e.parentSchema as { title?: unknown } | undefined)?.title;
      const what = typeof title === 'string' ? ` (${title})` : '';
      return { path: toPath(e.instancePath), message: `must match the pattern ${String(p.pattern)}${what}` };
    }
    case 'not':
      return { path: toPath(e.instancePath), message: 'has a value that is not allowed here' };
    case 'anyOf':
    case 'oneOf':
      return {
        path: toPath(e.instancePath),
        message: 'does not match any of the allowed shapes (see the errors above)',
      };
    case 'const':
      return { path: toPath(e.instancePath), message: `must equal ${JSON.stringify(p.allowedValue)}` };
    default:
      return { path: toPath(e.instancePath), message: e.message ?? e.keyword };
  }
}

/** Collapse ajv's per-branch noise (anyOf/oneOf emit one error per branch plus a summary). */
function summarise(errors: ErrorObject[]): ValidationIssue[] {
  const seen = new Set<string>();
  const out: ValidationIssue[] = [];
  for (const e of errors) {
    const issue = describe(e);
    const key = `${issue.path}\u0000${issue.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(issue);
  }
  return out;
}

/**
 * Check `value` with the fast validator (allErrors off: stops at the first problem, answers valid
 * values) and, when it fails, re-check with the reporting one (allErrors, verbose) for the
 * complete error list.
 */
export function check(fast: CheckFunction, reporter: () => CheckFunction, value: unknown): ValidationResult {
  if (fast(value)) return VALID;
  const first = fast.errors ?? [];
  const all = reporter();
  return { ok: false, errors: summarise(all(value) ? first : (all.errors ?? first)) };
}

/** Where a registry gets each schema's document and validators (each asked once per name). */
export interface RegistrySource {
  names: readonly string[];
  doc(name: string): SchemaDocument;
  fast(name: string): CheckFunction;
  full(name: string): CheckFunction;
}

/** The one registry shape over a source: names, documents and validators memoised per name. */
export function registryOver(src: RegistrySource): SchemaRegistry {
  const known = new Set(src.names);
  const memo = <T>(get: (name: string) => T): ((name: string) => T) => {
    const cache = new Map<string, T>();
    return (name) => {
      let v = cache.get(name);
      if (v === undefined) cache.set(name, (v = get(name)));
      return v;
    };
  };
  const doc = memo(src.doc);
  const fast = memo(src.fast);
  const full = memo(src.full);
  return {
    names: () => [...src.names],
    has: (name) => known.has(name),
    schema(name) {
      if (!known.has(name)) throw new Error(`unknown schema "${name}"`);
      return doc(name);
    },
    validate(name, value) {
      if (!known.has(name)) throw new Error(`unknown schema "${name}" (known: ${src.names.join(', ')})`);
      return check(fast(name), () => full(name), value);
    },
    isValid<N extends MessageName>(name: N, value: unknown): value is MessageOf<N> {
      if (!known.has(name)) throw new Error(`unknown schema "${name}" (known: ${src.names.join(', ')})`);
      return fast(name)(value);
    },
  };
}
