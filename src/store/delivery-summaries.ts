/**
 * Settled delivery summaries kept as columns (issue 14: `serve` holding 300,000 deliveries). A
 * summary as an object graph — the record, its attempts array and attempt objects — costs about
 * 700 bytes; here a delivery is ≈ 30 bytes of columns plus ≈ 21 per attempt, texts (URL, the
 * receiver's answer, an error message) as codes of a shared string table, the retry policy as a
 * code of the few distinct ones. What is rare (a replay link, chaos, a callback sent on demand,
 * the replays of a delivery) sits in a side map.
 *
 * The fields fixed at creation (id, type, workflow) and the outcome are the index's
 * (delivery-index.ts); `decode` takes them back. Decoding gives the record the store kept before:
 * the same keys in the same order, so every view serialises the same bytes. A record of another
 * shape (an attempt with keys in another order, a field out of range) is not taken: `encode`
 * answers false and the caller keeps it as an object.
 */
import type { AttemptError, AttemptRecord, DeliveryOutcome, StoredDelivery } from '../delivery/types.ts';
import type { RetryPolicy } from '../core/retry-policy.ts';
import { SIGNING_SCHEMES, type SigningScheme } from '../core/signing.ts';
import { Column, f64, StringTable, u32, u8 } from './columns.ts';

/** What the index keeps of a delivery (fixed at creation, and its outcome). */
export interface SummaryKey {
  id: string;
  type: StoredDelivery['type'];
  outcome: DeliveryOutcome;
  workflowId: string | undefined;
}

/** The rare fields, as the record had them. */
type Extras = Partial<Pick<StoredDelivery, 'replays' | 'replayOf' | 'duplicateOf' | 'chaos' | 'onDemand'>>;

/** A summary's keys in the store's order (memory-store.ts createDelivery); optional ones last. */
const RECORD_KEYS = [
  'id',
  'type',
  'url',
  'payload',
  'body',
  'headers',
  'policy',
  'signing',
  'encrypted',
  'outcome',
  'attempts',
  'firstAt',
  'nextAttemptAt',
  'replays',
] as const;
const OPTIONAL_KEYS = ['workflowId', 'replayOf', 'duplicateOf', 'chaos', 'onDemand'] as const;
/** An attempt's keys in attemptRecord's order (attempt-loop.ts, resume.ts); some are optional. */
const ATTEMPT_KEYS = ['n', 'at', 'ok', 'status', 'error', 'message', 'latencyMs', 'response'] as const;
const ERRORS: readonly (AttemptError | undefined)[] = [
  undefined,
  'timeout',
  'refused',
  'reset',
  'non-2xx',
  'network',
  'interrupted',
];

// Attempt flags: ok, a status, the text column holding `response` or `message`; error code above.
const OK = 1;
const HAS_STATUS = 2;
const HAS_RESPONSE = 4;
const HAS_MESSAGE = 8;
const ERROR_SHIFT = 4;
// Delivery flags: encrypted, a next attempt planned; the signing scheme's position above.
const ENCRYPTED = 1;
const HAS_NEXT = 2;
const SIGNING_SHIFT = 2;

export class SummaryTable {
  private readonly url = new Column(u32);
  private readonly policy = new Column(u32);
  private readonly flags = new Column(u8);
  private readonly firstAt = new Column(f64);
  private readonly nextAt = new Column(f64);
  private readonly attemptStart = new Column(u32);
  private readonly attemptCount = new Column(u8);
  private readonly extras = new Map<number, Extras>();

  private readonly aAt = new Column(f64);
  private readonly aStatus = new Column(u32);
  private readonly aLatency = new Column(u32);
  private readonly aFlags = new Column(u8);
  private readonly aText = new Column(u32);

  private readonly urls = new StringTable();
  /** The receivers' answers and the error messages. */
  private readonly texts = new StringTable();
  private readonly policies: RetryPolicy[] = [];
  private readonly policyCodes = new Map<string, number>();

  /**
   * Keep `d`'s summary at `seq` (its content, if it holds any, is not kept); false when its shape
   * is not one this table keeps.
   */
  encode(seq: number, d: StoredDelivery): boolean {
    if (!canonical(d)) return false;
    const start = this.aAt.length;
    for (const a of d.attempts) this.encodeAttempt(a);
    const signing = SIGNING_SCHEMES.indexOf(d.signing);
    this.url.set(seq, this.urls.code(d.url));
    this.policy.set(seq, this.policyCode(d.policy));
    this.flags.set(
      seq,
      (d.encrypted ? ENCRYPTED : 0) | (d.nextAttemptAt !== null ? HAS_NEXT : 0) | (signing << SIGNING_SHIFT),
    );
    this.firstAt.set(seq, d.firstAt);
    this.nextAt.set(seq, d.nextAttemptAt ?? 0);
    this.attemptStart.set(seq, start);
    this.attemptCount.set(seq, d.attempts.length);
    const extras = extrasOf(d);
    if (extras) this.extras.set(seq, extras);
    else this.extras.delete(seq);
    return true;
  }

  /** The summary kept at `seq`, with its index fields `key`: a new object each time. */
  decode(seq: number, key: SummaryKey): StoredDelivery {
    const flags = this.flags.get(seq);
    const start = this.attemptStart.get(seq);
    const attempts: AttemptRecord[] = [];
    for (let i = 0; i < this.attemptCount.get(seq); i++) attempts.push(this.decodeAttempt(start + i, i + 1));
    const extras = this.extras.get(seq);
    const d: StoredDelivery = {
      id: key.id,
      type: key.type,
      url: this.urls.text(this.url.get(seq)),
      payload: undefined,
      body: undefined,
      headers: undefined,
      policy: this.policies[this.policy.get(seq)]!,
      signing: SIGNING_SCHEMES[flags >>> SIGNING_SHIFT]!,
      encrypted: (flags & ENCRYPTED) !== 0,
      outcome: key.outcome,
      attempts,
      firstAt: this.firstAt.get(seq),
      nextAttemptAt: flags & HAS_NEXT ? this.nextAt.get(seq) : null,
      replays: extras?.replays ? [...extras.replays] : [],
    };
    if (key.workflowId !== undefined) d.workflowId = key.workflowId;
    if (extras?.replayOf !== undefined) d.replayOf = extras.replayOf;
    if (extras?.duplicateOf !== undefined) d.duplicateOf = extras.duplicateOf;
    if (extras?.chaos !== undefined) d.chaos = [...extras.chaos];
    if (extras?.onDemand !== undefined) d.onDemand = extras.onDemand;
    return d;
  }

  clear(): void {
    for (const c of [this.url, this.policy, this.flags, this.firstAt, this.nextAt]) c.clear();
    for (const c of [this.attemptStart, this.attemptCount, this.aAt, this.aStatus, this.aLatency]) c.clear();
    this.aFlags.clear();
    this.aText.clear();
    this.extras.clear();
    this.urls.clear();
    this.texts.clear();
    this.policies.length = 0;
    this.policyCodes.clear();
  }

  private encodeAttempt(a: AttemptRecord): void {
    const text = a.response ?? a.message;
    const flags =
      (a.ok ? OK : 0) |
      (a.status !== undefined ? HAS_STATUS : 0) |
      (a.response !== undefined ? HAS_RESPONSE : 0) |
      (a.message !== undefined ? HAS_MESSAGE : 0) |
      (ERRORS.indexOf(a.error) << ERROR_SHIFT);
    this.aAt.push(a.at);
    this.aStatus.push(a.status ?? 0);
    this.aLatency.push(a.latencyMs);
    this.aFlags.push(flags);
    this.aText.push(text === undefined ? 0 : this.texts.code(text));
  }

  private decodeAttempt(i: number, n: number): AttemptRecord {
    const flags = this.aFlags.get(i);
    // Keys in ATTEMPT_KEYS order, as attemptRecord made them.
    const a = { n, at: this.aAt.get(i), ok: (flags & OK) !== 0 } as AttemptRecord;
    if (flags & HAS_STATUS) a.status = this.aStatus.get(i);
    const error = ERRORS[flags >>> ERROR_SHIFT];
    if (error !== undefined) a.error = error;
    if (flags & HAS_MESSAGE) a.message = this.texts.text(this.aText.get(i));
    a.latencyMs = this.aLatency.get(i);
    if (flags & HAS_RESPONSE) a.response = this.texts.text(this.aText.get(i));
    return a;
  }

  /** The policy's code: one per distinct policy (by its JSON). */
  private policyCode(p: RetryPolicy): number {
    const key = JSON.stringify(p);
    let code = this.policyCodes.get(key);
    if (code === undefined) {
      code = this.policies.push(p) - 1;
      this.policyCodes.set(key, code);
    }
    return code;
  }
}

function extrasOf(d: StoredDelivery): Extras | undefined {
  const x: Extras = {};
  if (d.replays.length > 0) x.replays = [...d.replays];
  if (d.replayOf !== undefined) x.replayOf = d.replayOf;
  if (d.duplicateOf !== undefined) x.duplicateOf = d.duplicateOf;
  if (d.chaos !== undefined) x.chaos = [...d.chaos];
  if (d.onDemand !== undefined) x.onDemand = d.onDemand;
  return Object.keys(x).length > 0 ? x : undefined;
}

/** Whether `d` is a summary this table gives back exactly (keys, order, ranges). */
function canonical(d: StoredDelivery): boolean {
  if (!keysInOrder(d, RECORD_KEYS, OPTIONAL_KEYS)) return false;
  if (OPTIONAL_KEYS.some((key) => key in d && d[key] === undefined)) return false;
  if (!SIGNING_SCHEMES.includes(d.signing as SigningScheme) || typeof d.encrypted !== 'boolean') return false;
  if (typeof d.firstAt !== 'number' || !(d.nextAttemptAt === null || typeof d.nextAttemptAt === 'number'))
    return false;
  if (typeof d.url !== 'string' || d.attempts.length > 255) return false;
  return d.attempts.every(canonicalAttempt);
}

function canonicalAttempt(a: AttemptRecord, i: number): boolean {
  const keys = Object.keys(a);
  if (keys.some((key) => a[key as keyof AttemptRecord] === undefined)) return false;
  let k = 0;
  for (const name of ATTEMPT_KEYS) if (keys[k] === name) k++;
  if (k !== keys.length || a.n !== i + 1 || typeof a.at !== 'number' || typeof a.ok !== 'boolean')
    return false;
  if (a.status !== undefined && !isUint(a.status)) return false;
  if (!isUint(a.latencyMs) || !ERRORS.includes(a.error)) return false;
  if (a.response !== undefined && a.message !== undefined) return false;
  return (
    (a.response === undefined || typeof a.response === 'string') &&
    (a.message === undefined || typeof a.message === 'string')
  );
}

const isUint = (v: unknown): v is number =>
  typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < 2 ** 32;

/** The object's keys are `required` in order, then some of `optional` in order, nothing else. */
function keysInOrder(o: object, required: readonly string[], optional: readonly string[]): boolean {
  const keys = Object.keys(o);
  if (keys.length < required.length) return false;
  for (let i = 0; i < required.length; i++) if (keys[i] !== required[i]) return false;
  let k = required.length;
  for (const name of optional) if (keys[k] === name) k++;
  return k === keys.length;
}
