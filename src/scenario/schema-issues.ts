/**
 * A schema's errors as a person reads them, the same for every input checked against one of our
 * schemas — scenario files, `serve --config` files and the library's option objects: ajv's
 * branch noise merged (`tidy`), and an unknown key named with the closest known one,
 * `unknown key "retryInterval" in delivery (did you mean retryIntervalMs?)`. The caller adds
 * `file:line:col` where there is a file.
 */
import { schemas, type SchemaDocument } from '../contract/registry.ts';
import { closest } from '../core/suggest.ts';
import { formatPath, parseJsonPath, type PathSegment } from './positions.ts';

/**
 * Merge ajv's branch noise: "must be of type number" + "must be of type object" at one path
 * become "must be number or object"; "must match a schema in anyOf" / "must match \"then\"
 * schema" summaries are dropped when a more precise issue exists at or under the same path.
 */
export function tidy(errors: { path: string; message: string }[]): { path: string; message: string }[] {
  const out: { path: string; message: string }[] = [];
  const types = new Map<string, string[]>();
  for (const e of errors) {
    const m = /^must be of type (\w+)$/.exec(e.message);
    if (m) {
      const list = types.get(e.path);
      if (list) list.push(m[1]!);
      else {
        types.set(e.path, [m[1]!]);
        out.push(e);
      }
      continue;
    }
    out.push(e);
  }
  for (const e of out) {
    const list = types.get(e.path);
    if (list && /^must be of type/.test(e.message)) e.message = `must be ${list.join(' or ')}`;
  }
  const summary =
    /^(must match (a schema in anyOf|exactly one schema in oneOf|"then" schema|"else" schema)|does not match any of the allowed shapes.*)$/;
  return out.filter(
    (e) =>
      !summary.test(e.message) ||
      !out.some(
        (o) =>
          o !== e &&
          !summary.test(o.message) &&
          (o.path === e.path || o.path.startsWith(e.path + '.') || o.path.startsWith(e.path + '[')),
      ),
  );
}

/** One problem: where (`segments`) and what. */
export interface SchemaProblem {
  segments: PathSegment[];
  message: string;
  /** The message names the key itself (`unknown key "x" in y`): shown without the path. */
  bare?: boolean;
}

/** `delivery.maxRetries must be <= 100`, or a bare message as it is. */
export function problemText(p: SchemaProblem): string {
  return p.bare ? p.message : `${formatPath(p.segments)} ${p.message}`;
}

export interface DescribeOptions {
  /**
   * What a value failing a `pattern` must be, by dotted path (`clock`): "must be real |
   * scaled:<n> …" reads better than the regular expression.
   */
  patternHints?: Record<string, string>;
}

type SchemaNode = {
  $ref?: string;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  anyOf?: SchemaNode[];
  oneOf?: SchemaNode[];
  allOf?: SchemaNode[];
};

/** The node a local `$ref` (`#/$defs/delivery`) points at, else the node. */
function deref(root: SchemaNode, node: SchemaNode | undefined): SchemaNode | undefined {
  let n = node;
  for (let hops = 0; n?.$ref?.startsWith('#/') && hops < 16; hops++) {
    let target: unknown = root;
    for (const part of n.$ref.slice(2).split('/')) target = (target as Record<string, unknown>)?.[part];
    n = target as SchemaNode | undefined;
  }
  return n;
}

/** The nodes a value at this node may match: the node and its anyOf / oneOf / allOf branches. */
function branches(root: SchemaNode, node: SchemaNode | undefined): SchemaNode[] {
  const n = deref(root, node);
  if (!n) return [];
  return [
    n,
    ...[...(n.anyOf ?? []), ...(n.oneOf ?? []), ...(n.allOf ?? [])].flatMap((b) => branches(root, b)),
  ];
}

/** The property names the schema allows at `segments` (for "did you mean"). */
function keysAt(root: SchemaNode, segments: readonly PathSegment[]): string[] {
  let nodes = branches(root, root);
  for (const s of segments) {
    nodes = nodes.flatMap((n) => branches(root, typeof s === 'number' ? n.items : n.properties?.[s]));
  }
  return [...new Set(nodes.flatMap((n) => Object.keys(n.properties ?? {})))];
}

function valueAt(value: unknown, segments: readonly PathSegment[]): unknown {
  let v = value;
  for (const s of segments) v = (v as Record<string | number, unknown> | null | undefined)?.[s];
  return v;
}

/**
 * The registry's errors for `value` against the schema `schemaName`, tidied, unknown keys with
 * a suggestion. A misspelt required key is said once: `unknown key "appkey" (did you mean
 * appKey?)` makes `appKey is required` redundant.
 */
export function describeSchemaErrors(
  schemaName: string,
  value: unknown,
  errors: { path: string; message: string }[],
  opts: DescribeOptions = {},
): SchemaProblem[] {
  const schema = schemas().schema(schemaName) as SchemaDocument & SchemaNode;
  const suggested = new Set<string>();
  const described = tidy(errors).map((e) => {
    const segments = parseJsonPath(e.path);
    const unknown = /^is not an allowed property \("(.*)"\)$/.exec(e.message);
    if (!unknown) return { segments, message: e.message };
    const parent = segments.slice(0, -1);
    const suggestion = closest(unknown[1]!, keysAt(schema, parent));
    if (suggestion !== undefined) suggested.add(formatPath([...parent, suggestion]));
    const where = parent.length > 0 ? ` in ${formatPath(parent)}` : '';
    const hint = suggestion === undefined ? '' : ` (did you mean ${suggestion}?)`;
    return { segments, message: `unknown key "${unknown[1]!}"${where}${hint}`, bare: true };
  });
  return described.flatMap((p): SchemaProblem[] => {
    if (p.bare) return [p];
    const path = formatPath(p.segments);
    if (p.message.startsWith('is required') && suggested.has(path)) return [];
    const hint = opts.patternHints?.[path];
    if (hint !== undefined && p.message.startsWith('must match the pattern')) {
      return [{ ...p, message: `must be ${hint} (got ${JSON.stringify(valueAt(value, p.segments))})` }];
    }
    return [p];
  });
}
