/**
 * Field overrides for a callback sent on demand: `path=value` with dotted and indexed paths
 * (`call.intention=PTP`, `details[0].ring_type=busy`), the value parsed as JSON when it parses
 * (numbers, true, null, objects, quoted strings) and taken as text otherwise. One parser for the
 * CLI's `--set`, the dashboard's lines and the admin API / library `set`.
 */
import { VendorError } from '../core/vendor-errors.ts';

export type PathSegment = string | number;

const bad = (message: string): VendorError => new VendorError('badRequest', message);

/** `a.b[0].c` → ['a', 'b', 0, 'c']; a 400 saying where the syntax breaks. */
export function parsePath(path: string): PathSegment[] {
  const out: PathSegment[] = [];
  const fail = (at: number, what: string): never => {
    throw bad(
      `send: bad path "${path}" at character ${at + 1}: ${what} (write e.g. call.intention or details[0].ring_type)`,
    );
  };
  let i = 0;
  let expectName = true;
  while (i < path.length || expectName) {
    if (expectName) {
      const m = /^[^.[\]]+/.exec(path.slice(i));
      if (!m) fail(i, 'expected a field name');
      if (['__proto__', 'constructor', 'prototype'].includes(m![0])) fail(i, `"${m![0]}" is not a field`);
      out.push(m![0]);
      i += m![0].length;
      expectName = false;
    } else if (path[i] === '.') {
      i++;
      expectName = true;
    } else if (path[i] === '[') {
      const m = /^\[(\d+)\]/.exec(path.slice(i));
      if (!m) fail(i, 'expected [<index>] with a non-negative integer index');
      out.push(Number(m![1]));
      i += m![0].length;
    } else {
      fail(i, `unexpected "${path[i]}"`);
    }
  }
  return out;
}

/** `path=value` → [path, value]: the value as JSON when it parses, else as text. */
export function parseAssignment(text: string): [string, unknown] {
  const eq = text.indexOf('=');
  if (eq <= 0) throw bad(`send: override "${text}": expected path=value (e.g. call.intention=PTP)`);
  const path = text.slice(0, eq).trim();
  const raw = text.slice(eq + 1);
  parsePath(path);
  try {
    return [path, JSON.parse(raw)];
  } catch {
    return [path, raw];
  }
}

/** `set` as given (an object of path → value, or `path=value` lines) → path → value, paths checked. */
export function normalizeSet(set: unknown): Record<string, unknown> {
  if (set === undefined || set === null) return {};
  const out: Record<string, unknown> = {};
  if (Array.isArray(set)) {
    for (const line of set) {
      if (typeof line !== 'string') throw bad('send: set lines must be "path=value" strings');
      const [path, value] = parseAssignment(line);
      out[path] = value;
    }
    return out;
  }
  if (typeof set !== 'object') {
    throw bad('send: set must be an object {path: value} or a list of "path=value" lines');
  }
  for (const [path, value] of Object.entries(set)) {
    parsePath(path);
    out[path] = value;
  }
  return out;
}

const show = (segs: PathSegment[]): string =>
  segs.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('') || '(the payload)';

/** A copy of `payload` with every override applied in order (missing objects are created). */
export function applyOverrides<T>(payload: T, set: Record<string, unknown>): T {
  const root = structuredClone(payload) as unknown;
  for (const [path, value] of Object.entries(set)) setAt(root, parsePath(path), structuredClone(value), path);
  return root as T;
}

function setAt(root: unknown, segs: PathSegment[], value: unknown, path: string): void {
  let node = root;
  for (let k = 0; k < segs.length; k++) {
    const seg = segs[k]!;
    const here = show(segs.slice(0, k));
    if (typeof seg === 'number') {
      if (!Array.isArray(node)) throw bad(`send: cannot set "${path}": ${here} is not a list`);
      if (seg > node.length) {
        throw bad(
          `send: cannot set "${path}": ${here} has ${node.length} items (index ${seg} is past the end)`,
        );
      }
    } else if (typeof node !== 'object' || node === null || Array.isArray(node)) {
      throw bad(`send: cannot set "${path}": ${here} is not an object`);
    }
    const container = node as Record<PathSegment, unknown>;
    if (k === segs.length - 1) {
      container[seg] = value;
      return;
    }
    if (container[seg] === undefined || container[seg] === null) {
      container[seg] = typeof segs[k + 1] === 'number' ? [] : {};
    }
    node = container[seg];
  }
}
