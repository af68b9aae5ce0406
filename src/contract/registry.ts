/**
 * The contract: every JSON Schema under schemas/, loaded and compiled once (ajv, draft 2020-12,
 * strict, allErrors). `validate(name, value)` answers ok, or errors with a JSON path and an
 * English message. Names are file names without `.schema.json` (e.g. `custom-api-node-push`).
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

let builds = 0;
/** How many times `schemas()` compiled the shared registry (tests check that it happens once). */
export function registryBuilds(): number {
  return builds;
}

export function createSchemaRegistry(dir: string = SCHEMA_DIR): SchemaRegistry {
  // verbose: errors carry their parentSchema, used to name the definition a pattern belongs to.
  // strictRequired off: `anyOf: [{required: [a]}, {required: [b]}]` ("give a or b") is standard
  // JSON Schema that it rejects; a misspelt required name still fails the schema's own examples.
  const ajv = new Ajv2020({ strict: true, strictRequired: false, allErrors: true, verbose: true });
  addFormats.default(ajv);
  // `examples` is standard in 2020-12; these annotation keywords document vendor quirks.
  ajv.addKeyword({ keyword: 'x-fidelity' });
  ajv.addKeyword({ keyword: 'x-vendor-name' });
  const docs = new Map<string, SchemaDocument>();
  for (const file of readdirSync(dir).sort()) {
    if (!file.endsWith('.schema.json')) continue;
    const doc = JSON.parse(readFileSync(join(dir, file), 'utf8')) as SchemaDocument;
    docs.set(file.slice(0, -'.schema.json'.length), doc);
    ajv.addSchema(doc);
  }
  const compiled = new Map<string, ValidateFunction>();
  for (const [name, doc] of docs) {
    const fn = ajv.getSchema(doc.$id);
    if (!fn) throw new Error(`schema ${name} did not compile`);
    compiled.set(name, fn);
  }
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
      if (fn(value)) return { ok: true };
      return { ok: false, errors: summarise(fn.errors ?? []) };
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
