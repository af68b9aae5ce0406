/**
 * Read models over the store for the vendor's query endpoints. They are derived from the vendor
 * messages the campaigns actually produced (the call-completion callbacks, status changes, list
 * completions, API pushes), so every lookup answers exactly what the callbacks said. The store
 * keeps those messages compressed, with indexes folded as they arrived (campaign-records.ts):
 * a lookup reads only the messages it answers with.
 */
import type {
  CallInfo,
  CustomApiNodePush,
  InfoCheckTaskDetailRecord,
  TaskDetailRecord,
} from '../generated/types.ts';
import type {
  NodeTask,
  NumberRecord,
  OutboundTask,
  ReportRow,
  WorkflowCampaign,
} from './campaign-records.ts';
import type { MemoryStore } from './memory-store.ts';

export type {
  CompletionMessage,
  CompletionTask,
  NodeTask,
  NumberRecord,
  OutboundTask,
} from './campaign-records.ts';

/** Number records matching a callee and/or a case id, in callback order. */
export interface NumberFilter {
  callee?: string;
  case_id?: string;
}

const matches = (r: NumberRecord, f: NumberFilter): boolean =>
  (f.callee === undefined || r.detail.callee === f.callee) &&
  (f.case_id === undefined || r.detail.CaseID === f.case_id);

/** A workflow's number records (those of one callee read through its index). */
export function numberRecords(
  store: MemoryStore,
  workflowId: string,
  filter: NumberFilter = {},
): NumberRecord[] {
  const w = store.campaigns.get(workflowId);
  if (!w) return [];
  const ix = w.index;
  const recs = filter.callee !== undefined ? ix.byCallee.get(filter.callee) : ix.numbers.map((_, i) => i);
  return recs.map((rec) => w.record(rec)).filter((r) => matches(r, filter));
}

/** Where each number record of an outbound task is (workflows oldest first, then callback order). */
export interface TaskRecords {
  /** How many there are (an array's `length`, so a page is cut from it as from an array). */
  length: number;
  /** Records `from` (inclusive) to `to` (exclusive), decoded. */
  slice(from: number, to: number): NumberRecord[];
}

/** The number records of one outbound task (of one workflow, if given), decoded only when sliced. */
export function taskRecords(store: MemoryStore, taskId: string, workflowId?: string): TaskRecords {
  const refs: [WorkflowCampaign, number][] = [];
  for (const w of store.campaigns.workflowsOfTask(taskId)) {
    if (workflowId !== undefined && w.workflowId !== workflowId) continue;
    for (const rec of w.index.byTask.get(taskId) ?? []) refs.push([w, rec]);
  }
  return {
    length: refs.length,
    slice: (from, to) => refs.slice(from, to).map(([w, rec]) => w.record(rec)),
  };
}

/** Every number record of every workflow for one outbound task (with a callee and/or case id). */
export function numberRecordsOfTask(
  store: MemoryStore,
  taskId: string,
  filter: NumberFilter = {},
): NumberRecord[] {
  const out: NumberRecord[] = [];
  for (const w of store.campaigns.workflowsOfTask(taskId)) {
    for (const r of numberRecords(store, w.workflowId, filter)) if (r.task.task_id === taskId) out.push(r);
  }
  return out;
}

/** A taskdetail record: the callback's detail plus the five workflow identifiers (vendor rule). */
export function taskDetailRecord(r: NumberRecord): TaskDetailRecord | InfoCheckTaskDetailRecord {
  return {
    workflow_id: r.task.workflow_id,
    workflow_name: r.task.workflow_name,
    nodetask_id: r.task.nodetask_id,
    nodetask_name: r.task.nodetask_name,
    case_id: r.detail.CaseID,
    ...r.detail,
  };
}

/** Outbound tasks of a workflow in order of first report; task-level fields as last reported. */
export function outboundTasks(store: MemoryStore, workflowId: string): OutboundTask[] {
  return [...(store.campaigns.get(workflowId)?.index.tasks.values() ?? [])];
}

/** The workflow's node tasks as the notifications and callbacks named them, in first-seen order. */
export function nodeTasks(store: MemoryStore, workflowId: string): NodeTask[] {
  return [...(store.campaigns.get(workflowId)?.index.nodes.values() ?? [])];
}

/** Whether any workflow's node tasks name an outbound task. */
export function taskKnown(store: MemoryStore, taskId: string): boolean {
  return store.campaigns
    .workflowsOfTask(taskId)
    .some((w) => [...w.index.nodes.values()].some((n) => n.task_id === taskId));
}

/** One dial as the call-info endpoints show it (schemas/callinfo-response.schema.json#/$defs/callInfo). */
export interface Dial {
  info: CallInfo;
  /** Talk seconds (0 when not answered): sizes the recording. */
  duration: number;
  recorded: boolean;
}

/**
 * Every dial a number's callback reported: the earlier ones from `redail_call` (sic), then the
 * final one (the detail itself). `recordUrl(callId)` makes the link for answered dials.
 */
export function dialsOf(r: NumberRecord, recordUrl: (callId: string) => string): Dial[] {
  const d = r.detail;
  const base = {
    workflow_id: r.task.workflow_id,
    workflow_name: r.task.workflow_name,
    nodetask_id: r.task.nodetask_id,
    task_id: r.task.task_id,
    case_id: d.CaseID,
    callee: d.callee,
  };
  const out: Dial[] = [];
  const redials = d.redail_call ?? [];
  redials.forEach((x, i) => {
    const info: CallInfo = {
      ...base,
      callee: x.callee_number,
      call_id: x.call_id,
      call_times: i + 1,
      call_start_time: x.call_start_time,
      duration: 0,
      ring_type: x.ring_type,
      ring_time: x.ring_time,
      hangup_type: x.hangup_type,
      result_label: x.result_label,
      record_url: '',
    };
    if (x.caller_number !== undefined) info.caller_number = x.caller_number;
    out.push({ info, duration: 0, recorded: false });
  });
  const duration = d.duration;
  const recorded = duration > 0 && d.hangup_type !== 'Canceled';
  const info: CallInfo = {
    ...base,
    call_id: d.call_id,
    call_times: d.call_times >= 1 ? d.call_times : redials.length + 1,
    call_start_time: d.call_start_time,
    call_end_time: d.call_end_time,
    duration,
    ring_type: d.ring_type,
    ring_time: d.ring_time,
    hangup_type: d.hangup_type,
    result: d.result,
    result_label: d.result_label,
    record_url: recorded ? recordUrl(d.call_id) : '',
  };
  if (d.intention_description !== undefined) info.intention_description = d.intention_description;
  if (d.caller_number !== undefined) info.caller_number = d.caller_number;
  out.push({ info, duration, recorded });
  return out;
}

/** Find one dial by call id across every workflow (the newest workflow reporting it). */
export function findDial(
  store: MemoryStore,
  callId: string,
  recordUrl: (callId: string) => string,
): Dial | undefined {
  let found: { workflow: WorkflowCampaign; report: ReportRow } | undefined;
  for (const r of store.campaigns.reportsOfCall(callId)) {
    if (!found || r.workflow.ordinal > found.workflow.ordinal) found = r;
  }
  const record = found && found.workflow.record(found.report[1]);
  return record && dialsOf(record, recordUrl).find((d) => d.info.call_id === callId);
}

/** The last Custom API push for a workflow / node / callee (/ case id), as sent. */
export function lastApiPush(
  store: MemoryStore,
  q: { workflow_id: string; node_id: string; callee: string; case_id?: string },
): CustomApiNodePush | undefined {
  const w = store.campaigns.get(q.workflow_id);
  if (!w) return undefined;
  const at = w.index.pushes.get(`${q.node_id}\0${q.callee}`);
  for (let i = at.length - 1; i >= 0; i--) {
    const m = w.messages.get(at[i]!);
    if (m.type !== 'custom-api-node-push') continue;
    const p = m.payload;
    if (p.node_id !== q.node_id) continue;
    if (p.call.callee_number !== q.callee) continue;
    if (q.case_id !== undefined && p.callee.case_id !== q.case_id) continue;
    return p;
  }
  return undefined;
}
