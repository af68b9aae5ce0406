/**
 * Read models over the store for the vendor's query endpoints. They are derived from the vendor
 * messages the campaigns actually produced (the call-completion callbacks, status changes, list
 * completions, API pushes), so every lookup answers exactly what the callbacks said.
 */
import type {
  CallCompletion,
  CallCompletionDetail,
  CallCompletionInfoCheck,
  CallInfo,
  CustomApiNodePush,
  InfoCheckCallDetail,
  InfoCheckTaskDetailRecord,
  SubtaskItem,
  TaskDetailRecord,
} from '../generated/types.ts';
import type { OutboundMessage } from '../engine/types.ts';
import type { MemoryStore } from './memory-store.ts';

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

export function numberRecords(store: MemoryStore, workflowId: string): NumberRecord[] {
  const out: NumberRecord[] = [];
  for (const m of store.messagesOf(workflowId)) {
    if (m.type !== 'call-completion' && m.type !== 'call-completion-info-check') continue;
    const { details, ...task } = m.payload;
    for (const detail of details) out.push({ message: m, task, detail });
  }
  return out;
}

/** Every number record of every workflow for one outbound task. */
export function numberRecordsOfTask(store: MemoryStore, taskId: string): NumberRecord[] {
  const out: NumberRecord[] = [];
  for (const wf of store.listWorkflows().reverse()) {
    for (const r of numberRecords(store, wf.workflowId)) if (r.task.task_id === taskId) out.push(r);
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

export interface OutboundTask {
  first: CompletionTask;
  latest: CompletionTask;
  numbers: number;
  connected: number;
}

/** Outbound tasks of a workflow in order of first report; task-level fields as last reported. */
export function outboundTasks(store: MemoryStore, workflowId: string): OutboundTask[] {
  const tasks = new Map<string, OutboundTask>();
  for (const r of numberRecords(store, workflowId)) {
    const id = r.task.task_id;
    let t = tasks.get(id);
    if (!t) {
      t = { first: r.task, latest: r.task, numbers: 0, connected: 0 };
      tasks.set(id, t);
    }
    t.latest = r.task;
    t.numbers++;
    if (r.detail.duration > 0) t.connected++;
  }
  return [...tasks.values()];
}

/** A node task of a workflow, as the subtasks query lists it. */
export type NodeTask = SubtaskItem;

/** The workflow's node tasks as the notifications and callbacks named them, in first-seen order. */
export function nodeTasks(store: MemoryStore, workflowId: string): NodeTask[] {
  const nodes = new Map<string, NodeTask>();
  const see = (n: NodeTask) => {
    const prev = nodes.get(n.nodetask_id);
    nodes.set(n.nodetask_id, { ...prev, ...stripUndefined(n) } as NodeTask);
  };
  for (const m of store.messagesOf(workflowId)) {
    if (m.type === 'workflow-status-change') {
      for (const a of m.payload.actions) see(a);
    } else if (m.type === 'list-completion') {
      for (const r of m.payload.rows) see({ ...r, task_status: undefined });
    } else if (m.type === 'call-completion' || m.type === 'call-completion-info-check') {
      const p = m.payload;
      see({
        nodetask_id: p.nodetask_id,
        nodetask_name: p.nodetask_name,
        node_type: nodes.get(p.nodetask_id)?.node_type ?? 'voicebot_call',
        task_id: p.task_id,
        task_status: p.status,
      });
    } else if (m.type === 'custom-api-node-push') {
      const p = m.payload;
      see({
        nodetask_id: p.node_id,
        nodetask_name: p.node_name,
        node_type: nodes.get(p.node_id)?.node_type ?? 'api',
      });
    }
  }
  return [...nodes.values()];
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
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

/** Find one dial by call id across every workflow. */
export function findDial(
  store: MemoryStore,
  callId: string,
  recordUrl: (callId: string) => string,
): Dial | undefined {
  for (const wf of store.listWorkflows()) {
    for (const r of numberRecords(store, wf.workflowId)) {
      const ids = [r.detail.call_id, ...(r.detail.redail_call ?? []).map((x) => x.call_id)];
      if (!ids.includes(callId)) continue;
      return dialsOf(r, recordUrl).find((d) => d.info.call_id === callId);
    }
  }
  return undefined;
}

/** The last Custom API push for a workflow / node / callee (/ case id), as sent. */
export function lastApiPush(
  store: MemoryStore,
  q: { workflow_id: string; node_id: string; callee: string; case_id?: string },
): CustomApiNodePush | undefined {
  const msgs = store.messagesOf(q.workflow_id);
  for (let i = msgs.length - 1; i >= 0; i--) {
    const m = msgs[i]!;
    if (m.type !== 'custom-api-node-push') continue;
    const p = m.payload;
    if (p.node_id !== q.node_id) continue;
    if (p.call.callee_number !== q.callee) continue;
    if (q.case_id !== undefined && p.callee.case_id !== q.case_id) continue;
    return p;
  }
  return undefined;
}
