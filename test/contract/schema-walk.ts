/**
 * Test helper: walks a schema's example side by side with the schema (following $refs through the
 * registry) and lists mutation cases: drop a required field, put a wrong type, put an unknown enum
 * value. Each case knows the JSON path the registry must report.
 */
import type { SchemaRegistry } from '../../src/contract/registry.ts';

type Schema = Record<string, unknown>;
type Path = (string | number)[];

export interface MutationCase {
  kind: 'required' | 'type' | 'enum';
  /** Path of the field as the registry prints it, e.g. `$.call.redial_call[0].call_id`. */
  path: string;
  apply(root: unknown): void;
}

export function jsonPath(path: Path): string {
  let out = '$';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(seg)) out += `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Resolves `$ref`s relative to the schema file they appear in; returns the schema and its file. */
function resolve(reg: SchemaRegistry, file: string, node: Schema): { node: Schema; file: string } {
  let cur = node;
  let curFile = file;
  while (typeof cur.$ref === 'string') {
    const m = /^(?:([a-z0-9-]+)\.schema\.json)?(?:#\/\$defs\/(\w+))?$/.exec(cur.$ref);
    if (!m) throw new Error(`test helper cannot follow $ref ${cur.$ref}`);
    if (m[1]) curFile = m[1];
    const doc = reg.schema(curFile) as Schema;
    cur = m[2] ? ((doc.$defs as Record<string, Schema>)[m[2]] as Schema) : doc;
  }
  return { node: cur, file: curFile };
}

function setAt(root: unknown, path: Path, value: unknown): void {
  let cur = root as Record<string | number, unknown>;
  for (const seg of path.slice(0, -1)) cur = cur[seg] as Record<string | number, unknown>;
  cur[path[path.length - 1]] = value;
}

function deleteAt(root: unknown, path: Path): void {
  let cur = root as Record<string | number, unknown>;
  for (const seg of path.slice(0, -1)) cur = cur[seg] as Record<string | number, unknown>;
  delete cur[path[path.length - 1]];
}

function wrongValue(schema: Schema): unknown {
  const t = schema.type;
  if (t === 'string') return 12345;
  if (t === 'integer' || t === 'number') return 'twelve';
  if (t === 'object') return 'not an object';
  if (t === 'array') return { not: 'an array' };
  if (t === 'null') return 0;
  if ('const' in schema) return typeof schema.const === 'number' ? String(schema.const) : 0;
  if (Array.isArray(schema.enum)) return { not: 'a scalar' };
  return undefined;
}

export function mutationCases(reg: SchemaRegistry, name: string, example: unknown): MutationCase[] {
  const cases: MutationCase[] = [];
  const visit = (value: unknown, schemaIn: Schema, fileIn: string, path: Path) => {
    const { node, file } = resolve(reg, fileIn, schemaIn);
    if (Array.isArray(node.anyOf)) {
      // Descend into the branch whose keys fit the example value (taskdetail rows).
      const branch = (node.anyOf as Schema[]).find((b) => {
        const r = resolve(reg, file, b).node;
        if (!isObj(value) || !isObj(r.properties)) return false;
        const req = (r.required as string[]) ?? [];
        return req.every((k) => k in value) && Object.keys(value).every((k) => k in (r.properties as Schema));
      });
      if (branch) visit(value, branch, file, path);
      return;
    }
    if (path.length > 0) {
      const wrong = wrongValue(node);
      if (wrong !== undefined)
        cases.push({ kind: 'type', path: jsonPath(path), apply: (r) => setAt(r, path, wrong) });
      if (Array.isArray(node.enum))
        cases.push({
          kind: 'enum',
          path: jsonPath(path),
          apply: (r) => setAt(r, path, '__not_a_vendor_value__'),
        });
    }
    if (isObj(value)) {
      const props = (isObj(node.properties) ? node.properties : {}) as Record<string, Schema>;
      for (const key of (node.required as string[] | undefined) ?? []) {
        if (key in value)
          cases.push({
            kind: 'required',
            path: jsonPath([...path, key]),
            apply: (r) => deleteAt(r, [...path, key]),
          });
      }
      for (const [key, child] of Object.entries(value)) {
        const sub =
          props[key] ??
          (isObj(node.additionalProperties) ? (node.additionalProperties as Schema) : undefined);
        if (sub) visit(child, sub, file, [...path, key]);
      }
    } else if (Array.isArray(value) && isObj(node.items) && value.length > 0) {
      visit(value[0], node.items as Schema, file, [...path, 0]);
    }
  };
  visit(example, reg.schema(name) as Schema, name, []);
  return cases;
}
