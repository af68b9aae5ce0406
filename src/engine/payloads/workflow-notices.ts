/**
 * Workflow-level notices: "Notification for Workflow List Completion" (one row finished the whole
 * workflow) and "Notification of Workflow Status Change". Field names from the vendor pages; the
 * status values and node_type names are emulator-defined (the vendor publishes none).
 */
import type { Contact } from '../contacts.ts';
import type {
  ListCompletion,
  ListCompletionRow,
  TaskStatus,
  WorkflowStatus,
  WorkflowStatusAction,
  WorkflowStatusChange,
} from '../../generated/types.ts';
import type { NodeTask, WorkflowInfo } from './context.ts';
import { list } from './list.ts';

export type { WorkflowStatus };

function nodeRef(n: NodeTask): ListCompletionRow {
  return n.kind === 'voicebot_call'
    ? {
        nodetask_id: n.nodetaskId,
        nodetask_name: n.nodetaskName,
        node_type: 'voicebot_call',
        task_id: n.taskId,
      }
    : { nodetask_id: n.nodeId, nodetask_name: n.name, node_type: 'api' };
}

export function buildListCompletion(wf: WorkflowInfo, contact: Contact, passed: NodeTask[]): ListCompletion {
  const rows = list<ListCompletionRow>();
  for (const n of passed) rows.push(nodeRef(n));
  return {
    workflow_id: wf.workflowId,
    workflow_name: wf.workflowName,
    case_id: contact.case_id,
    callee_number: contact.numbers[0],
    rows,
  };
}

/**
 * The task status a notice reports for the call nodes' tasks (one "l" in canceled: the vendor's
 * task spelling).
 */
export function noticeTaskStatus(status: WorkflowStatus): TaskStatus {
  return status === 'Running' ? 'calling' : status === 'Stopped' ? 'canceled' : 'finished';
}

export function buildWorkflowStatusChange(
  wf: WorkflowInfo,
  status: WorkflowStatus,
  nodes: NodeTask[],
  taskStatus: TaskStatus,
): WorkflowStatusChange {
  const actions = list<WorkflowStatusAction>();
  for (const n of nodes)
    actions.push(n.kind === 'voicebot_call' ? { ...nodeRef(n), task_status: taskStatus } : nodeRef(n));
  return { workflow_id: wf.workflowId, workflow_name: wf.workflowName, status, actions };
}
