/**
 * The store's deliveries and indexes over them, kept up to date as entries are applied, so the
 * admin views and the library answer a filtered page or a count without scanning every delivery:
 *
 * - creation order: every record by its sequence number (its position since the last reset).
 *   A record is an object while it may change (pending, or every record of a store that keeps
 *   content); once sealed (settled, its content dropped) it is kept as columns
 *   (delivery-summaries.ts) and decoded when read, the last ones read kept as objects;
 * - by id: a campaign message's id (`<workflow id>-<n>`) as its workflow's number n, others in
 *   a map;
 * - by workflow and by type (fixed at creation): the sequence numbers, ascending;
 * - by outcome (it changes): one bitset per outcome, and each record's current outcome;
 * - counts for every combination of workflow / type / outcome (any of them left open): one small
 *   row of integers per workflow.
 *
 * A page walks the smallest index that applies, newest first, and checks the other filters on
 * each candidate in O(1): its cost is bounded by that index, never by the whole history.
 */
import type { DeliveryOutcome, StoredDelivery } from '../delivery/types.ts';
import { Column, u16, u32, u8 } from './columns.ts';
import { SummaryTable, type SummaryKey } from './delivery-summaries.ts';
import { LruCache } from './lru.ts';

export interface DeliveryFilter {
  workflow?: string;
  type?: string;
  outcome?: string;
}

export interface DeliveryPage {
  /** The page's records, in creation order. */
  list: StoredDelivery[];
  /** Every match of the filter (all pages). */
  total: number;
  /** The position to continue from (older matches), or null when this page holds the oldest. */
  before: number | null;
}

const OUTCOMES: readonly DeliveryOutcome[] = ['pending', 'delivered', 'exhausted'];
/** A counts row: slot 0 for any outcome, then one per outcome. */
const OUTCOME_SLOTS = OUTCOMES.length + 1;
/** The counts row of every delivery (a workflow's key is prefixed, so no id can meet it). */
const ANY_WORKFLOW = '*';
/** Decoded summaries kept as objects (a page, a record read again): the same object each read. */
const RECENT = 2_048;
/** Pages longer than this decode their records as they are read. */
const LAZY_PAGE = 500;
/** Digits of a message id's number (campaign-outbox.ts). */
const MESSAGE_DIGITS = 6;

/** A growable bitset over sequence numbers, walked from high to low. */
class Bitset {
  words = new Uint32Array(1024);
  size = 0;

  set(i: number, on: boolean): void {
    const w = i >>> 5;
    if (w >= this.words.length) {
      const grown = new Uint32Array(Math.max(w + 1, this.words.length * 2));
      grown.set(this.words);
      this.words = grown;
    }
    const bit = 1 << (i & 31);
    const had = (this.words[w]! & bit) !== 0;
    if (had === on) return;
    this.words[w] = on ? this.words[w]! | bit : this.words[w]! & ~bit;
    this.size += on ? 1 : -1;
  }

  /** The highest set position below `below`, or -1. */
  prev(below: number): number {
    let i = below - 1;
    if (i < 0) return -1;
    let w = i >>> 5;
    if (w >= this.words.length) {
      w = this.words.length - 1;
      i = w * 32 + 31;
    }
    // Keep the bits at and under i in the first word, then whole words downwards.
    let word = this.words[w]! & (0xffffffff >>> (31 - (i & 31)));
    for (;;) {
      if (word !== 0) return w * 32 + (31 - Math.clz32(word));
      if (--w < 0) return -1;
      word = this.words[w]!;
    }
  }
}

/** The position of the last element of an ascending column below `below`, or -1. */
function lastBelow(seqs: Column<Uint32Array>, below: number): number {
  let lo = 0;
  let hi = seqs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (seqs.get(mid) < below) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** Candidates newest first below `before`: positions from the chosen index. */
type Walk = (before: number) => number;

/** A workflow's deliveries: by creation order, and its messages' by number (seq + 1, 0: none). */
interface WorkflowSlot {
  id: string;
  seqs: Column<Uint32Array>;
  byNumber: Column<Uint32Array>;
}

export class DeliveryIndex {
  private count = 0;
  /** Records held as objects (pending; all of them in a store that keeps content). */
  private objects = new Map<number, StoredDelivery>();
  private recent = new LruCache<number, StoredDelivery>(RECENT);
  private table = new SummaryTable();
  /** Per sequence number: workflow slot + 1 (0: none), type slot, outcome, message number (0: other id). */
  private workflowOf = new Column(u32);
  private typeOf = new Column(u16);
  private outcomeOf = new Column(u8);
  private numberOf = new Column(u32);
  private otherIds = new Map<number, string>();
  private otherSeqs = new Map<string, number>();
  private workflows: WorkflowSlot[] = [];
  private workflowSlots = new Map<string, number>();
  private byOutcome = new Map<string, Bitset>();
  /** Per type slot - 1: the sequence numbers, ascending. */
  private byType: Column<Uint32Array>[] = [];
  /** Per workflow (and ANY_WORKFLOW for all): counts by type slot × outcome slot (see slot()). */
  private counts = new Map<string, number[]>();
  /** Type → its slot in a counts row (0 is any type). */
  private typeSlots = new Map<string, number>();
  private typeNames: StoredDelivery['type'][] = [];
  private slotsPerRow = 8 * OUTCOME_SLOTS;
  /** Bumped by every reset, so a position taken before one is recognised. */
  generation = 0;

  constructor() {
    this.clear();
  }

  clear(): void {
    this.count = 0;
    this.objects.clear();
    this.recent.clear();
    this.table.clear();
    for (const c of [this.workflowOf, this.typeOf, this.outcomeOf, this.numberOf]) c.clear();
    this.otherIds.clear();
    this.otherSeqs.clear();
    this.workflows = [];
    this.workflowSlots.clear();
    this.byOutcome = new Map(OUTCOMES.map((o) => [o, new Bitset()]));
    this.byType = [];
    this.counts.clear();
    this.typeSlots.clear();
    this.typeNames = [];
    this.slotsPerRow = 8 * OUTCOME_SLOTS;
    this.generation++;
  }

  get size(): number {
    return this.count;
  }

  /** How many records are held as objects (the others are sealed summaries). */
  get heldCount(): number {
    return this.objects.size;
  }

  /** A new record, held as an object (the same id again replaces the known one in place). */
  add(d: StoredDelivery): void {
    const known = this.seqOf(d.id);
    if (known !== undefined) {
      this.rebuild(known, d);
      return;
    }
    const seq = this.count++;
    this.objects.set(seq, d);
    const w = d.workflowId === undefined ? 0 : this.workflowSlot(d.workflowId) + 1;
    const t = this.typeSlot(d.type);
    this.workflowOf.set(seq, w);
    this.typeOf.set(seq, t);
    this.outcomeOf.set(seq, OUTCOMES.indexOf(d.outcome));
    this.numberId(seq, d, w);
    this.byOutcome.get(d.outcome)!.set(seq, true);
    if (w > 0) this.workflows[w - 1]!.seqs.push(seq);
    (this.byType[t - 1] ??= new Column(u32, 64)).push(seq);
    this.tally(d.workflowId, d.type, d.outcome, 1, true);
  }

  /** The record of `id`: the object held, or its summary decoded. */
  get(id: string): StoredDelivery | undefined {
    const seq = this.seqOf(id);
    return seq === undefined ? undefined : this.at(seq, true);
  }

  /** The record of `id` as an object the store may change (a sealed one is held again). */
  mutable(id: string): StoredDelivery | undefined {
    const seq = this.seqOf(id);
    if (seq === undefined) return undefined;
    const d = this.at(seq, true);
    this.objects.set(seq, d);
    return d;
  }

  /**
   * Keep the record as a summary from now on (its content, if it holds any, is not kept): a new
   * object is decoded when it is read. A record of a shape the columns do not keep stays as is.
   */
  seal(d: StoredDelivery): void {
    const seq = this.seqOf(d.id);
    if (seq === undefined || this.objects.get(seq) !== d) return;
    if (this.table.encode(seq, d)) this.objects.delete(seq);
  }

  /** The record's outcome changed (or not): move it between the outcome indexes and counts. */
  outcomeChanged(d: StoredDelivery): void {
    const seq = this.seqOf(d.id);
    if (seq === undefined) return;
    const was = OUTCOMES[this.outcomeOf.get(seq)]!;
    if (was === d.outcome) return;
    this.byOutcome.get(was)!.set(seq, false);
    this.byOutcome.get(d.outcome)!.set(seq, true);
    this.outcomeOf.set(seq, OUTCOMES.indexOf(d.outcome));
    this.tally(d.workflowId, d.type, was, -1, false);
    this.tally(d.workflowId, d.type, d.outcome, 1, false);
  }

  /** Every record, in creation order (a new list). */
  all(): StoredDelivery[] {
    const out: StoredDelivery[] = [];
    for (let seq = 0; seq < this.count; seq++) out.push(this.at(seq));
    return out;
  }

  /** How many records match (O(1)). */
  countOf(f: DeliveryFilter): number {
    const row = this.counts.get(f.workflow === undefined ? ANY_WORKFLOW : `=${f.workflow}`);
    const t = f.type === undefined ? 0 : this.typeSlots.get(f.type);
    const o = f.outcome === undefined ? 0 : OUTCOMES.indexOf(f.outcome as DeliveryOutcome) + 1;
    if (!row || t === undefined || (o === 0 && f.outcome !== undefined)) return 0;
    return row[t * OUTCOME_SLOTS + o] ?? 0;
  }

  /** Every match, in creation order. */
  matching(f: DeliveryFilter): StoredDelivery[] {
    return this.seqPage(f, this.count, this.countOf(f)).seqs.map((seq) => this.at(seq));
  }

  /**
   * Up to `limit` matches created before position `before` (the newest of them), in creation
   * order, with the position to continue from. A page of more than LAZY_PAGE records decodes each
   * when it is read (see lazyList): the admin API writes such a page a slice per event-loop turn.
   */
  page(f: DeliveryFilter, before: number, limit: number): DeliveryPage {
    const { seqs, total, before: next } = this.seqPage(f, before, limit);
    const at = (seq: number) => this.at(seq);
    const list = seqs.length > LAZY_PAGE ? lazyList(seqs, at) : seqs.map(at);
    return { list, total, before: next };
  }

  /** A page as sequence numbers, in creation order. */
  private seqPage(
    f: DeliveryFilter,
    before: number,
    limit: number,
  ): { seqs: number[]; total: number; before: number | null } {
    const total = this.countOf(f);
    const seqs: number[] = [];
    if (total === 0 || limit === 0) return { seqs, total, before: null };
    const walk = this.walk(f);
    const w = f.workflow === undefined ? undefined : (this.workflowSlots.get(f.workflow) ?? -2) + 1;
    const t = f.type === undefined ? undefined : this.typeSlots.get(f.type);
    const o = f.outcome === undefined ? undefined : OUTCOMES.indexOf(f.outcome as DeliveryOutcome);
    const ok = (seq: number) =>
      (w === undefined || this.workflowOf.get(seq) === w) &&
      (t === undefined || this.typeOf.get(seq) === t) &&
      (o === undefined || this.outcomeOf.get(seq) === o);
    let seq = walk(Math.min(before, this.count));
    let last = -1;
    for (; seq >= 0 && seqs.length < limit; seq = walk(seq)) {
      if (!ok(seq)) continue;
      seqs.push(seq);
      last = seq;
    }
    // One more match below the page's oldest means there is a next page (none when a walk from
    // the newest has them all).
    if (before >= this.count && seqs.length === total) seq = -1;
    while (seq >= 0 && !ok(seq)) seq = walk(seq);
    return { seqs: seqs.reverse(), total, before: seq >= 0 ? last : null };
  }

  /**
   * The record at `seq`: held, recently decoded, or decoded now. A single read (`get`) keeps what
   * it decoded among the recent ones, so reading it again gives the same object; a list (a page,
   * `all`) only looks there, so a large page does not churn them.
   */
  private at(seq: number, remember = false): StoredDelivery {
    const held = this.objects.get(seq) ?? (remember ? this.recent.get(seq) : this.recent.peek(seq));
    if (held) return held;
    const d = this.table.decode(seq, this.keyOf(seq));
    if (remember) this.recent.set(seq, d);
    return d;
  }

  private keyOf(seq: number): SummaryKey {
    const w = this.workflowOf.get(seq);
    const workflowId = w === 0 ? undefined : this.workflows[w - 1]!.id;
    const n = this.numberOf.get(seq);
    return {
      id: n === 0 ? this.otherIds.get(seq)! : `${workflowId!}-${String(n).padStart(MESSAGE_DIGITS, '0')}`,
      type: this.typeNames[this.typeOf.get(seq) - 1]!,
      outcome: OUTCOMES[this.outcomeOf.get(seq)]!,
      workflowId,
    };
  }

  /** The sequence number of `id`, or undefined. */
  private seqOf(id: string): number | undefined {
    const dash = id.lastIndexOf('-');
    const slot = dash > 0 ? this.workflowSlots.get(id.slice(0, dash)) : undefined;
    if (slot !== undefined) {
      const n = messageNumber(id.slice(dash + 1));
      const byNumber = this.workflows[slot]!.byNumber;
      const seq = n !== undefined && n < byNumber.length ? byNumber.get(n) : 0;
      if (seq > 0) return seq - 1;
    }
    return this.otherSeqs.get(id);
  }

  /** Index the id: a message of its workflow by number (not kept as text), else by text. */
  private numberId(seq: number, d: StoredDelivery, w: number): void {
    const dash = d.id.lastIndexOf('-');
    const slot = w > 0 && d.id.slice(0, dash) === d.workflowId ? this.workflows[w - 1] : undefined;
    const n = slot && messageNumber(d.id.slice(dash + 1));
    // A number far past the workflow's others would make a large sparse column: kept as text.
    if (slot && n !== undefined && n < slot.byNumber.length + 65_536) {
      slot.byNumber.set(n, seq + 1);
      this.numberOf.set(seq, n);
      return;
    }
    this.numberOf.set(seq, 0);
    this.otherIds.set(seq, d.id);
    this.otherSeqs.set(d.id, seq);
  }

  /**
   * The same id again: its record is replaced in place, as the store's own map did. Rare (never
   * in a normal session): the indexes are rebuilt rather than patched, sealed records sealed again.
   */
  private rebuild(known: number, d: StoredDelivery): void {
    const records = this.all();
    const held = new Set(this.objects.values());
    records[known] = d;
    held.add(d);
    const generation = this.generation;
    this.clear();
    this.generation = generation;
    for (const r of records) this.add(r);
    for (const r of records) if (!held.has(r)) this.seal(r);
  }

  private workflowSlot(id: string): number {
    let slot = this.workflowSlots.get(id);
    if (slot === undefined) {
      slot = this.workflows.push({ id, seqs: new Column(u32, 16), byNumber: new Column(u32, 16) }) - 1;
      this.workflowSlots.set(id, slot);
    }
    return slot;
  }

  /** The smallest index that applies to the filter, as a walk from newest to oldest. */
  private walk(f: DeliveryFilter): Walk {
    const options: { size: number; walk: Walk }[] = [{ size: this.count, walk: (b) => b - 1 }];
    const w = f.workflow === undefined ? undefined : this.workflowSlots.get(f.workflow);
    const t = f.type === undefined ? undefined : this.typeSlots.get(f.type);
    for (const [value, seqs] of [
      [f.workflow, w === undefined ? undefined : this.workflows[w]!.seqs],
      [f.type, t === undefined ? undefined : this.byType[t - 1]],
    ] as const) {
      if (value === undefined) continue;
      if (!seqs) return () => -1;
      options.push({
        size: seqs.length,
        walk: (b) => {
          const i = lastBelow(seqs, b);
          return i < 0 ? -1 : seqs.get(i);
        },
      });
    }
    const bits = f.outcome === undefined ? undefined : this.byOutcome.get(f.outcome);
    if (bits) options.push({ size: bits.size, walk: (b) => bits.prev(b) });
    return options.reduce((a, b) => (b.size < a.size ? b : a)).walk;
  }
  /** Add `n` to every count the record falls under (the outcome-free ones only on creation). */
  private tally(
    workflow: string | undefined,
    type: string,
    outcome: DeliveryOutcome,
    n: number,
    created: boolean,
  ): void {
    const t = this.typeSlot(type);
    const o = OUTCOMES.indexOf(outcome) + 1;
    const bumpRow = (k: string) => {
      let row = this.counts.get(k);
      if (!row) {
        row = new Array<number>(this.slotsPerRow).fill(0);
        this.counts.set(k, row);
      }
      for (const ts of [0, t]) {
        row[ts * OUTCOME_SLOTS + o]! += n;
        if (created) row[ts * OUTCOME_SLOTS]! += n;
      }
    };
    bumpRow(ANY_WORKFLOW);
    if (workflow !== undefined) bumpRow(`=${workflow}`);
  }

  /** The type's slot in a counts row, widening every row when a new type needs room. */
  private typeSlot(type: string): number {
    let t = this.typeSlots.get(type);
    if (t !== undefined) return t;
    t = this.typeSlots.size + 1;
    this.typeSlots.set(type, t);
    this.typeNames.push(type as StoredDelivery['type']);
    if ((t + 1) * OUTCOME_SLOTS > this.slotsPerRow) {
      this.slotsPerRow *= 2;
      for (const row of this.counts.values()) {
        while (row.length < this.slotsPerRow) row.push(0);
      }
    }
    return t;
  }
}

/**
 * A read-only array of the records at `seqs`, each decoded when read (a new object each read,
 * not kept): a page of 10,000 sealed records decoded at once took tens of milliseconds in one
 * event-loop turn, and the objects, alive until the page was written, made the young-generation
 * GC copy them (scavenges of 15-20 ms). Read a slice at a time, they die young.
 */
function lazyList(seqs: number[], at: (seq: number) => StoredDelivery): StoredDelivery[] {
  const index = (key: string | symbol): number | undefined => {
    if (typeof key !== 'string') return undefined;
    const i = Number(key);
    return Number.isInteger(i) && i >= 0 && i < seqs.length && String(i) === key ? i : undefined;
  };
  return new Proxy(seqs as unknown as StoredDelivery[], {
    get(target, key, receiver) {
      const i = index(key);
      return i === undefined ? (Reflect.get(target, key, receiver) as unknown) : at(seqs[i]!);
    },
    getOwnPropertyDescriptor(target, key) {
      const i = index(key);
      const desc = Reflect.getOwnPropertyDescriptor(target, key);
      return i === undefined || !desc ? desc : { ...desc, value: at(seqs[i]!) };
    },
    set: () => false,
    deleteProperty: () => false,
    defineProperty: () => false,
  });
}

/** A message id's number (`000042` → 42), or undefined when the text is not one. */
function messageNumber(text: string): number | undefined {
  if (text.length < MESSAGE_DIGITS || text.length > 9 || !/^\d+$/.test(text)) return undefined;
  const n = Number(text);
  return n > 0 && String(n).padStart(MESSAGE_DIGITS, '0') === text ? n : undefined;
}
