/**
 * Read models for the admin API and the dashboard: a workflow's summary (status, contacts, calls,
 * deliveries) and its detail (contacts and every dial). Derived from the campaign events the store
 * keeps and from the call-completion callbacks, so the dashboard shows what the callbacks said.
 * The dashboard asks every second and a large campaign has many events, kept compressed
 * (campaign-records.ts): the summary counters, each dial's row and what the callbacks reported of
 * it are folded by the store as events arrive, and the contacts here, once per event.
 *
 * Field names follow the vendor's call records (snake_case: `call_times`, `ring_type`…); times are
 * epoch milliseconds (numbers) like everywhere else in the admin API and the library.
 */
import type { ContactInput } from '../engine/types.ts';
import type { DetailResult, HangupType, RingType, WorkflowStatus } from '../generated/types.ts';
import type { MemoryStore, RowRecord, WorkflowRecord } from './memory-store.ts';
import type { EventData, WorkflowCampaign } from './campaign-records.ts';
import { ContactTable, type ContactView } from './contact-fold.ts';

export type { ContactView } from './contact-fold.ts';

export interface DeliveryCounts {
  total: number;
  pending: number;
  delivered: number;
  exhausted: number;
}

export interface WorkflowSummary {
  workflow_id: string;
  workflow_name: string;
  template_id: number;
  template_name: string;
  status: WorkflowStatus;
  time_zone: string;
  /** Clock time the workflow was created, epoch ms. */
  created_at: number;
  /** Clock time the campaign has been played to, epoch ms. */
  advanced_to: number;
  /** Rows uploaded plus contacts the scenario generated. */
  contacts: number;
  contacts_finished: number;
  /** Dials made (redials included). */
  calls: number;
  /** Dials that were answered. */
  connected: number;
  deliveries: DeliveryCounts;
  /**
   * Running but held up by its calling windows: nothing happens before `until` (clock ms). Null
   * otherwise. Filled in by the server (the campaign knows it, the store does not).
   */
  waiting: { reason: 'calling_window'; until: number } | null;
}

export interface CallView {
  call_id: string;
  case_id: string | null;
  callee: string | null;
  /** 1 for the first dial of the number, 2 for its first redial, … */
  call_times: number;
  /** Clock time the dial started, epoch ms (null when unknown). */
  started_at: number | null;
  /** Clock time the dial ended, epoch ms. */
  ended_at: number;
  answered: boolean;
  ring_type: RingType;
  /** Talk seconds. */
  duration: number;
  hangup_type: HangupType;
  /** The callback's `result`, once the number's callback exists (null for an earlier dial). */
  result: DetailResult | null;
  result_label: string | null;
  intention: string | null;
  /** Path of the WAV recording, or null when the dial was not answered. */
  recording: string | null;
}

export interface WorkflowDetail {
  workflow: WorkflowSummary;
  contacts: PartPage<ContactView>;
  calls: PartPage<CallView>;
}

/** A text field as the admin API shows it: null when empty or absent. */
const str = (v: string | null | undefined): string | null => v || null;

/** A workflow's deliveries by outcome, from the store's counts (O(1)). */
function countDeliveries(store: MemoryStore, workflow: string): DeliveryCounts {
  const index = store.deliveryIndex;
  return {
    total: index.countOf({ workflow }),
    pending: index.countOf({ workflow, outcome: 'pending' }),
    delivered: index.countOf({ workflow, outcome: 'delivered' }),
    exhausted: index.countOf({ workflow, outcome: 'exhausted' }),
  };
}

function summarize(store: MemoryStore, wf: WorkflowRecord): WorkflowSummary {
  const f = store.campaigns.get(wf.workflowId)?.counts ?? {
    generated: 0,
    finished: 0,
    calls: 0,
    connected: 0,
  };
  return {
    workflow_id: wf.workflowId,
    workflow_name: wf.workflowName,
    template_id: wf.templateId,
    template_name: wf.templateName,
    status: wf.status,
    time_zone: wf.timeZone,
    created_at: wf.createdAt,
    advanced_to: wf.advancedTo,
    contacts: store.rowsOf(wf.workflowId).length + f.generated,
    contacts_finished: f.finished,
    calls: f.calls,
    connected: f.connected,
    deliveries: countDeliveries(store, wf.workflowId),
    waiting: null,
  };
}

/**
 * Up to `limit` workflows created before position `before`, newest first, each summarized when it
 * is read (a page of 10,000 is written a slice per event-loop turn).
 */
export function workflowSummaries(
  store: MemoryStore,
  before: number,
  limit: number,
): { list: SummaryRef[]; total: number; before: number | null } {
  const page = store.workflowPage(before, limit);
  return {
    list: page.list.map((wf) => () => summarize(store, wf)),
    total: store.workflowCount(),
    before: page.before,
  };
}

/** A workflow's summary, made when called. */
export type SummaryRef = () => WorkflowSummary;

export interface DetailOptions {
  /** Most contacts and calls returned (calls newest first). */
  limit: number;
  /** Link to a dial's recording (the vendor API's recording path). */
  recordUrl: (callId: string) => string;
}

/**
 * Keep every workflow's detail folds up to date as its campaign produces events, so the first
 * look at a large workflow does not read all its events in one request. Returns the detach.
 */
export function watchWorkflowViews(store: MemoryStore): () => void {
  return store.onEntry((e) => {
    if (e.k !== 'events') return;
    contactsOf(store, e.workflowId);
  });
}

/** One workflow with its contacts (list order) and dials (newest first), or undefined. */
export function workflowDetail(
  store: MemoryStore,
  workflowId: string,
  opts: DetailOptions,
): WorkflowDetail | undefined {
  const wf = store.workflow(workflowId);
  if (!wf) return undefined;
  return {
    workflow: summarize(store, wf),
    contacts: workflowContacts(store, workflowId, 0, opts.limit)!,
    calls: workflowCalls(store, workflowId, Infinity, opts)!,
  };
}

/**
 * A page of a workflow's list inside it, its items made when read (a page of 10,000 calls is
 * written a slice per event-loop turn): `next` is the position the following page starts at (the
 * admin API makes it a cursor), null on the last page.
 */
export interface PartPage<T> {
  /** Items on the page. */
  length: number;
  /** Item `i` of the page (0 ≤ i < length). */
  item(i: number): T;
  total: number;
  next: number | null;
}

/** A page's items, all made now. */
export const partItems = <T>(page: PartPage<T>): T[] =>
  Array.from({ length: page.length }, (_, i) => page.item(i));

/** `limit` contacts from position `from`, in list order; undefined for an unknown workflow. */
export function workflowContacts(
  store: MemoryStore,
  workflowId: string,
  from: number,
  limit: number,
): PartPage<ContactView> | undefined {
  if (!store.workflow(workflowId)) return undefined;
  const contacts = contactsOf(store, workflowId);
  const start = Math.min(from, contacts.length);
  const end = Math.min(start + limit, contacts.length);
  return {
    length: end - start,
    item: (i) => contacts.view(start + i),
    total: contacts.length,
    // An empty page (limit 0) has no next, as the other lists' (a client would loop on it).
    next: end < contacts.length && end > start ? end : null,
  };
}

/**
 * At most `opts.limit` dials, newest first, from those before position `before` (Infinity: the
 * newest); undefined for an unknown workflow.
 */
export function workflowCalls(
  store: MemoryStore,
  workflowId: string,
  before: number,
  opts: DetailOptions,
): PartPage<CallView> | undefined {
  if (!store.workflow(workflowId)) return undefined;
  const w = store.campaigns.get(workflowId);
  const total = w?.dials.length ?? 0;
  const start = Math.min(before, total);
  const end = Math.max(0, start - opts.limit);
  return {
    length: start - end,
    item: (i) => callView(store, w!, start - 1 - i, opts),
    total,
    next: end > 0 && start > end ? end : null,
  };
}

/**
 * A workflow's contacts as far as its events have been read. The dashboard asks every second
 * and a campaign has tens of thousands of events, so only the events added since are read; the
 * fold starts over when the uploaded rows changed (a row added or updated).
 */
interface ContactFold {
  seen: number;
  /** The uploaded rows' inputs when the fold started (a row update replaces its input). */
  inputs: ContactInput[];
  contacts: ContactTable;
}

/** Keyed by the store's workflow record of events: replaced on reset, so stale folds drop away. */
const contactFolds = new WeakMap<WorkflowCampaign, ContactFold>();

/**
 * Uploaded rows first (in list order), then contacts a scenario generated, as they are first
 * dialled: the engine does not publish its generated list ahead of time.
 */
function contactsOf(store: MemoryStore, workflowId: string): ContactTable {
  const w = store.campaigns.get(workflowId);
  const rows = store.rowsOf(workflowId);
  let f = w && contactFolds.get(w);
  if (!f || !caughtUp(f, rows)) {
    f = { seen: 0, inputs: rows.map((r) => r.input), contacts: new ContactTable() };
    if (w) contactFolds.set(w, f);
    for (const row of rows) addUploaded(f, row);
  }
  if (w) for (const { e } of w.events.range(f.seen)) readContactEvent(f.contacts, e);
  f.seen = w?.events.length ?? 0;
  return f.contacts;
}

function addUploaded(f: ContactFold, row: RowRecord): void {
  f.contacts.add({
    caseId: str(row.input.case_id),
    callees: row.callees,
    customerName: str(row.input.customer_name),
    status: row.finishedAt === undefined ? 'waiting' : row.outcome === 'cancelled' ? 'cancelled' : 'finished',
    finishedAt: row.finishedAt ?? null,
  });
  f.contacts.uploaded = f.contacts.length;
}

/**
 * Bring the fold up to date with the uploaded rows without reading the workflow's events again
 * (they are compressed: a large workflow's would take long to decode), where starting over would
 * give the same: rows added while no generated contact follows the rows (events already read
 * matched older rows, which keep their keys), and rows updated without a change of keys
 * (updatedetail changes the other fields). False when the fold must start over.
 */
function caughtUp(f: ContactFold, rows: readonly RowRecord[]): boolean {
  const known = f.inputs.length;
  if (rows.length < known || (rows.length > known && f.contacts.length > known)) return false;
  for (let i = 0; i < known; i++) {
    const input = rows[i]!.input;
    const before = f.inputs[i]!;
    if (input === before) continue;
    const sameKeys =
      (input.case_id ?? '') === (before.case_id ?? '') &&
      JSON.stringify(input.callee) === JSON.stringify(before.callee);
    if (!sameKeys) return false;
    f.contacts.setName(i, str(input.customer_name));
    f.inputs[i] = input;
  }
  for (let i = known; i < rows.length; i++) {
    addUploaded(f, rows[i]!);
    f.inputs.push(rows[i]!.input);
  }
  return true;
}

/** The contact an event is about (added on first sight), or -1. */
function contactOf(t: ContactTable, e: EventData): number {
  const found = t.find(e.caseId, e.callee);
  if (found >= 0) {
    if (e.callee) t.addCallee(found, e.callee);
    return found;
  }
  if (!e.caseId && !e.callee) return -1;
  return t.add({
    caseId: e.caseId ?? null,
    callees: e.callee ? [e.callee] : [],
    customerName: null,
    status: 'waiting',
    finishedAt: null,
  });
}

function readContactEvent(t: ContactTable, e: EventData): void {
  if (e.kind === 'dial.started') {
    const c = contactOf(t, e);
    if (c >= 0 && t.status(c) === 'waiting') t.setStatus(c, 'calling');
  } else if (e.kind === 'dial.finished') {
    const c = contactOf(t, e);
    if (c >= 0) t.dialled(c, e.at);
  } else if (e.kind === 'contact.finished') {
    const c = contactOf(t, e);
    if (c >= 0) t.finished(c, e.data.result, e.at);
  }
}

/** The newest `limit` finished dials, with the callback's view of each once its number reported. */
/** Dial `i` of a workflow as the admin API shows it. */
function callView(store: MemoryStore, w: WorkflowCampaign, i: number, opts: DetailOptions): CallView {
  const [
    callId,
    caseId,
    callee,
    at,
    startAt,
    answered,
    ringType,
    talkTime,
    hangup,
    label,
    description,
    times,
  ] = w.dials.get(i);
  // The last of this workflow's callbacks reporting the call; its fields win over the dial's.
  const r = store.campaigns
    .reportsOfCall(callId)
    .filter((x) => x.workflow === w)
    .at(-1)?.report;
  return {
    call_id: callId,
    case_id: caseId,
    callee,
    call_times: r?.[2] ?? times,
    started_at: startAt > 0 ? startAt : null,
    ended_at: at,
    answered: answered === 1,
    ring_type: (r?.[3] ?? ringType) as RingType,
    duration: r?.[4] ?? talkTime,
    hangup_type: (r?.[5] ?? hangup) as HangupType,
    result: (r?.[6] ?? null) as DetailResult | null,
    result_label: str(r?.[7]) ?? str(label),
    intention: str(r?.[8]) ?? str(description),
    recording: r?.[9] === 1 ? opts.recordUrl(callId) : null,
  };
}
