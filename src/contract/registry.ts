/**
 * The contract: every JSON Schema under schemas/, loaded and compiled once (ajv, draft 2020-12,
 * strict, allErrors). `validate(name, value)` answers ok, or errors with a JSON path and an
 * English message. Names are file names without `.schema.json` (e.g. `custom-api-node-push`).
 *
 * Two compilations of the same schemas: a fast one (allErrors off, not verbose) that stops at the
 * first problem and answers valid values — the hot path, every generated payload — and the full
 * one (allErrors, verbose), compiled on the first invalid value of a schema, that re-checks an
 * invalid value to report every problem. Both are strict, so a bad schema fails at creation.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

export const SCHEMA_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'schemas');

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
}

const addFormats = addFormatsModule as unknown as { default: (ajv: Ajv2020) => void };

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

/** Keywords whose value is a schema, a list of schemas, or a map of names to schemas. */
const SCHEMA_VALUED = new Set([
  'items',
  'additionalItems',
  'additionalProperties',
  'contains',
  'not',
  'if',
  'then',
  'else',
  'propertyNames',
  'unevaluatedItems',
  'unevaluatedProperties',
]);
const SCHEMA_LISTS = new Set(['prefixItems', 'allOf', 'anyOf', 'oneOf']);
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas']);

/**
 * The schema the fast validator compiles: the same constraints, in a form ajv checks faster. ajv
 * checks `additionalProperties: false` on an object with more than 8 `properties` with a
 * hasOwnProperty call per key; `propertyNames: {enum: [...the property names]}` accepts exactly
 * the same objects (when there are no `patternProperties` and nothing reads evaluated-property
 * annotations, which the caller checks) and compiles to inline string comparisons. Only the fast
 * validator sees this; the reporting validator keeps the original, so error reports are unchanged.
 */
function fastForm(node: unknown): unknown {
  if (Array.isArray(node) || node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
    if (SCHEMA_VALUED.has(k)) out[k] = fastForm(v);
    else if (SCHEMA_LISTS.has(k) && Array.isArray(v)) out[k] = v.map(fastForm);
    else if (SCHEMA_MAPS.has(k) && v !== null && typeof v === 'object' && !Array.isArray(v)) {
      out[k] = Object.fromEntries(
        Object.entries(v as Record<string, unknown>).map(([n, sub]) => [n, fastForm(sub)]),
      );
    } else out[k] = v;
  }
  const props = out.properties;
  if (
    out.additionalProperties === false &&
    props !== null &&
    typeof props === 'object' &&
    Object.keys(props).length > 8 &&
    out.patternProperties === undefined &&
    out.propertyNames === undefined
  ) {
    delete out.additionalProperties;
    out.propertyNames = { enum: Object.keys(props) };
  }
  return out;
}

let builds = 0;
/** How many times `schemas()` compiled the shared registry (tests check that it happens once). */
export function registryBuilds(): number {
  return builds;
}

/** The answer for a valid value (one shared, frozen object: the hot path allocates nothing). */
const VALID: ValidationResult = Object.freeze({ ok: true as const });

export function createSchemaRegistry(dir: string = SCHEMA_DIR): SchemaRegistry {
  // verbose (reporting validators): errors carry their parentSchema, used to name the definition
  // a pattern belongs to.
  // strictRequired off: `anyOf: [{required: [a]}, {required: [b]}]` ("give a or b") is standard
  // JSON Schema that it rejects; a misspelt required name still fails the schema's own examples.
  const makeAjv = (full: boolean): Ajv2020 => {
    const ajv = new Ajv2020({ strict: true, strictRequired: false, allErrors: full, verbose: full });
    addFormats.default(ajv);
    // `examples` is standard in 2020-12; these annotation keywords document vendor quirks.
    ajv.addKeyword({ keyword: 'x-fidelity' });
    ajv.addKeyword({ keyword: 'x-vendor-name' });
    return ajv;
  };
  const fast = makeAjv(false);
  let full: Ajv2020 | undefined;
  const docs = new Map<string, SchemaDocument>();
  const texts: string[] = [];
  for (const file of readdirSync(dir).sort()) {
    if (!file.endsWith('.schema.json')) continue;
    const text = readFileSync(join(dir, file), 'utf8');
    texts.push(text);
    docs.set(file.slice(0, -'.schema.json'.length), JSON.parse(text) as SchemaDocument);
  }
  // The rewrite is only exact when no schema reads evaluated-property annotations.
  const rewrite = !texts.some((t) => t.includes('"unevaluatedProperties"'));
  for (const doc of docs.values()) fast.addSchema((rewrite ? fastForm(doc) : doc) as SchemaDocument);
  const compiled = new Map<string, ValidateFunction>();
  for (const [name, doc] of docs) {
    const fn = fast.getSchema(doc.$id);
    if (!fn) throw new Error(`schema ${name} did not compile`);
    compiled.set(name, fn);
  }
  const reporting = new Map<string, ValidateFunction>();
  /** The allErrors + verbose validator of `name` (compiled on first need). */
  const reporter = (name: string): ValidateFunction => {
    let fn = reporting.get(name);
    if (!fn) {
      if (!full) {
        full = makeAjv(true);
        for (const doc of docs.values()) full.addSchema(doc);
      }
      fn = full.getSchema(docs.get(name)!.$id);
      if (!fn) throw new Error(`schema ${name} did not compile`);
      reporting.set(name, fn);
    }
    return fn;
  };
  return {
    names: () => [...docs.keys()],
    has: (name) => docs.has(name),
    schema(name) {
      const d = docs.get(name);
      if (!d) throw new Error(`unknown schema "${name}"`);
      return d;
    },
    validate(name, value) {
      const fn = compiled.get(name);
      if (!fn) throw new Error(`unknown schema "${name}" (known: ${[...docs.keys()].join(', ')})`);
      if (fn(value)) return VALID;
      // Invalid: re-run the reporting validator for the complete error list.
      const first = fn.errors ?? [];
      const all = reporter(name);
      return { ok: false, errors: summarise(all(value) ? first : (all.errors ?? first)) };
    },
  };
}

let shared: SchemaRegistry | undefined;
/** The process-wide registry over schemas/ (compiled on first use, then reused). */
export function schemas(): SchemaRegistry {
  if (!shared) {
    shared = createSchemaRegistry();
    builds += 1;
  }
  return shared;
}

/** Validate against the shared registry. */
export function validate(name: string, value: unknown): ValidationResult {
  return schemas().validate(name, value);
}
