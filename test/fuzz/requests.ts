/**
 * The request generator: a route's accepted request, then at most one mutation of its body or
 * query (a field replaced by a hostile value, dropped, a prototype key added, the whole body
 * replaced), plus the wire around it (method, Content-Type, token, AES, Host, Origin, query
 * string syntax). Plans hold `{ref}`s; the harness fills them with live ids when sending.
 */
import fc from 'fast-check';
import {
  nastyString,
  nastyValue,
  PROTO_KEYS,
  rareHostile,
  withKey,
  withoutKey,
  type Json,
} from './json-model.ts';
import { ALL_ROUTES, type FuzzRoute } from './routes.ts';

export type AuthKind = 'valid' | 'expired' | 'none' | 'empty' | 'garbage' | 'scheme-only' | 'basic';
export type AesKind = 'good' | 'no-signed' | 'bad-signed' | 'garbage';

export interface Plan {
  route: FuzzRoute;
  method: string;
  /** Path parameter values: a Json to encode, or raw path text (malformed escapes included). */
  params: Record<string, Json | { rawPath: string }>;
  input: Json | undefined;
  /** When set, sent as the body instead of the JSON of `input`. */
  rawBody?: string;
  contentType: string | null;
  auth: AuthKind;
  authText: string;
  aes: AesKind | null;
  foreignHost: boolean;
  origin: string | null;
  /** Appended to the query string as is. */
  extraQuery: string;
  /** A path no route has (under the vendor or the admin prefix). */
  unknownPath?: string;
}

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'PROPFIND'];

const CONTENT_TYPES: (string | null)[] = [
  'text/plain',
  'text/plain; charset=utf-8',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=fuzz',
  null,
  'application/json; charset=utf-16',
  'application/json; charset=bogus',
  'application/vnd.api+json',
  'application/xml',
  '*/*',
  'application/json, text/plain',
];

const RAW_BODIES = [
  '',
  ' ',
  'not json',
  '{',
  '{"a":1}garbage',
  'NaN',
  '1e400',
  'null',
  '"text"',
  '[]',
  '\u0000',
  '\uFEFF{}',
  'a=1&b=2',
  '--fuzz\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--fuzz--\r\n',
  '{"a":1,"a":2}',
  `{"__proto__":{"polluted":true}}`,
  `{"constructor":{"prototype":{"polluted":true}}}`,
];

const BAD_QUERIES = [
  '%',
  '%ZZ',
  'a[b]=1&a[c]=2',
  'workflow_id=a&workflow_id=b',
  'limit=1&limit=2',
  '__proto__[polluted]=1',
  'constructor[prototype][polluted]=1',
  '__proto__=1',
  'a=%00',
  '&&&=&=',
  `q=${'x'.repeat(5000)}`,
  `${'k'.repeat(100)}=1&`.repeat(200),
  'page=1e308&page_size=-0',
  'limit=8640000000000000',
  'limit=NaN',
  'status=%F0%9F%98%80',
];

/** Every JSON-path (as entry / item indexes) into a model, the root first. */
function slots(v: Json, at: number[] = [], out: number[][] = []): number[][] {
  out.push(at);
  if (v !== null && typeof v === 'object') {
    if ('entries' in v) v.entries.forEach(([, x], i) => slots(x, [...at, i], out));
    else if ('items' in v) v.items.forEach((x, i) => slots(x, [...at, i], out));
  }
  return out;
}

function replaceAt(v: Json, at: number[], by: Json): Json {
  if (at.length === 0) return by;
  const [i, ...rest] = at as [number, ...number[]];
  if (v !== null && typeof v === 'object' && 'entries' in v) {
    return { entries: v.entries.map(([k, x], j) => [k, j === i ? replaceAt(x, rest, by) : x]) };
  }
  if (v !== null && typeof v === 'object' && 'items' in v) {
    return { items: v.items.map((x, j) => (j === i ? replaceAt(x, rest, by) : x)) };
  }
  return v;
}

function keyAt(v: Json, at: number[]): string | undefined {
  let node = v;
  let key: string | undefined;
  for (const i of at) {
    if (node === null || typeof node !== 'object') return undefined;
    if ('entries' in node) [key, node] = node.entries[i]!;
    else if ('items' in node) node = node.items[i]!;
  }
  return key;
}

type Mutation =
  | { op: 'none' }
  | { op: 'replace'; pick: number; value: Json }
  | { op: 'drop'; pick: number }
  | { op: 'add'; key: string; value: Json }
  | { op: 'whole'; value: Json }
  | { op: 'raw'; body: string };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 3, arbitrary: fc.constant({ op: 'none' as const }) },
  {
    weight: 8,
    arbitrary: fc.record({ op: fc.constant('replace' as const), pick: fc.nat(), value: nastyValue }),
  },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('drop' as const), pick: fc.nat() }) },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('add' as const),
      key: fc.oneof(fc.constantFrom(...PROTO_KEYS), nastyString),
      value: nastyValue,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('whole' as const),
      value: fc.oneof({ weight: 4, arbitrary: nastyValue }, { weight: 1, arbitrary: rareHostile }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ op: fc.constant('raw' as const), body: fc.constantFrom(...RAW_BODIES) }),
  },
);

function mutate(input: Json | undefined, m: Mutation): { input: Json | undefined; rawBody?: string } {
  const base = input ?? { entries: [] };
  switch (m.op) {
    case 'none':
      return { input };
    case 'replace': {
      const all = slots(base);
      return { input: replaceAt(base, all[m.pick % all.length]!, m.value) };
    }
    case 'drop': {
      const all = slots(base).filter((s) => s.length > 0);
      if (all.length === 0) return { input };
      const at = all[m.pick % all.length]!;
      const key = keyAt(base, at);
      return key !== undefined && at.length === 1 ? { input: withoutKey(base, key) } : { input };
    }
    case 'add':
      return { input: withKey(base, m.key, m.value) };
    case 'whole':
      return { input: m.value };
    case 'raw':
      return { input, rawBody: m.body };
  }
}

const latin1 = (s: string) => s.replace(/[^\t\x20-\x7e\x80-\xff]/g, '?');

const authText = fc.oneof(
  nastyString.map(latin1),
  fc.constantFrom('Token', 'Bearer ', 'Token a b', `Token ${'A'.repeat(9000)}`, 'token\t'),
);

/** `arb` about `percent` % of the time, else null. */
function sometimes<T>(arb: fc.Arbitrary<T>, percent: number): fc.Arbitrary<T | null> {
  return fc.oneof(
    { weight: 100 - percent, arbitrary: fc.constant(null) },
    { weight: percent, arbitrary: arb },
  );
}

const paramValue: fc.Arbitrary<Json | { rawPath: string }> = fc.oneof(
  { weight: 3, arbitrary: nastyString },
  // Names a trigger loads (a small shipped scenario) or knows.
  { weight: 1, arbitrary: fc.constantFrom('endpoint-misbehaving', 'tele', 'ic', 'collection-ptp.yaml') },
  {
    weight: 1,
    arbitrary: fc.constantFrom('%', '%ZZ', '%C0%AF', '..', '.', '%2e%2e%2f', 'a%00b').map((rawPath) => ({
      rawPath,
    })),
  },
);

const UNKNOWN_PATHS = [
  '/service/cloud/workflow/nope',
  '/service/cloud/workflow/createinstance/extra',
  '/service/cloud/auth/',
  '/service/cloud/AUTH',
  '/__emulator/nope',
  '/__emulator/clock/advance/1',
  '/__emulator/../service/cloud/auth',
  '/',
  '/%',
  '/%F0%9F%98%80',
  '/constructor',
  '/__proto__',
];

function pickRoute(routes: FuzzRoute[]): fc.Arbitrary<FuzzRoute> {
  return fc.oneof(
    ...routes.map((r) => ({
      weight: Math.max(1, Math.round((r.weight ?? 1) * 20)),
      arbitrary: fc.constant(r),
    })),
  );
}

export function planArbitrary(routes: FuzzRoute[] = ALL_ROUTES): fc.Arbitrary<Plan> {
  return fc
    .record({
      route: pickRoute(routes),
      mutation,
      wrongMethod: sometimes(fc.constantFrom(...METHODS), 10),
      param: sometimes(paramValue, 25),
      contentType: sometimes(fc.constantFrom(...CONTENT_TYPES), 15),
      auth: fc.constantFrom<AuthKind>(
        ...(['valid', 'valid', 'valid', 'valid', 'valid', 'valid', 'valid', 'valid'] as const),
        'expired',
        'none',
        'empty',
        'garbage',
        'scheme-only',
        'basic',
      ),
      authText,
      aes: sometimes(fc.constantFrom<AesKind>('good', 'good', 'no-signed', 'bad-signed', 'garbage'), 10),
      hostPick: fc.nat(99),
      origin: sometimes(
        fc.constantFrom('http://evil.example', 'null', 'http://localhost:4010', 'not a url'),
        6,
      ),
      extraQuery: sometimes(fc.constantFrom(...BAD_QUERIES), 10),
      unknownPath: sometimes(fc.constantFrom(...UNKNOWN_PATHS), 3),
    })
    .map((g): Plan => {
      const { input, rawBody } = mutate(g.route.input, g.mutation);
      const params: Plan['params'] = { ...(g.route.params ?? {}) };
      const names = Object.keys(params);
      if (g.param !== null && names.length > 0) {
        params[names[g.hostPick % names.length]!] = g.param;
      }
      return {
        route: g.route,
        method: g.wrongMethod ?? g.route.method,
        params,
        input,
        ...(rawBody !== undefined ? { rawBody } : {}),
        contentType: g.contentType === null ? 'application/json' : g.contentType,
        auth: g.auth,
        authText: g.authText,
        aes: g.route.vendor ? g.aes : null,
        foreignHost: g.hostPick < 2,
        origin: g.origin,
        extraQuery: g.extraQuery ?? '',
        ...(g.unknownPath !== null ? { unknownPath: g.unknownPath } : {}),
      };
    });
}
