/**
 * The emulator's state: workflows, their list rows, what their campaigns produced (events, calls,
 * vendor messages), tokens and delivery records. Mutated only through entries: `commit(entry)`
 * writes a journal entry to the journal first (when there is one) and then applies it;
 * `derive(entry)` applies what the journaled inputs determine (campaign events, a delivery's
 * content) without journaling it. So the in-memory state is always the journal replayed, with the
 * derived entries recomputed (see entries.ts).
 *
 * The store owns its records: nothing it is handed is kept by identity (a delivery service keeps
 * its own record and reports changes, which arrive here as attempt deltas).
 *
 * Given a content source (`deriveContentWith`), a settled delivery keeps only its summary, sealed
 * into the delivery index's columns (≈ 80 bytes; decoded when read): its payload, body and headers
 * are re-derived when read (`delivery(id)`, `deliveryContent`), like a restart rebuilds them from
 * the journal, with the last reads cached.
 */
import type { DeliveryContent, DeliveryRecord, StoredDelivery } from '../delivery/types.ts';
import type { CallbackPayload } from '../contract/callbacks.ts';
import type {
  CampaignEvent,
  ContactInput,
  ContactResult,
  DialRecord,
  OutboundMessage,
} from '../engine/types.ts';
import type { WorkflowStatus } from '../generated/types.ts';
import type { TokenRecord, TokenTable } from '../core/accounts.ts';
import {
  entryTime,
  type DeliveryCreatedEntry,
  type DerivedEntry,
  type JournalEntry,
  type StoreEntry,
  type WorkflowCreatedEntry,
} from './entries.ts';
import { ContentCache, DEFAULT_CONTENT_CACHE_SIZE } from './content-cache.ts';
import { DeliveryIndex } from './delivery-index.ts';
import { CampaignRecords } from './campaign-records.ts';
import { KeyIndex } from './key-index.ts';
import { Interner, StringInterner } from './interner.ts';
import type { RetryPolicy } from '../core/retry-policy.ts';

export type { WorkflowStatus };

export interface WorkflowRecord {
  workflowId: string;
  workflowName: string;
  templateId: number;
  templateName: string;
  createdAt: number;
  endTime: number;
  autoFinish: number;
  timeZone: string;
  status: WorkflowStatus;
  stoppedAt?: number;
  /** Clock time the campaign was last advanced to. */
  advancedTo: number;
  /** What the campaign was built from (see WorkflowCreatedEntry.campaign). */
  campaign: unknown;
}

export interface RowRecord {
  workflowId: string;
  /** 0-based position in the workflow's list. */
  index: number;
  input: ContactInput;
  callees: string[];
  addedAt: number;
  updatedAt: number;
  /** When canceldetail asked for it (the row may still finish a dial in progress). */
  cancelRequestedAt?: number;
  /** When the row went through the whole workflow, and how (the engine's contact.finished). */
  finishedAt?: number;
  outcome?: ContactResult;
}

export interface CallRecord {
  callId: string;
  workflowId: string;
  callee?: string;
  caseId?: string;
  /** Clock time the dial finished. */
  at: number;
  /** The engine's call record (the data of its dial.finished event). */
  data: DialRecord;
}

/** Where journal entries go before they are applied (the JSONL journal, or nowhere). */
export interface EntrySink {
  append(entry: JournalEntry): void;
}

export type EntryListener = (entry: StoreEntry) => void;

/** Row positions below ROW_ORD; a workflow's ordinal times ROW_ORD plus a position names a row. */
const ROW_ORD = 2 ** 26;

/**
 * The content a delivery no other delivery lends it (not a replay, not a chaos duplicate) sent:
 * rebuilt from what it was made of (its campaign message, or how a `send` built it), or null when
 * that is gone.
 */
export type ContentSource = (d: StoredDelivery) => DeliveryContent | null;

const calleesOf = (row: ContactInput): string[] =>
  Array.isArray(row.callee) ? [...row.callee] : [row.callee];

/** How much a store keeps (see MemoryStore). */
export interface RetentionOptions {
  /**
   * `lean` (what `run` uses): no campaign event log, messages or calls, and a delivery is
   * forgotten — record, payload, body and headers — once it is delivered or exhausted: the run
   * reads each one from the event stream as it finishes. Default `all` (serve, library).
   */
  retain?: 'all' | 'lean';
}

export class MemoryStore implements TokenTable {
  private workflows = new Map<string, WorkflowRecord>();
  private rows = new Map<string, RowRecord[]>();
  /** What the campaigns produced (events, vendor messages), compressed and indexed for the views. */
  readonly campaigns = new CampaignRecords();
  /** Rows by `c:` case id and `n:` callee, as workflow ordinal * ROW_ORD + row index (detailinstances). */
  private rowIndex = new KeyIndex();
  private tokens = new Map<string, TokenRecord>();
  private latestByKey = new Map<string, string>();
  /** Lean: the pending deliveries (the index is not kept). */
  private leanDeliveries = new Map<string, StoredDelivery>();
  /**
   * Every delivery (not lean), by creation order, id, workflow, type and outcome, with counts
   * (admin views, library); settled summaries kept as columns when content is re-derived.
   */
  readonly deliveryIndex = new DeliveryIndex();
  /** Workflows in creation order (pages of the list without copying it). */
  private workflowOrder: WorkflowRecord[] = [];
  private listeners = new Set<EntryListener>();
  private sink: EntrySink | undefined;
  /** Set: settled deliveries drop their content, re-derived from here when read. */
  private contentSource: ContentSource | undefined;
  private contents = new ContentCache();
  /** URLs, policies and answers repeat across records: one copy each (see interner.ts). */
  private urls = new StringInterner(1_024);
  private policies = new Interner<RetryPolicy>(256);
  private answers = new StringInterner(1_024);
  /** Latest clock time any entry mentioned. */
  lastTime = 0;

  /** `lean` retention (see RetentionOptions). */
  readonly lean: boolean;

  constructor(sink?: EntrySink, retention: RetentionOptions = {}) {
    this.sink = sink;
    this.lean = retention.retain === 'lean';
  }

  /**
   * From now on a settled delivery keeps only its summary; reading it re-derives its content
   * from `source` (a replay's and a chaos duplicate's from the delivery they copy), keeping the
   * last `cacheSize` contents read. Attach it before any delivery is created. Not for `lean`.
   */
  deriveContentWith(source: ContentSource, cacheSize = DEFAULT_CONTENT_CACHE_SIZE): void {
    this.contentSource = source;
    this.contents = new ContentCache(cacheSize);
  }

  /** Journal then apply: the one way an input or a delta changes state. */
  commit(entry: JournalEntry): void {
    this.sink?.append(entry);
    this.apply(entry);
  }

  /** Apply what journaled entries determine (recomputed on restart, so never journaled). */
  derive(entry: DerivedEntry): void {
    this.apply(entry);
  }

  /** Apply without journaling (used when replaying the journal). */
  apply(entry: StoreEntry): void {
    switch (entry.k) {
      case 'reset':
        this.clear();
        break;
      case 'token':
        this.tokens.set(entry.token, {
          token: entry.token,
          appKey: entry.appKey,
          expiresAt: entry.expiresAt,
        });
        this.latestByKey.set(entry.appKey, entry.token);
        break;
      case 'workflow':
        this.putWorkflow(toWorkflow(entry));
        this.rows.set(entry.workflowId, []);
        this.campaigns.open(entry.workflowId);
        break;
      case 'rows': {
        const list = this.rows.get(entry.workflowId);
        if (!list) break;
        const ordinal = this.campaigns.get(entry.workflowId)!.ordinal;
        for (const input of entry.rows) {
          this.indexRow(ordinal, list.length, input);
          list.push({
            workflowId: entry.workflowId,
            index: list.length,
            input,
            callees: calleesOf(input),
            addedAt: entry.at,
            updatedAt: entry.at,
          });
        }
        break;
      }
      case 'update':
        for (const row of this.matchRows(entry.workflowId, entry.match)) {
          row.input = { ...row.input, ...entry.fields };
          row.callees = calleesOf(row.input);
          row.updatedAt = entry.at;
          // Keys do not change (the engine refuses it); if they did, the new ones are found too.
          if ('case_id' in entry.fields || 'callee' in entry.fields) {
            this.indexRow(this.campaigns.get(entry.workflowId)!.ordinal, row.index, row.input);
          }
        }
        break;
      case 'cancel':
        for (const row of this.matchRows(entry.workflowId, entry.match)) {
          if (row.finishedAt === undefined) row.cancelRequestedAt ??= entry.at;
        }
        break;
      case 'stop': {
        const wf = this.workflows.get(entry.workflowId);
        if (wf && wf.status === 'Running') {
          wf.status = 'Stopped';
          wf.stoppedAt = entry.at;
        }
        break;
      }
      case 'events':
        this.applyEvents(entry.workflowId, entry.to, entry.events);
        break;
      case 'advance': {
        const wf = this.workflows.get(entry.workflowId);
        if (wf) wf.advancedTo = Math.max(wf.advancedTo, entry.to);
        break;
      }
      case 'delivery':
        this.createDelivery(entry);
        break;
      case 'content': {
        const known = this.record(entry.id);
        // A settled delivery (read back from a journal) gets its content when asked.
        const d = known && !this.dropsContent(known) ? this.mutable(entry.id) : undefined;
        if (d) {
          d.payload = entry.payload;
          d.body = entry.body;
          d.headers = { ...entry.headers };
        }
        break;
      }
      case 'sending': {
        const d = this.mutable(entry.id);
        if (d) {
          d.nextAttemptAt = null;
          // A settled one (a journal's odd order) was held again to change it: seal it back.
          if (d.outcome !== 'pending') this.settled(d);
        }
        break;
      }
      case 'attempt': {
        const d = this.mutable(entry.id);
        if (!d) break;
        const { k: _k, id: _id, next, outcome, ...attempt } = entry;
        if (attempt.response !== undefined) attempt.response = this.answers.of(attempt.response);
        d.attempts.push(attempt);
        d.nextAttemptAt = next;
        d.outcome = outcome;
        this.settled(d);
        break;
      }
      case 'schedule': {
        const d = this.mutable(entry.id);
        if (d) {
          d.nextAttemptAt = entry.next;
          d.outcome = entry.outcome;
          this.settled(d);
        }
        break;
      }
    }
    const t = entryTime(entry);
    if (t !== undefined && t > this.lastTime) this.lastTime = t;
    for (const l of this.listeners) l(entry);
  }

  private createDelivery(e: DeliveryCreatedEntry): void {
    // The content (payload, body, headers) follows as a derived entry, at once live and on
    // replay as soon as the campaign that built the message has been advanced (a pending one;
    // a settled one's is derived when read): until then the record has none.
    const d: StoredDelivery = {
      id: e.id,
      type: e.type,
      url: this.urls.of(e.url),
      payload: undefined,
      body: undefined,
      headers: undefined,
      policy: this.policies.get(JSON.stringify(e.policy), Object.freeze({ ...e.policy })),
      signing: e.signing,
      encrypted: e.encrypted,
      outcome: 'pending',
      attempts: [],
      firstAt: e.firstAt,
      nextAttemptAt: e.nextAttemptAt,
      replays: [],
    };
    if (e.workflowId !== undefined) d.workflowId = e.workflowId;
    if (e.replayOf !== undefined) d.replayOf = e.replayOf;
    if (e.duplicateOf !== undefined) d.duplicateOf = e.duplicateOf;
    if (e.chaos !== undefined) d.chaos = [...e.chaos];
    if (e.onDemand !== undefined) d.onDemand = e.onDemand;
    // Lean: no views read the index (it would keep every record).
    if (this.lean) this.leanDeliveries.set(e.id, d);
    else this.deliveryIndex.add(d);
    const orig = e.replayOf === undefined ? undefined : this.mutable(e.replayOf);
    if (orig) {
      orig.replays.push(e.id);
      this.settled(orig);
    }
  }

  /** A delivery's record to read (lean: only the pending ones are kept). */
  private record(id: string): StoredDelivery | undefined {
    return this.lean ? this.leanDeliveries.get(id) : this.deliveryIndex.get(id);
  }

  /** A delivery's record to change: a settled summary is held as an object again until settled. */
  private mutable(id: string): StoredDelivery | undefined {
    return this.lean ? this.leanDeliveries.get(id) : this.deliveryIndex.mutable(id);
  }

  /**
   * A delivery's outcome or schedule changed: the index follows; lean, a settled delivery leaves
   * (its last listener hears of it from the delivery service); with a content source, a settled
   * one keeps its summary only, sealed into the index's columns (a record handed out before keeps
   * its content and what it saw until then).
   */
  private settled(d: StoredDelivery): void {
    if (this.lean) {
      if (d.outcome !== 'pending') this.leanDeliveries.delete(d.id);
      return;
    }
    this.deliveryIndex.outcomeChanged(d);
    if (this.dropsContent(d)) this.deliveryIndex.seal(d);
  }

  private dropsContent(d: StoredDelivery): boolean {
    return this.contentSource !== undefined && d.outcome !== 'pending';
  }

  private indexRow(ordinal: number, index: number, input: ContactInput): void {
    const at = ordinal * ROW_ORD + index;
    this.rowIndex.add(`c:${input.case_id ?? ''}`, at);
    for (const n of calleesOf(input)) this.rowIndex.add(`n:${n}`, at);
  }

  private putWorkflow(wf: WorkflowRecord): void {
    const known = this.workflows.get(wf.workflowId);
    this.workflows.set(wf.workflowId, wf);
    if (known) this.workflowOrder[this.workflowOrder.indexOf(known)] = wf;
    else this.workflowOrder.push(wf);
  }

  private applyEvents(workflowId: string, to: number, events: CampaignEvent[]): void {
    const wf = this.workflows.get(workflowId);
    if (!wf) return;
    wf.advancedTo = Math.max(wf.advancedTo, to);
    for (const ev of events) {
      if (!this.lean) this.campaigns.append(workflowId, ev);
      if (ev.kind === 'contact.finished') {
        const row = this.matchRows(workflowId, { case_id: ev.caseId, callee: ev.callee }).find(
          (r) => r.finishedAt === undefined,
        );
        if (row) {
          row.finishedAt = ev.at;
          row.outcome = ev.data.result;
        }
      }
      if (ev.kind === 'workflow.status') {
        const status = ev.data.status;
        if (status === 'Finished') wf.status = 'Finished';
        else if (status === 'Stopped' && wf.status === 'Running') wf.status = 'Stopped';
      }
    }
  }

  private clear(): void {
    this.workflows.clear();
    this.rows.clear();
    this.campaigns.clear();
    this.rowIndex.clear();
    this.leanDeliveries.clear();
    this.deliveryIndex.clear();
    this.contents.clear();
    this.urls.clear();
    this.policies.clear();
    this.answers.clear();
    this.workflowOrder = [];
    // Tokens survive a reset: a client that authenticated keeps working (like the vendor's console reset).
  }

  // -- listeners --------------------------------------------------------------------------------

  onEntry(listener: EntryListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // -- tokens (TokenTable) ----------------------------------------------------------------------

  findToken(token: string): TokenRecord | undefined {
    return this.tokens.get(token);
  }
  latestToken(appKey: string): TokenRecord | undefined {
    const t = this.latestByKey.get(appKey);
    return t === undefined ? undefined : this.tokens.get(t);
  }
  saveToken(record: TokenRecord): void {
    this.commit({ k: 'token', ...record });
  }

  // -- queries ----------------------------------------------------------------------------------

  workflow(id: string): WorkflowRecord | undefined {
    return this.workflows.get(id);
  }
  /** Every workflow, newest first. */
  listWorkflows(): WorkflowRecord[] {
    return this.workflowOrder.slice().reverse();
  }
  /** Bumped by every reset: a position in a list taken before one no longer means anything. */
  get generation(): number {
    return this.deliveryIndex.generation;
  }
  workflowCount(): number {
    return this.workflowOrder.length;
  }
  /** Up to `limit` workflows created before position `before`, newest first (positions count from 0). */
  workflowPage(before: number, limit: number): { list: WorkflowRecord[]; before: number | null } {
    const end = Math.min(before, this.workflowOrder.length);
    const start = Math.max(0, end - limit);
    const list = this.workflowOrder.slice(start, end).reverse();
    return { list, before: start > 0 && list.length > 0 ? start : null };
  }
  rowsOf(workflowId: string): RowRecord[] {
    return this.rows.get(workflowId) ?? [];
  }
  /** Rows matching a case id and/or a callee (any of a multi-number row's numbers). */
  matchRows(workflowId: string, match: { case_id?: string; callee?: string }): RowRecord[] {
    return this.rowsOf(workflowId).filter((r) => rowMatches(r, match));
  }
  /**
   * Rows of every workflow matching a case id and/or a callee, newest workflow first and each
   * workflow's newest rows first, read through the row index (not every workflow's rows).
   */
  matchAllRows(match: { case_id?: string; callee?: string }): { workflow: WorkflowRecord; row: RowRecord }[] {
    const key = match.callee !== undefined ? `n:${match.callee}` : `c:${match.case_id ?? ''}`;
    const at = [...new Set(this.rowIndex.get(key))].sort((a, b) => b - a);
    const out: { workflow: WorkflowRecord; row: RowRecord }[] = [];
    for (const x of at) {
      const workflow = this.workflowOrder[Math.floor(x / ROW_ORD)];
      const row = workflow && this.rows.get(workflow.workflowId)?.[x % ROW_ORD];
      if (row && rowMatches(row, match)) out.push({ workflow, row });
    }
    return out;
  }
  /** Every event of a workflow, with its messages (decodes the whole log: tests and debugging). */
  eventsOf(workflowId: string): CampaignEvent[] {
    return this.campaigns.events(workflowId);
  }
  /** Every vendor message of a workflow (decodes the whole log: tests and debugging). */
  messagesOf(workflowId: string): OutboundMessage[] {
    return [...(this.campaigns.get(workflowId)?.messages.range() ?? [])];
  }
  /** A vendor message by id (a delivery's content is derived from it). */
  message(id: string): OutboundMessage | undefined {
    return this.campaigns.message(id);
  }
  /** A finished dial by call id (reads every workflow's events: tests and debugging). */
  call(callId: string): CallRecord | undefined {
    for (const wf of this.workflowOrder) {
      const found = this.callsOf(wf.workflowId).find((c) => c.callId === callId);
      if (found) return found;
    }
    return undefined;
  }
  /** A workflow's finished dials, in order (reads its whole event log: tests and debugging). */
  callsOf(workflowId: string): CallRecord[] {
    const out: CallRecord[] = [];
    for (const { e } of this.campaigns.get(workflowId)?.events.range() ?? []) {
      if (e.kind !== 'dial.finished') continue;
      out.push({ callId: e.callId, workflowId, callee: e.callee, caseId: e.caseId, at: e.at, data: e.data });
    }
    return out;
  }
  /**
   * A delivery with its content (payload, body, headers): the store's own record while pending
   * (live), once settled a copy whose content is re-derived when first read. The one way readers
   * get content.
   */
  delivery(id: string): DeliveryRecord | undefined {
    const d = this.record(id);
    return d && this.withContent(d);
  }
  /** Every delivery with its content (as `delivery(id)`), in creation order (prefer pages). */
  deliveries(): DeliveryRecord[] {
    return this.deliveryIndex.all().map((d) => this.withContent(d));
  }
  /**
   * A delivery as kept: its summary (a settled one decoded from the index's columns, the same
   * object while it is among the last read), its content only while pending (no derivation).
   */
  storedDelivery(id: string): StoredDelivery | undefined {
    return this.record(id);
  }
  /** Every delivery as kept, in creation order. */
  storedDeliveries(): StoredDelivery[] {
    return this.deliveryIndex.all();
  }

  /**
   * The record with its content: its own, or re-derived when first read (an empty placeholder when
   * none can be). Lazily, so a list of every delivery costs no more than its summaries until its
   * contents are read.
   */
  withContent(d: StoredDelivery): DeliveryRecord {
    if (hasContent(d)) return d;
    return lazyContent(d, () => this.deliveryContent(d));
  }

  /**
   * What a delivery sends: its own content while it has it, else the content of the delivery it
   * replays or duplicates (the same bytes), else the content source's; null when none is known.
   */
  deliveryContent(d: StoredDelivery): DeliveryContent | null {
    if (hasContent(d)) return { payload: d.payload, body: d.body, headers: d.headers };
    const cached = this.contents.get(d.id);
    if (cached) return cached;
    const from = d.replayOf ?? d.duplicateOf;
    let c: DeliveryContent | null;
    if (from !== undefined) {
      const source = this.record(from);
      c = source ? this.deliveryContent(source) : null;
    } else {
      c = this.contentSource?.(d) ?? null;
    }
    if (c) this.contents.set(d.id, c);
    return c;
  }
}

const CONTENT_KEYS = ['payload', 'body', 'headers'] as const;

/** Whether the record holds its own content (a pending delivery, or a store with no source). */
function hasContent(d: StoredDelivery): d is DeliveryRecord {
  return d.payload !== undefined && d.body !== undefined && d.headers !== undefined;
}

/**
 * A copy of `d` whose payload, body and headers are read from `derive` on first access (once for
 * the three), in the record's key order (the admin API prints it), headers of its own; a key
 * assigned to holds what was assigned.
 */
function lazyContent(d: StoredDelivery, derive: () => DeliveryContent | null): DeliveryRecord {
  const r = { ...d } as DeliveryRecord;
  let c: DeliveryContent | undefined;
  const content = (): DeliveryContent => {
    if (c === undefined) {
      const got = derive();
      c = {
        payload: got?.payload ?? ({} as CallbackPayload),
        body: got?.body ?? '',
        headers: { ...got?.headers },
      };
    }
    return c;
  };
  for (const key of CONTENT_KEYS) {
    Object.defineProperty(r, key, {
      enumerable: true,
      configurable: true,
      get: () => content()[key],
      set: (value: unknown) => {
        Object.defineProperty(r, key, { value, enumerable: true, configurable: true, writable: true });
      },
    });
  }
  return r;
}

function rowMatches(r: RowRecord, match: { case_id?: string; callee?: string }): boolean {
  return (
    (match.case_id === undefined || (r.input.case_id ?? '') === match.case_id) &&
    (match.callee === undefined || r.callees.includes(match.callee))
  );
}

function toWorkflow(e: WorkflowCreatedEntry): WorkflowRecord {
  return {
    workflowId: e.workflowId,
    workflowName: e.workflowName,
    templateId: e.templateId,
    templateName: e.templateName,
    createdAt: e.at,
    endTime: e.endTime,
    autoFinish: e.autoFinish,
    timeZone: e.timeZone,
    status: 'Running',
    advancedTo: e.at,
    campaign: e.campaign,
  };
}
