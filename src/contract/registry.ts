/**
 * The contract: every JSON Schema under schemas/, loaded and compiled once (ajv, draft 2020-12,
 * strict, allErrors). `validate(name, value)` answers ok, or errors with a JSON path and an
 * English message. Names are file names without `.schema.json` (e.g. `custom-api-node-push`).
 *
 * Two compilations of the same schemas: a fast one (allErrors off, not verbose, references
 * inlined) that stops at the first problem and answers valid values — the hot path, every
 * generated payload — and the full one (allErrors, verbose), compiled on the first invalid value
 * of a schema, that re-checks an invalid value to report every problem. Both are strict, so a
 * bad schema fails at creation.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { SCHEMA_DIR } from '../assets.ts';

export { SCHEMA_DIR };

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

/** Annotation keywords: dropped where an inlined `$ref` sits beside them (they assert nothing). */
const ANNOTATIONS = new Set(['title', 'description', 'examples', 'x-fidelity', 'x-vendor-name', '$comment']);

/** Keywords whose value is data, not a schema: copied as they are. */
const DATA_VALUED = new Set(['enum', 'const', 'examples', 'default']);

/** The schema a JSON pointer (`/$defs/hexId`) names inside `doc`. */
function atPointer(doc: unknown, pointer: string): unknown {
  let node = doc;
  for (const raw of pointer.split('/').slice(1)) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    node = (node as Record<string, unknown> | undefined)?.[key];
  }
  return node;
}

/**
 * `doc` with every `$ref` replaced by a copy of the schema it names (resolved against the
 * document it appears in), for the fast validator. ajv compiles a `$ref` whose target holds a
 * `$ref` of its own as a call to a separate function, and on the success path each call builds
 * an options object and concatenates the item's instance path (`/call/asr_result/3`): per array
 * item of every payload. Inlined, the whole message is one function with no per-item calls. A
 * reference cycle is left as an absolute `$ref` (none of the schemas has one today).
 */
function inlineRefs(doc: SchemaDocument, byId: Map<string, SchemaDocument>): SchemaDocument {
  const walk = (node: unknown, base: string, stack: string[]): unknown => {
    if (Array.isArray(node)) return node.map((n) => walk(n, base, stack));
    if (node === null || typeof node !== 'object') return node;
    const obj = node as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(obj)) {
      if (k !== '$ref') out[k] = DATA_VALUED.has(k) ? v : walk(v, base, stack);
    }
    if (typeof obj.$ref !== 'string') return out;
    const abs = new URL(obj.$ref, base).href;
    const hash = abs.indexOf('#');
    const file = hash < 0 ? abs : abs.slice(0, hash);
    const target = byId.get(file);
    const resolved = target && atPointer(target, hash < 0 ? '' : abs.slice(hash + 1));
    if (resolved === undefined || stack.includes(abs)) {
      out.$ref = abs;
      return out;
    }
    const inlined = walk(resolved, file, [...stack, abs]) as Record<string, unknown>;
    // A whole document's identity and definitions stay with the document, not the copy.
    delete inlined.$id;
    delete inlined.$schema;
    delete inlined.$defs;
    const rest = Object.keys(out).filter((k) => !ANNOTATIONS.has(k));
    return rest.length === 0 ? inlined : { ...out, allOf: [...((out.allOf as unknown[]) ?? []), inlined] };
  };
  return walk(doc, doc.$id, []) as SchemaDocument;
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
  // Inlining is exact when no schema resolves references dynamically or by anchor name.
  const inline = !texts.some((t) => t.includes('"$dynamicRef"') || t.includes('"$anchor"'));
  const byId = new Map([...docs.values()].map((d) => [d.$id, d]));
  for (const doc of docs.values()) {
    const fastDoc = inline ? inlineRefs(doc, byId) : doc;
    fast.addSchema((rewrite ? fastForm(fastDoc) : fastDoc) as SchemaDocument);
  }
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
