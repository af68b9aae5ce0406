/**
 * Indexes over the store's deliveries, kept up to date as entries are applied, so the admin
 * views and the library answer a filtered page or a count without scanning every delivery:
 *
 * - creation order: every record by its sequence number (its position since the last reset);
 * - by workflow and by type (fixed at creation): the sequence numbers, ascending;
 * - by outcome (it changes): one bitset per outcome, and each record's current outcome;
 * - counts for every combination of workflow / type / outcome (any of them left open): one small
 *   row of integers per workflow.
 *
 * A page walks the smallest index that applies, newest first, and checks the other filters on
 * each candidate in O(1): its cost is bounded by that index, never by the whole history.
 */
import type { DeliveryOutcome, StoredDelivery } from '../delivery/types.ts';

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

/** The position of the last element of an ascending array below `below`, or -1. */
function lastBelow(seqs: number[], below: number): number {
  let lo = 0;
  let hi = seqs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (seqs[mid]! < below) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** Candidates newest first below `before`: positions from the chosen index. */
type Walk = (before: number) => number;

export class DeliveryIndex {
  private records: StoredDelivery[] = [];
  private seqOf = new Map<string, number>();
  private outcomeOf: DeliveryOutcome[] = [];
  private byOutcome = new Map<string, Bitset>();
  private byWorkflow = new Map<string, number[]>();
  private byType = new Map<string, number[]>();
  /** Per workflow (and ANY_WORKFLOW for all): counts by type slot × outcome slot (see slot()). */
  private counts = new Map<string, number[]>();
  /** Type → its slot in a counts row (0 is any type). */
  private typeSlots = new Map<string, number>();
  private slotsPerRow = 8 * OUTCOME_SLOTS;
  /** Bumped by every reset, so a position taken before one is recognised. */
  generation = 0;

  constructor() {
    this.clear();
  }

  clear(): void {
    this.records = [];
    this.seqOf.clear();
    this.outcomeOf = [];
    this.byOutcome = new Map(OUTCOMES.map((o) => [o, new Bitset()]));
    this.byWorkflow.clear();
    this.byType.clear();
    this.counts.clear();
    this.typeSlots.clear();
    this.slotsPerRow = 8 * OUTCOME_SLOTS;
    this.generation++;
  }

  get size(): number {
    return this.records.length;
  }

  add(d: StoredDelivery): void {
    const known = this.seqOf.get(d.id);
    if (known !== undefined) {
      // The same id again replaces the record in place, as the store's map does. Rare (never in
      // a normal session): the indexes are rebuilt rather than patched.
      const records = this.records;
      records[known] = d;
      const generation = this.generation;
      this.clear();
      this.generation = generation;
      for (const r of records) this.add(r);
      return;
    }
    const seq = this.records.length;
    this.records.push(d);
    this.seqOf.set(d.id, seq);
    this.outcomeOf.push(d.outcome);
    this.byOutcome.get(d.outcome)!.set(seq, true);
    if (d.workflowId !== undefined) push(this.byWorkflow, d.workflowId, seq);
    push(this.byType, d.type, seq);
    this.count(d.workflowId, d.type, d.outcome, 1, true);
  }

  /** Another object for the same delivery takes the known one's place (the indexes stand). */
  replace(d: StoredDelivery): void {
    const seq = this.seqOf.get(d.id);
    if (seq !== undefined) this.records[seq] = d;
  }

  /** The record's outcome changed (or not): move it between the outcome indexes and counts. */
  outcomeChanged(d: StoredDelivery): void {
    const seq = this.seqOf.get(d.id);
    if (seq === undefined) return;
    const was = this.outcomeOf[seq]!;
    if (was === d.outcome) return;
    this.byOutcome.get(was)!.set(seq, false);
    this.byOutcome.get(d.outcome)!.set(seq, true);
    this.outcomeOf[seq] = d.outcome;
    this.count(d.workflowId, d.type, was, -1, false);
    this.count(d.workflowId, d.type, d.outcome, 1, false);
  }

  /** Every record, in creation order (a copy). */
  all(): StoredDelivery[] {
    return this.records.slice();
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
    return this.page(f, this.records.length, this.countOf(f)).list;
  }

  /**
   * Up to `limit` matches created before position `before` (the newest of them), in creation
   * order, with the position to continue from.
   */
  page(f: DeliveryFilter, before: number, limit: number): DeliveryPage {
    const total = this.countOf(f);
    const list: StoredDelivery[] = [];
    if (total === 0 || limit === 0) return { list, total, before: null };
    const walk = this.walk(f);
    const ok = (seq: number) => {
      const d = this.records[seq]!;
      return (
        (f.workflow === undefined || d.workflowId === f.workflow) &&
        (f.type === undefined || d.type === f.type) &&
        (f.outcome === undefined || this.outcomeOf[seq] === f.outcome)
      );
    };
    let seq = walk(Math.min(before, this.records.length));
    let last = -1;
    for (; seq >= 0 && list.length < limit; seq = walk(seq)) {
      if (!ok(seq)) continue;
      list.push(this.records[seq]!);
      last = seq;
    }
    // One more match below the page's oldest means there is a next page (none when a walk from
    // the newest has them all).
    if (before >= this.records.length && list.length === total) seq = -1;
    while (seq >= 0 && !ok(seq)) seq = walk(seq);
    return { list: list.reverse(), total, before: seq >= 0 ? last : null };
  }

  /** The smallest index that applies to the filter, as a walk from newest to oldest. */
  private walk(f: DeliveryFilter): Walk {
    const options: { size: number; walk: Walk }[] = [{ size: this.records.length, walk: (b) => b - 1 }];
    for (const [value, index] of [
      [f.workflow, this.byWorkflow],
      [f.type, this.byType],
    ] as const) {
      if (value === undefined) continue;
      const seqs = index.get(value) ?? [];
      options.push({
        size: seqs.length,
        walk: (b) => {
          const i = lastBelow(seqs, b);
          return i < 0 ? -1 : seqs[i]!;
        },
      });
    }
    const bits = f.outcome === undefined ? undefined : this.byOutcome.get(f.outcome);
    if (bits) options.push({ size: bits.size, walk: (b) => bits.prev(b) });
    return options.reduce((a, b) => (b.size < a.size ? b : a)).walk;
  }

  /** Add `n` to every count the record falls under (the outcome-free ones only on creation). */
  private count(
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
    if ((t + 1) * OUTCOME_SLOTS > this.slotsPerRow) {
      this.slotsPerRow *= 2;
      for (const row of this.counts.values()) {
        while (row.length < this.slotsPerRow) row.push(0);
      }
    }
    return t;
  }
}

function push(index: Map<string, number[]>, k: string, seq: number): void {
  const list = index.get(k);
  if (list) list.push(seq);
  else index.set(k, [seq]);
}
