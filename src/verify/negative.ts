/**
 * The opt-in negative cases of `verify --negative`: deliveries a hardened receiver must refuse or
 * absorb. `bad-signature` (signed with another KEY) and `tampered-body` (a field changed after
 * signing, the original signature kept) must get a non-2xx — only asked of a receiver that says it
 * enforces the signature, whose algorithm is the emulator's own choice (the vendor publishes none).
 * `duplicate` sends the same delivery twice (same bytes, headers and delivery id): both must get a
 * 2xx and the receiver must keep one record, which a `--check-url` can prove.
 */
import type { CallbackType } from '../contract/callbacks.ts';
import { idempotencyKey, IDEMPOTENCY_KEY_RULES } from '../contract/idempotency.ts';
import { callbackSigningKey, SIGN_HEADER } from '../core/signing.ts';
import type { Send, SendOutcome } from '../delivery/types.ts';
import { requestFor, VARIANT_HEADER, type RequestOptions } from './request.ts';
import type { Variant } from './variant-types.ts';

export const NEGATIVE_CASES = ['bad-signature', 'tampered-body', 'duplicate'] as const;
export type NegativeCase = (typeof NEGATIVE_CASES)[number];
/** `unchecked`: the duplicate pair was acknowledged, but no --check-url could count the records. */
export type NegativeOutcome = 'pass' | 'fail' | 'skipped' | 'unchecked';

/** Names the duplicate pair's delivery (X-Emulator-Delivery-Id), the same on both requests. */
export const DUPLICATE_DELIVERY_ID_PREFIX = 'verify-duplicate';
/** The variant each negative case starts from: what the emulator itself sends. */
const BASELINE_SLUGS = ['emulator-answered', 'emulator', 'emulator-running', 'schema-example'];

export interface NegativeResult {
  /** `negative/<case>/<callback type>`. */
  name: string;
  case: NegativeCase;
  type: CallbackType;
  /** What a hardened receiver does. */
  expected: string;
  outcome: NegativeOutcome;
  /** Why it passed, failed or was skipped, in words. */
  detail: string;
  /** HTTP status per request sent (two for a duplicate), or the transport error. */
  answers: string[];
  /** duplicate: the emulator-recommended idempotency key of the delivery and its fields. */
  idempotencyKey?: string;
  keyFields?: string;
  /** duplicate with --check-url: the record count the check URL answered. */
  count?: number;
}

export interface NegativeReport {
  cases: NegativeCase[];
  enforceSignature: boolean;
  checkUrl?: string;
  summary: Record<NegativeOutcome, number>;
  results: NegativeResult[];
}

/** Asks the receiver how many records it holds under an idempotency key. */
export type CountRecords = (url: string, timeoutMs: number) => Promise<number>;

export interface NegativeOptions extends RequestOptions {
  target: string;
  /** The pack: each case starts from each type's baseline variant in it. */
  variants: readonly Variant[];
  cases: readonly NegativeCase[];
  /** The user says the receiver refuses a wrong signature; without it the signing cases skip. */
  enforceSignature: boolean;
  /** GET `<checkUrl>?type=<type>&key=<idempotency key>` must answer `{"count": n}`. */
  checkUrl?: string;
  timeoutMs: number;
  send: Send;
  countRecords?: CountRecords;
}

/** Parses `all` or a comma-separated list; throws a message naming the unknown case. */
export function parseNegativeCases(raw: string): NegativeCase[] {
  if (raw.trim() === 'all') return [...NEGATIVE_CASES];
  const names = raw.split(',').map((s) => s.trim());
  for (const n of names) {
    if (!(NEGATIVE_CASES as readonly string[]).includes(n)) {
      throw new Error(`unknown case "${n}" (known: all, ${NEGATIVE_CASES.join(', ')})`);
    }
  }
  return NEGATIVE_CASES.filter((c) => names.includes(c));
}

function baselines(variants: readonly Variant[]): Variant[] {
  const types = [...new Set(variants.map((v) => v.type))];
  return types.map((t) => {
    const mine = variants.filter((v) => v.type === t);
    return BASELINE_SLUGS.map((s) => mine.find((v) => v.name === `${t}/${s}`)).find(Boolean) ?? mine[0]!;
  });
}

/** One negative case as `verify --list` shows it: what it sends, from which variant, and when. */
export interface NegativePlanItem {
  name: string;
  case: NegativeCase;
  type: CallbackType;
  /** The variant it starts from. */
  from: string;
  expected: string;
  /** What else it needs to say anything (a flag), in words. */
  needs: string;
}

const NEEDS: Record<NegativeCase, string> = {
  'bad-signature': 'skipped unless --enforce-signature',
  'tampered-body': 'skipped unless --enforce-signature',
  duplicate: 'the record count is checked with --check-url',
};

/** Every case `--negative <cases>` would send over this pack, in the order it sends them. */
export function negativePlan(
  variants: readonly Variant[],
  cases: readonly NegativeCase[] = NEGATIVE_CASES,
): NegativePlanItem[] {
  return cases.flatMap((c) =>
    baselines(variants).map((v) => ({ ...base(c, v), from: v.name, needs: NEEDS[c] })),
  );
}

export async function runNegative(opts: NegativeOptions): Promise<NegativeReport> {
  const results: NegativeResult[] = [];
  for (const c of opts.cases) {
    for (const v of baselines(opts.variants)) results.push(await CASES[c](v, opts));
  }
  const summary = { pass: 0, fail: 0, skipped: 0, unchecked: 0 };
  for (const r of results) summary[r.outcome]++;
  return {
    cases: [...opts.cases],
    enforceSignature: opts.enforceSignature,
    ...(opts.checkUrl !== undefined ? { checkUrl: opts.checkUrl } : {}),
    summary,
    results,
  };
}

const EXPECTED: Record<NegativeCase, string> = {
  'bad-signature': 'refused (non-2xx): the signature was made with another KEY',
  'tampered-body': 'refused (non-2xx): the body was changed after signing',
  duplicate: 'both acknowledged (2xx), one record kept',
};

const CASES: Record<NegativeCase, (v: Variant, opts: NegativeOptions) => Promise<NegativeResult>> = {
  'bad-signature': (v, opts) =>
    signingCase('bad-signature', v, opts, () => {
      const wrong = `not-${callbackSigningKey(v.type, opts.key)!}`;
      return requestFor(v, { ...opts, key: wrong });
    }),
  'tampered-body': (v, opts) =>
    signingCase('tampered-body', v, opts, () => {
      const signed = requestFor(v, opts);
      const tampered = requestFor(tamper(v), opts);
      const header = opts.signing?.header ?? SIGN_HEADER;
      return { body: tampered.body, headers: { ...tampered.headers, [header]: signed.headers[header]! } };
    }),
  duplicate: duplicateCase,
};

function base(c: NegativeCase, v: Variant): Omit<NegativeResult, 'outcome' | 'detail' | 'answers'> {
  return { name: `negative/${c}/${v.type}`, case: c, type: v.type, expected: EXPECTED[c] };
}

/** Why a signing case cannot say anything here, or undefined when it can. */
function signingSkip(v: Variant, opts: NegativeOptions): string | undefined {
  if (!opts.enforceSignature) {
    return 'your receiver does not enforce signing (pass --enforce-signature if it refuses a wrong signature)';
  }
  if (opts.signing?.algorithm === 'none') return '--signing-algorithm none sends no signature';
  if (callbackSigningKey(v.type, opts.key) === undefined) {
    return `${v.type} goes out unsigned (its vendor page names no KEY); --key signs every type`;
  }
  return undefined;
}

async function signingCase(
  c: 'bad-signature' | 'tampered-body',
  v: Variant,
  opts: NegativeOptions,
  build: () => { body: Buffer; headers: Record<string, string> },
): Promise<NegativeResult> {
  const skip = signingSkip(v, opts);
  if (skip !== undefined) return { ...base(c, v), outcome: 'skipped', detail: skip, answers: [] };
  const req = build();
  const out = await post(opts, v, c, req);
  const answers = [answerText(out)];
  if ('status' in out && !is2xx(out.status)) {
    return { ...base(c, v), outcome: 'pass', detail: `refused with HTTP ${out.status}`, answers };
  }
  const detail =
    'status' in out
      ? `accepted with HTTP ${out.status}: a receiver enforcing the signature (the emulator's algorithm) must refuse it`
      : `no HTTP answer (${out.error}${out.message ? `: ${out.message}` : ''}): refuse with a 4xx status instead`;
  return { ...base(c, v), outcome: 'fail', detail, answers };
}

/** The variant with `workflow_name` changed (every callback has one): still valid, other bytes. */
function tamper(v: Variant): Variant {
  const payload = structuredClone(v.payload);
  payload.workflow_name = `${String(payload.workflow_name)} (tampered)`;
  return { name: v.name, type: v.type, tricky: v.tricky, valid: v.valid, payload };
}

async function duplicateCase(v: Variant, opts: NegativeOptions): Promise<NegativeResult> {
  const key = idempotencyKey(v.type, v.payload as never);
  const keyInfo = { idempotencyKey: key, keyFields: IDEMPOTENCY_KEY_RULES[v.type].fields };
  const req = requestFor(v, opts);
  if (opts.debugHeaders !== false) {
    req.headers['X-Emulator-Delivery-Id'] = `${DUPLICATE_DELIVERY_ID_PREFIX}/${v.type}`;
  }
  const outs = [await post(opts, v, 'duplicate', req), await post(opts, v, 'duplicate', req)];
  const answers = outs.map(answerText);
  const head = { ...base('duplicate', v), ...keyInfo, answers };
  const refused = outs.findIndex((o) => !('status' in o) || !is2xx(o.status));
  if (refused >= 0) {
    const which = refused === 0 ? 'first' : 'second';
    const detail = `the ${which} delivery got ${answers[refused]}: acknowledge a duplicate with 2xx, or the vendor retries it`;
    return { ...head, outcome: 'fail', detail };
  }
  const where = `one record under ${keyInfo.keyFields} = ${key}`;
  if (opts.checkUrl === undefined) {
    return { ...head, outcome: 'unchecked', detail: `both acknowledged; your store must hold ${where}` };
  }
  return { ...head, ...(await countCheck(opts, v.type, key, where)) };
}

async function countCheck(
  opts: NegativeOptions,
  type: CallbackType,
  key: string,
  where: string,
): Promise<Pick<NegativeResult, 'outcome' | 'detail' | 'count'>> {
  const url = checkUrlFor(opts.checkUrl!, type, key);
  let count: number;
  try {
    count = await (opts.countRecords ?? fetchCount)(url, opts.timeoutMs);
  } catch (err) {
    return { outcome: 'fail', detail: `the check URL failed: ${(err as Error).message}` };
  }
  if (count === 1) return { outcome: 'pass', detail: `the check URL counts ${where}`, count };
  return { outcome: 'fail', detail: `the check URL counts ${count} records, expected ${where}`, count };
}

/** `<checkUrl>?type=<type>&key=<key>`, keeping the check URL's own query. */
export function checkUrlFor(checkUrl: string, type: CallbackType, key: string): string {
  const u = new URL(checkUrl);
  u.searchParams.set('type', type);
  u.searchParams.set('key', key);
  return u.toString();
}

/** GET the check URL; it must answer 2xx with JSON `{"count": <non-negative integer>}`. */
async function fetchCount(url: string, timeoutMs: number): Promise<number> {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  const text = await res.text();
  if (!is2xx(res.status)) throw new Error(`GET ${url} answered HTTP ${res.status}`);
  let count: unknown;
  try {
    count = (JSON.parse(text) as { count?: unknown }).count;
  } catch {
    count = undefined;
  }
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 0) {
    throw new Error(`GET ${url} must answer {"count": n}, got ${text.slice(0, 100)}`);
  }
  return count;
}

function post(
  opts: NegativeOptions,
  v: Variant,
  c: NegativeCase,
  req: { body: Buffer; headers: Record<string, string> },
): Promise<SendOutcome> {
  const headers: Record<string, string> = { ...req.headers, 'Content-Length': String(req.body.length) };
  if (opts.debugHeaders !== false) headers[VARIANT_HEADER] = `negative/${c}/${v.type}`;
  return opts.send({ url: opts.target, headers, body: req.body, timeoutMs: opts.timeoutMs });
}

function answerText(out: SendOutcome): string {
  return 'status' in out ? `HTTP ${out.status}` : `${out.error}${out.message ? ` (${out.message})` : ''}`;
}

function is2xx(status: number): boolean {
  return status >= 200 && status < 300;
}
