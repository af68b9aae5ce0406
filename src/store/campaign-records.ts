/**
 * What the campaigns produced, kept small (serve holds hundreds of thousands of them): per
 * workflow its campaign events (without their messages) and its vendor messages, each in a
 * ChunkLog (deflated JSON chunks), plus what the views need to answer without reading them all,
 * folded once as each message arrives:
 *
 * - per workflow: the summary counters, the node tasks and outbound tasks (as the subtasks and
 *   tasks queries list them), each callback's number records as positions, with the records of
 *   each callee and of each outbound task, and the Custom API pushes of each node and callee;
 * - across workflows: message id → position (`message(id)`), call id → number record (callinfo by
 *   call id, the admin detail), outbound task id → workflows (taskdetail).
 *
 * Index keys are hashed (KeyIndex), so every lookup reads its candidates and keeps those that
 * really match. Positions pack a workflow's ordinal with a position in it (ORD).
 */
import type {
  CallCompletion,
  CallCompletionDetail,
  CallCompletionInfoCheck,
  InfoCheckCallDetail,
  SubtaskItem,
} from '../generated/types.ts';
import type { CampaignEvent, CampaignEventKind, OutboundMessage } from '../engine/types.ts';
import { ChunkCache, ChunkDictionary, ChunkLog, ChunkSlab } from './chunk-log.ts';
import { KeyIndex } from './key-index.ts';

/** A call-completion callback, of either flavour. */
export type CompletionMessage = OutboundMessage<'call-completion' | 'call-completion-info-check'>;

/** The task-level fields of a call-completion callback (everything but details). */
export type CompletionTask = Omit<CallCompletion | CallCompletionInfoCheck, 'details'>;

/** One number's record from a call-completion callback, with its task-level fields. */
export interface NumberRecord {
  message: CompletionMessage;
  /** The callback's task-level fields (everything but details). */
  task: CompletionTask;
  detail: CallCompletionDetail | InfoCheckCallDetail;
}

export interface OutboundTask {
  first: CompletionTask;
  latest: CompletionTask;
  numbers: number;
  connected: number;
}

/** A node task of a workflow, as the subtasks query lists it. */
export type NodeTask = SubtaskItem;

/** An event without its messages (still a union over `kind`). */
export type EventData = { [K in CampaignEventKind]: Omit<CampaignEvent<K>, 'messages'> }[CampaignEventKind];

/** An event as kept: without its messages (they are in the message log, in order), and how many. */
export interface StoredEvent {
  e: EventData;
  m: number;
}

/**
 * A finished dial as the admin detail lists it (the fields of its dial.finished event it shows):
 * call id, case id, callee, end time, start time, answered (1/0), ring type, talk seconds, hangup
 * type, label, description, and its rank among its number's dials.
 */
export type DialRow = [
  string,
  string,
  string,
  number,
  number,
  number,
  string | null,
  number,
  string,
  string,
  string,
  number,
];

/**
 * What a number's callback says of one of its dials (a redial of `redail_call`, or the final
 * one): call id, number record, call_times, ring_type, duration, hangup_type, result,
 * result_label, intention_description, recorded (1/0). Null where the callback has no field.
 */
export type ReportRow = [
  string,
  number,
  number,
  string | null,
  number,
  string,
  string | null,
  string | null,
  string | null,
  number,
];

/** Positions within a workflow are below ORD; ordinal * ORD + position names one across workflows. */
const ORD = 2 ** 26;
/** A number record is its message position * DETAILS + its index in `details`. */
const DETAILS = 1024;

export interface CampaignCounts {
  /** Contacts the scenario generated (workflow.created). */
  generated: number;
  finished: number;
  calls: number;
  connected: number;
}

/**
 * A workflow's vendor messages in the order they were made, kept in two logs: the call-completion
 * callbacks (what taskdetail, callinfo and recordings page through) and the others, so a page of
 * number records decodes chunks of completions only (they are one message in three or four).
 */
export class MessageLog {
  private readonly completions: ChunkLog<OutboundMessage>;
  private readonly others: ChunkLog<OutboundMessage>;
  /** Each message's place: its position in its log * 2, plus 1 in the completions' log. */
  private readonly order: number[] = [];

  constructor(completions: ChunkLog<OutboundMessage>, others: ChunkLog<OutboundMessage>) {
    this.completions = completions;
    this.others = others;
  }

  get length(): number {
    return this.order.length;
  }

  /** Append; returns the message's position. */
  push(m: OutboundMessage): number {
    const completion = m.type === 'call-completion' || m.type === 'call-completion-info-check';
    const pos = (completion ? this.completions : this.others).push(m);
    this.order.push(pos * 2 + (completion ? 1 : 0));
    return this.order.length - 1;
  }

  get(i: number): OutboundMessage {
    const at = this.order[i]!;
    return (at % 2 === 1 ? this.completions : this.others).get(Math.floor(at / 2));
  }

  *range(from = 0, to = this.length): Generator<OutboundMessage> {
    for (let i = from; i < to; i++) yield this.get(i);
  }
}

/** What a workflow's callbacks said, folded as they arrived (made at its first callback). */
export class CallbackIndex {
  /** Number records (message position * DETAILS + detail index), in callback order. */
  readonly numbers: number[] = [];
  /** Callee → record ordinals. */
  readonly byCallee = new KeyIndex();
  /** Outbound task id → record ordinals. */
  readonly byTask = new Map<string, number[]>();
  /** Node tasks as the notifications and callbacks named them, in first-seen order. */
  readonly nodes = new Map<string, NodeTask>();
  /** Outbound tasks in order of first report. */
  readonly tasks = new Map<string, OutboundTask>();
  /** `node_id \0 callee` → positions of Custom API pushes. */
  readonly pushes = new KeyIndex();
}

const NO_CALLBACKS = new CallbackIndex();

/** What every workflow's logs share: the decoded-chunk cache and a dictionary per kind. */
interface LogSettings {
  cache: ChunkCache;
  slab: ChunkSlab;
  events: ChunkDictionary;
  messages: ChunkDictionary;
  completions: ChunkDictionary;
  dials: ChunkDictionary;
  reports: ChunkDictionary;
}

export class WorkflowCampaign {
  readonly workflowId: string;
  readonly ordinal: number;
  readonly events: ChunkLog<StoredEvent>;
  readonly messages: MessageLog;
  readonly counts: CampaignCounts = { generated: 0, finished: 0, calls: 0, connected: 0 };
  /** Finished dials, in order (the admin detail's calls). */
  readonly dials: ChunkLog<DialRow>;
  /** What the callbacks reported of each dial, in callback order. */
  readonly reports: ChunkLog<ReportRow>;
  /** Dials so far of each `case id | callee`, made at the first dial, dropped when it finishes. */
  private perNumber: Map<string, number> | undefined;
  private folded: CallbackIndex | undefined;

  constructor(workflowId: string, ordinal: number, logs: LogSettings) {
    this.workflowId = workflowId;
    this.ordinal = ordinal;
    this.events = new ChunkLog(logs.cache, logs.events, logs.slab);
    this.messages = new MessageLog(
      new ChunkLog(logs.cache, logs.completions, logs.slab),
      new ChunkLog(logs.cache, logs.messages, logs.slab),
    );
    this.dials = new ChunkLog(logs.cache, logs.dials, logs.slab);
    this.reports = new ChunkLog(logs.cache, logs.reports, logs.slab);
  }

  /** A dial finished: its row, ranked among its number's dials. */
  addDial(e: CampaignEvent<'dial.finished'>): void {
    const key = `${e.caseId}|${e.callee}`;
    this.perNumber ??= new Map();
    const n = (this.perNumber.get(key) ?? 0) + 1;
    this.perNumber.set(key, n);
    const d = e.data;
    this.dials.push([
      e.callId,
      e.caseId,
      e.callee,
      e.at,
      d.startAt,
      d.answered ? 1 : 0,
      d.ringType,
      d.talkTime,
      d.hangup,
      d.label,
      d.description,
      n,
    ]);
  }

  /**
   * The workflow finished: no row can be added nor dialled any more (the engine refuses rows to a
   * finished workflow), so the dial counts per number are done with (≈ 115 bytes a number).
   */
  finished(): void {
    this.perNumber = undefined;
  }

  /** The callback indexes (an empty, shared one until the first callback: read only). */
  get index(): CallbackIndex {
    return this.folded ?? NO_CALLBACKS;
  }

  /** The callback indexes, to add to. */
  fold(): CallbackIndex {
    return (this.folded ??= new CallbackIndex());
  }

  /** Number record `rec` (an index into `numbers`). */
  record(rec: number): NumberRecord {
    const packed = this.index.numbers[rec]!;
    const message = this.messages.get(Math.floor(packed / DETAILS)) as CompletionMessage;
    const { details, ...task } = message.payload;
    return { message, task, detail: details[packed % DETAILS]! };
  }
}

export class CampaignRecords {
  private readonly logs: LogSettings = {
    cache: new ChunkCache(),
    slab: new ChunkSlab(),
    events: new ChunkDictionary(),
    messages: new ChunkDictionary(),
    completions: new ChunkDictionary(),
    dials: new ChunkDictionary(),
    reports: new ChunkDictionary(),
  };
  private readonly byId = new Map<string, WorkflowCampaign>();
  private readonly byOrdinal: WorkflowCampaign[] = [];
  private readonly callAt = new KeyIndex();
  private readonly taskAt = new Map<string, number[]>();

  /** A workflow was created (again: its earlier records are forgotten). */
  open(workflowId: string): void {
    const known = this.byId.get(workflowId);
    const ordinal = known ? known.ordinal : this.byOrdinal.length;
    const w = new WorkflowCampaign(workflowId, ordinal, this.logs);
    this.byId.set(workflowId, w);
    this.byOrdinal[ordinal] = w;
  }

  get(workflowId: string): WorkflowCampaign | undefined {
    return this.byId.get(workflowId);
  }

  clear(): void {
    this.byId.clear();
    this.byOrdinal.length = 0;
    this.callAt.clear();
    this.taskAt.clear();
    this.logs.cache.clear();
    this.logs.slab.clear();
    const { events, messages, completions, dials, reports } = this.logs;
    for (const d of [events, messages, completions, dials, reports]) d.clear();
  }

  append(workflowId: string, ev: CampaignEvent): void {
    const w = this.byId.get(workflowId);
    if (!w) return;
    const { messages, ...e } = ev;
    w.events.push({ e: e as EventData, m: messages.length });
    count(w.counts, ev);
    if (ev.kind === 'dial.finished') w.addDial(ev);
    else if (ev.kind === 'workflow.status' && ev.data.status === 'Finished') w.finished();
    for (const m of messages) this.addMessage(w, m);
  }

  private addMessage(w: WorkflowCampaign, m: OutboundMessage): void {
    const pos = w.messages.push(m);
    const ix = w.fold();
    if (m.type === 'workflow-status-change') {
      for (const a of m.payload.actions) this.seeNode(w, a);
    } else if (m.type === 'list-completion') {
      for (const r of m.payload.rows) this.seeNode(w, { ...r, task_status: undefined });
    } else if (m.type === 'call-completion' || m.type === 'call-completion-info-check') {
      const p = m.payload;
      this.seeNode(w, {
        nodetask_id: p.nodetask_id,
        nodetask_name: p.nodetask_name,
        node_type: ix.nodes.get(p.nodetask_id)?.node_type ?? 'voicebot_call',
        task_id: p.task_id,
        task_status: p.status,
      });
      this.addNumbers(w, ix, m, pos);
    } else if (m.type === 'custom-api-node-push') {
      const p = m.payload;
      this.seeNode(w, {
        nodetask_id: p.node_id,
        nodetask_name: p.node_name,
        node_type: ix.nodes.get(p.node_id)?.node_type ?? 'api',
      });
      ix.pushes.add(`${p.node_id}\0${p.call.callee_number}`, pos);
    }
  }

  private seeNode(w: WorkflowCampaign, n: NodeTask): void {
    const nodes = w.fold().nodes;
    const prev = nodes.get(n.nodetask_id);
    nodes.set(n.nodetask_id, { ...prev, ...stripUndefined(n) } as NodeTask);
    if (n.task_id !== undefined) this.taskIn(n.task_id, w.ordinal);
  }

  private taskIn(taskId: string, ordinal: number): void {
    const list = this.taskAt.get(taskId);
    if (!list) this.taskAt.set(taskId, [ordinal]);
    else if (!list.includes(ordinal)) {
      list.push(ordinal);
      list.sort((a, b) => a - b);
    }
  }

  private addNumbers(w: WorkflowCampaign, ix: CallbackIndex, m: CompletionMessage, pos: number): void {
    const { details, ...task } = m.payload;
    details.forEach((d, i) => {
      const rec = ix.numbers.length;
      ix.numbers.push(pos * DETAILS + i);
      ix.byCallee.add(d.callee, rec);
      const ofTask = ix.byTask.get(task.task_id);
      if (ofTask) ofTask.push(rec);
      else ix.byTask.set(task.task_id, [rec]);
      this.taskIn(task.task_id, w.ordinal);
      for (const row of reportRows(d, rec)) {
        this.callAt.add(row[0], w.ordinal * ORD + w.reports.push(row));
      }
      let t = ix.tasks.get(task.task_id);
      if (!t) {
        t = { first: task, latest: task, numbers: 0, connected: 0 };
        ix.tasks.set(task.task_id, t);
      }
      t.latest = task;
      t.numbers++;
      if (d.duration > 0) t.connected++;
    });
  }

  // -- queries ----------------------------------------------------------------------------------

  /**
   * A message by id. Ids count a workflow's messages (`<workflow id>-<n>`, src/engine/
   * campaign-outbox.ts) and the log keeps them in the order they were made, so message n is at
   * position n - 1: no id is kept. Checked, and searched for should that order ever differ.
   */
  message(id: string): OutboundMessage | undefined {
    const dash = id.lastIndexOf('-');
    const w = dash > 0 ? this.byId.get(id.slice(0, dash)) : undefined;
    if (!w) return undefined;
    const n = Number(id.slice(dash + 1));
    const guess = Number.isInteger(n) && n >= 1 && n <= w.messages.length ? w.messages.get(n - 1) : undefined;
    if (guess?.id === id) return guess;
    for (const m of w.messages.range()) if (m.id === id) return m;
    return undefined;
  }

  /** Every event of a workflow with its messages (tests and debugging: reads the whole log). */
  events(workflowId: string): CampaignEvent[] {
    const w = this.byId.get(workflowId);
    if (!w) return [];
    const out: CampaignEvent[] = [];
    let next = 0;
    for (const { e, m } of w.events.range()) {
      const messages: OutboundMessage[] = [];
      for (let i = 0; i < m; i++) messages.push(w.messages.get(next++));
      out.push({ ...e, messages } as CampaignEvent);
    }
    return out;
  }

  /** The workflows (oldest first) whose node tasks or callbacks name an outbound task. */
  workflowsOfTask(taskId: string): WorkflowCampaign[] {
    return (this.taskAt.get(taskId) ?? [])
      .map((o) => this.byOrdinal[o])
      .filter((w): w is WorkflowCampaign => w !== undefined);
  }

  /** What the callbacks reported of a call id (its final dial or a redial), in callback order. */
  reportsOfCall(callId: string): { workflow: WorkflowCampaign; report: ReportRow }[] {
    const out: { workflow: WorkflowCampaign; report: ReportRow }[] = [];
    for (const at of this.callAt.get(callId)) {
      const w = this.byOrdinal[Math.floor(at / ORD)];
      if (!w || at % ORD >= w.reports.length) continue;
      const report = w.reports.get(at % ORD);
      if (report[0] === callId) out.push({ workflow: w, report });
    }
    return out;
  }
}

/** A number record's dials as its callback reports them: the redials, then the final one. */
function reportRows(d: CallCompletionDetail | InfoCheckCallDetail, rec: number): ReportRow[] {
  const redials = d.redail_call ?? [];
  const rows = redials.map((x, i): ReportRow => [
    x.call_id,
    rec,
    i + 1,
    x.ring_type,
    0,
    x.hangup_type,
    null,
    x.result_label,
    null,
    0,
  ]);
  const recorded = d.duration > 0 && d.hangup_type !== 'Canceled';
  rows.push([
    d.call_id,
    rec,
    d.call_times >= 1 ? d.call_times : redials.length + 1,
    d.ring_type,
    d.duration,
    d.hangup_type,
    d.result,
    d.result_label,
    d.intention_description ?? null,
    recorded ? 1 : 0,
  ]);
  return rows;
}

function count(c: CampaignCounts, e: CampaignEvent): void {
  if (e.kind === 'workflow.created') c.generated += e.data.rows;
  else if (e.kind === 'contact.finished') c.finished++;
  else if (e.kind === 'dial.finished') {
    c.calls++;
    if (e.data.answered) c.connected++;
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
