/**
 * Request bodies as a small model rather than JS objects, so the fuzzer can write what
 * `JSON.stringify` cannot: numerals past a double (`1e400`, 400 digits), `-0`, and keys such as
 * `__proto__` that a JS object literal would swallow.
 */
import fc from 'fast-check';

/** A JSON value to write: objects keep their entries (and their order) as given. */
export type Json =
  | null
  | boolean
  | number
  | string
  | { raw: string }
  | { ref: string }
  | { deep: number; kind: 'items' | 'entries' | 'proto' }
  | { repeat: number; of: Json }
  | { entries: [string, Json][] }
  | { items: Json[] };

/** A `{ref}` names a live value (a workflow id, a token…) looked up when the request is sent. */
export type Resolve = (ref: string) => Json;

export function write(v: Json, resolve: Resolve): string {
  if (v === null || typeof v !== 'object') return Object.is(v, -0) ? '-0' : JSON.stringify(v);
  if ('raw' in v) return v.raw;
  if ('ref' in v) return write(resolve(v.ref), resolve);
  if ('deep' in v) return deep(v.deep, v.kind);
  if ('repeat' in v) {
    const item = write(v.of, resolve);
    return `[${`${item},`.repeat(v.repeat - 1)}${item}]`;
  }
  if ('items' in v) return `[${v.items.map((x) => write(x, resolve)).join(',')}]`;
  return `{${v.entries.map(([k, x]) => `${JSON.stringify(k)}:${write(x, resolve)}`).join(',')}}`;
}

/** `depth` levels of nesting, written without recursion. */
function deep(depth: number, kind: 'items' | 'entries' | 'proto'): string {
  const open = kind === 'items' ? '[' : kind === 'entries' ? '{"a":' : '{"__proto__":';
  const close = kind === 'items' ? ']' : '}';
  return `${open.repeat(depth)}1${close.repeat(depth)}`;
}

/** A scalar as query-string text (objects and arrays as their JSON). */
export function text(v: Json, resolve: Resolve): string {
  if (typeof v === 'string') return v;
  if (v !== null && typeof v === 'object' && 'ref' in v) return text(resolve(v.ref), resolve);
  return write(v, resolve);
}

export const obj = (o: Record<string, Json>): Json => ({ entries: Object.entries(o) });

/** Replace (or add) one key of an object model. */
export function withKey(o: Json, key: string, value: Json): Json {
  if (o === null || typeof o !== 'object' || !('entries' in o)) return o;
  const entries = o.entries.filter(([k]) => k !== key);
  return { entries: [...entries, [key, value]] };
}

export function withoutKey(o: Json, key: string): Json {
  if (o === null || typeof o !== 'object' || !('entries' in o)) return o;
  return { entries: o.entries.filter(([k]) => k !== key) };
}

export const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf'];

/** Numbers at the edges: a double's ends, the Date range, -0, just past safe integers. */
export const EXTREME_NUMBERS: number[] = [
  1e308,
  -1e308,
  -0,
  0,
  -1,
  1.5,
  8_640_000_000_000_000,
  8_640_000_000_000_001,
  -8_640_000_000_000_000,
  Number.MAX_SAFE_INTEGER,
  Number.MAX_SAFE_INTEGER + 2,
  2 ** 31,
  2 ** 32,
  5e-324,
  600_001,
  10_001,
];

/** Numerals a double cannot hold, or that only JSON.parse's leniency turns into numbers. */
const RAW_NUMERALS = ['1e400', '-1e400', '1e-400', `1${'0'.repeat(29)}`, '123.456e-7', '0.0000000000001'];

/** Strings that are almost numbers, or unusual text. */
export const NASTY_STRINGS = [
  'NaN',
  'Infinity',
  '-Infinity',
  '-0',
  '1e308',
  '8640000000000000',
  '0x10',
  ' 1',
  '1_000',
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\u202Eevil\u202C',
  'مرحبا',
  '😀'.repeat(3),
  '\uD800',
  '𝔘𝔫𝔦𝔠𝔬𝔡𝔢',
  '%00',
  '%',
  '../../etc/passwd',
  '<script>alert(1)</script>',
  "' OR 1=1 --",
  '{"a":1}',
  '2024-13-45 99:99:99',
  '0000-00-00 00:00:00',
  '9999-12-31 23:59:59',
  '9999-12-31 23:59:59-14:00',
  '2024-02-30 10:00:00',
  ...PROTO_KEYS,
];

const longDigits = fc
  .integer({ min: 16, max: 400 })
  .chain((n) => fc.constantFrom('1', '9', '0').map((d) => d.repeat(n)));

export const nastyString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
  { weight: 2, arbitrary: longDigits },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  { weight: 1, arbitrary: fc.integer({ min: 1000, max: 20_000 }).map((n) => 'x'.repeat(n)) },
);

export const nastyScalar: fc.Arbitrary<Json> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...EXTREME_NUMBERS) },
  { weight: 2, arbitrary: fc.constantFrom(...RAW_NUMERALS).map((raw) => ({ raw })) },
  { weight: 2, arbitrary: longDigits.map((raw) => ({ raw })) },
  { weight: 5, arbitrary: nastyString },
  { weight: 1, arbitrary: fc.constantFrom<Json>(null, true, false, { items: [] }, { entries: [] }) },
  { weight: 1, arbitrary: fc.double().filter((d) => Number.isFinite(d)) },
);

/** Nested `depth` levels deep: arrays, objects, or `__proto__` chains. */
export const deepValue: fc.Arbitrary<Json> = fc.record({
  deep: fc.integer({ min: 20, max: 50_000 }),
  kind: fc.constantFrom('items' as const, 'entries' as const, 'proto' as const),
});

/** Up to 30,000 items of one small value (a few MiB at most: the body limit is 5 MiB). */
export const hugeArray: fc.Arbitrary<Json> = fc.record({
  repeat: fc.integer({ min: 1000, max: 30_000 }),
  of: fc.oneof(
    fc.constantFrom<Json>(...EXTREME_NUMBERS, ...NASTY_STRINGS, null, { entries: [] }),
    fc.constantFrom(...RAW_NUMERALS).map((raw): Json => ({ raw })),
  ),
});

/** Any hostile value: a scalar, a small random structure, prototype keys, deep or huge. */
export const nastyValue: fc.Arbitrary<Json> = fc.letrec<{ v: Json }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 8, arbitrary: nastyScalar },
    {
      weight: 2,
      arbitrary: fc
        .array(fc.tuple(fc.oneof(fc.constantFrom(...PROTO_KEYS), nastyString), tie('v')), { maxLength: 4 })
        .map((entries) => ({ entries })),
    },
    { weight: 1, arbitrary: fc.array(tie('v'), { maxLength: 4 }).map((items) => ({ items })) },
  ),
})).v;

export const rareHostile: fc.Arbitrary<Json> = fc.oneof(deepValue, hugeArray);
