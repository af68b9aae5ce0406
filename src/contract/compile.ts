/**
 * Compiling the schemas with ajv: what scripts/gen-validators.ts turns into the standalone
 * validators under src/generated/validators/, and `createSchemaRegistry(dir)`, a registry over any
 * folder of schemas compiled at run time (tests, and the reference the generated code is checked
 * against). The emulator itself never compiles: it loads the generated code (registry.ts).
 *
 * ajv is loaded on first use, synchronously (it is CommonJS), so importing this module costs
 * nothing until a registry is compiled.
 *
 * Two compilations of the same schemas: a fast one (allErrors off, not verbose, references
 * inlined, `fastForm`) that stops at the first problem and answers valid values — the hot path,
 * every generated payload — and the full one (allErrors, verbose) that re-checks an invalid value
 * to report every problem. Both are strict, so a bad schema fails at creation.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Ajv2020, Options } from 'ajv/dist/2020.js';
import { SCHEMA_DIR } from '../assets.ts';
import { registryOver, type CheckFunction, type SchemaDocument, type SchemaRegistry } from './report.ts';

const requireHere = createRequire(import.meta.url);

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

/** `node` with `f` applied to every subschema it holds (one level down; `f` recurses). */
function mapSubschemas(node: Record<string, unknown>, f: (sub: unknown) => unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    if (SCHEMA_VALUED.has(k)) out[k] = f(v);
    else if (SCHEMA_LISTS.has(k) && Array.isArray(v)) out[k] = v.map(f);
    else if (SCHEMA_MAPS.has(k) && v !== null && typeof v === 'object' && !Array.isArray(v)) {
      out[k] = Object.fromEntries(
        Object.entries(v as Record<string, unknown>).map(([n, sub]) => [n, f(sub)]),
      );
    } else out[k] = v;
  }
  return out;
}

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
  const out = mapSubschemas(node as Record<string, unknown>, fastForm);
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

/** Annotation keywords: they assert nothing. */
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

/**
 * `node` without the annotations no error report reads (descriptions, examples, vendor notes).
 * Titles stay: they name a failed pattern's definition (a verbose error's `parentSchema`, report.ts).
 */
function withoutAnnotations(node: unknown): unknown {
  if (Array.isArray(node) || node === null || typeof node !== 'object') return node;
  const out = mapSubschemas(node as Record<string, unknown>, withoutAnnotations);
  for (const k of ANNOTATIONS) if (k !== 'title') delete out[k];
  return out;
}

/** Every `*.schema.json` of `dir` by name (the file name without `.schema.json`), in name order. */
export function loadSchemaDir(dir: string): Map<string, SchemaDocument> {
  const docs = new Map<string, SchemaDocument>();
  for (const file of readdirSync(dir).sort()) {
    if (!file.endsWith('.schema.json')) continue;
    const doc = JSON.parse(readFileSync(join(dir, file), 'utf8')) as SchemaDocument;
    docs.set(file.slice(0, -'.schema.json'.length), doc);
  }
  return docs;
}

/**
 * Schemas compiled for size rather than speed: scenario files are validated once each, when a
 * file is loaded, never per payload. Inlined (by `inlineRefs` here and by ajv's own `inlineRefs`)
 * the scenario schema's 87 references make a 430 KB validator that costs ~40 ms to load and
 * compile in every `serve` (it checks the shipped scenarios at start); as calls, 175 KB and a few
 * ms. Compiled as written, with ajv's `inlineRefs` off, in both modes.
 */
const COMPACT = new Set(['scenario']);

/** How to compile one schema's validator: the ajv options and the documents to add. */
export interface Compilation {
  /** allErrors + verbose (the reporting validator) or not (the fast one). */
  full: boolean;
  /** ajv options on top of `makeAjv`'s. */
  options: Options;
  /** Every document, by name, to add to the ajv instance (the schema compiled is one of them). */
  docs: Map<string, SchemaDocument>;
  /**
   * Compilations with the same key have the same options and documents: one ajv instance can
   * compile them all.
   */
  key: string;
}

/**
 * The plan for each validator: `plan(name, full)`. The fast validators of payload schemas compile
 * rewritten documents (`fastForm`, references inlined); the reporting ones and every `COMPACT`
 * schema compile the documents as written.
 */
export function compilations(
  docs: Map<string, SchemaDocument>,
): (name: string, full: boolean) => Compilation {
  const texts = [...docs.values()].map((d) => JSON.stringify(d));
  // The rewrite is only exact when no schema reads evaluated-property annotations.
  const rewrite = !texts.some((t) => t.includes('"unevaluatedProperties"'));
  // Inlining is exact when no schema resolves references dynamically or by anchor name.
  const inline = !texts.some((t) => t.includes('"$dynamicRef"') || t.includes('"$anchor"'));
  const byId = new Map([...docs.values()].map((d) => [d.$id, d]));
  let fastDocs: Map<string, SchemaDocument> | undefined;
  const fast = () => {
    if (!fastDocs) {
      fastDocs = new Map();
      for (const [name, doc] of docs) {
        const fastDoc = inline ? inlineRefs(doc, byId) : doc;
        fastDocs.set(name, (rewrite ? fastForm(fastDoc) : fastDoc) as SchemaDocument);
      }
    }
    return fastDocs;
  };
  return (name, full) => {
    if (!docs.has(name)) throw new Error(`unknown schema "${name}"`);
    const mode = full ? 'full' : 'fast';
    if (COMPACT.has(name)) return { full, options: { inlineRefs: false }, docs, key: `${mode}-compact` };
    return { full, options: {}, docs: full ? docs : fast(), key: mode };
  };
}

/**
 * `docs` without the annotations no validator reads, for the generated code: ajv embeds a schema
 * it compiles as a constant (errors point into it), so this keeps the generated files small.
 */
export function stripAnnotations(docs: Map<string, SchemaDocument>): Map<string, SchemaDocument> {
  return new Map([...docs].map(([name, doc]) => [name, withoutAnnotations(doc) as SchemaDocument]));
}

/**
 * An ajv instance as both validators use it. `full`: allErrors and verbose (errors carry their
 * parentSchema, which names the definition a pattern belongs to). strictRequired off:
 * `anyOf: [{required: [a]}, {required: [b]}]` ("give a or b") is standard JSON Schema that it
 * rejects; a misspelt required name still fails the schema's own examples. `extra` adds options
 * (the generator's `code`).
 */
export function makeAjv(full: boolean, extra: Options = {}): Ajv2020 {
  const { Ajv2020: AjvClass } = requireHere('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js');
  const addFormats = requireHere('ajv-formats') as { default: (ajv: Ajv2020) => void };
  const ajv = new AjvClass({
    strict: true,
    strictRequired: false,
    allErrors: full,
    verbose: full,
    ...extra,
  });
  addFormats.default(ajv);
  // `examples` is standard in 2020-12; these annotation keywords document vendor quirks.
  ajv.addKeyword({ keyword: 'x-fidelity' });
  ajv.addKeyword({ keyword: 'x-vendor-name' });
  return ajv;
}

/**
 * A registry over the schemas of `dir`, compiled now with ajv (the fast validators at once, so a
 * bad schema fails here; the reporting ones on the first invalid value). The emulator's own
 * schemas ship precompiled: see `schemas()` in registry.ts.
 */
export function createSchemaRegistry(dir: string = SCHEMA_DIR): SchemaRegistry {
  const docs = loadSchemaDir(dir);
  const plan = compilations(docs);
  const instances = new Map<string, Ajv2020>();
  const compile = (name: string, full: boolean): CheckFunction => {
    const c = plan(name, full);
    let ajv = instances.get(c.key);
    if (!ajv) {
      ajv = makeAjv(c.full, c.options);
      for (const doc of c.docs.values()) ajv.addSchema(doc);
      instances.set(c.key, ajv);
    }
    const fn = ajv.getSchema(docs.get(name)!.$id);
    if (!fn) throw new Error(`schema ${name} did not compile`);
    return fn;
  };
  // The fast validators now, so a bad schema fails here; the reporting ones on first need.
  const compiled = new Map([...docs.keys()].map((name) => [name, compile(name, false)]));
  return registryOver({
    names: [...docs.keys()],
    doc: (name) => docs.get(name)!,
    fast: (name) => compiled.get(name)!,
    full: (name) => compile(name, true),
  });
}
