/**
 * Map a JSON path from the schema registry (`$.templates[0].nodes[1].repeat_number`) back to the
 * YAML node it came from, so scenario errors point at file:line:column.
 */
import type { Document, LineCounter, Node } from 'yaml';
import { yaml } from '../core/lazy-packages.ts';

export type PathSegment = string | number;

/** Parse the registry's path syntax: `$`, `.name`, `[3]`, `["odd key"]`. */
export function parseJsonPath(path: string): PathSegment[] {
  const out: PathSegment[] = [];
  let i = path.startsWith('$') ? 1 : 0;
  while (i < path.length) {
    if (path[i] === '.') {
      const m = /^[A-Za-z_$][\w$]*/.exec(path.slice(i + 1));
      if (!m) break;
      out.push(m[0]);
      i += 1 + m[0].length;
    } else if (path[i] === '[') {
      const rest = path.slice(i);
      const num = /^\[(\d+)\]/.exec(rest);
      if (num) {
        out.push(Number(num[1]));
        i += num[0].length;
        continue;
      }
      const str = /^\[("(?:[^"\\]|\\.)*")\]/.exec(rest);
      if (!str) break;
      out.push(JSON.parse(str[1]!) as string);
      i += str[0].length;
    } else break;
  }
  return out;
}

/** `templates[0].nodes[1].repeat_number` (no leading `$.`), for messages. */
export function formatPath(segments: readonly PathSegment[]): string {
  let out = '';
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(s)) out += out ? `.${s}` : s;
    else out += `[${JSON.stringify(s)}]`;
  }
  return out || '(root)';
}

export interface Position {
  line: number;
  col: number;
}

/**
 * Position of the deepest YAML node along `segments`. When the last segment names a key that
 * exists (an unknown key, say) the *key* is pointed at; when it does not exist (a missing
 * required key) the enclosing mapping is.
 */
export function positionOf(
  doc: Document,
  lineCounter: LineCounter,
  segments: readonly PathSegment[],
): Position {
  const { isMap, isSeq, isScalar } = yaml();
  let node: unknown = doc.contents;
  let offset = (doc.contents as Node | null)?.range?.[0] ?? 0;
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i]!;
    const last = i === segments.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === seg);
      if (!pair) break;
      const keyNode = pair.key as Node | null;
      const valueNode = pair.value as Node | null;
      // Point at the key itself for the last segment: "the offending key".
      offset =
        last && keyNode?.range ? keyNode.range[0] : (valueNode?.range?.[0] ?? keyNode?.range?.[0] ?? offset);
      node = valueNode;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg] as Node | undefined;
      if (!item) break;
      offset = item.range?.[0] ?? offset;
      node = item;
    } else break;
  }
  return lineCounter.linePos(offset);
}
