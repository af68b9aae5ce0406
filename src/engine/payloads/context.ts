/** What the payload builders need to know about the workflow and its nodes. */
import type { ApiNodeSpec, CallNodeSpec } from '../../scenario/types.ts';
import type { TimeFormatter } from '../time-format.ts';
import type { CalleeClock } from '../callee-time.ts';
import type { Contact } from '../contacts.ts';
import type { DialRecord } from '../dial-record.ts';
import type { DetailResult, RedialCall, TaskStatus } from '../../generated/types.ts';

export interface WorkflowInfo {
  workflowId: string;
  workflowName: string;
  /** The account's clock: call-completion times ("Time zone is in account's time zone"). */
  fmt: TimeFormatter;
  /** The callee's clock: Custom API push call times ("时区为客户所在地区时间"). */
  calleeFmt: CalleeClock;
}

export type { DetailResult, TaskStatus };

/** A Voicebot Call node's outbound task (one per node per workflow instance). */
export interface CallTask {
  kind: 'voicebot_call';
  nodeIndex: number;
  spec: CallNodeSpec;
  nodetaskId: string;
  nodetaskName: string;
  taskId: string;
  taskName: string;
  robotHash: string;
  robotMethod: string;
  callerNumber: string;
  createdAt: string;
  scheduleStart: string;
  scheduleEnd: string;
}

export interface ApiNode {
  kind: 'api';
  nodeIndex: number;
  spec: ApiNodeSpec;
  nodeId: string;
  name: string;
}

export type NodeTask = CallTask | ApiNode;

/**
 * A row's last call in a Voicebot Call node, as the API node after it reports it: the node's
 * task, every dial of the row in that node (across its numbers), and the row data its last dial
 * was made with.
 */
export interface NodeCall {
  task: CallTask;
  dials: DialRecord[];
  contact: Contact;
}

/** One number's dials in one call node, as its call-completion callback reports them. */
export interface NumberOutcome {
  dials: DialRecord[];
  detailId: number;
  result: DetailResult;
  taskStatus: TaskStatus;
}

export function redialEntry(fmt: TimeFormatter, d: DialRecord): RedialCall {
  return {
    call_id: d.callId,
    call_start_time: fmt.time(d.connectAt),
    ring_type: d.ringType,
    ring_time: d.ringTime,
    hangup_type: d.hangup,
    result_label: d.label,
    callee_number: d.number,
    caller_number: d.callerNumber,
  };
}
