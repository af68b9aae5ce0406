/**
 * Workflow-level notices: "Notification for Workflow List Completion" (one row finished the whole
 * workflow) and "Notification of Workflow Status Change". Field names from the vendor pages; the
 * status values and node_type names are emulator-defined (the vendor publishes none).
 */
import type { Contact } from '../contacts.ts';
import type { NodeTask, TaskStatus, WorkflowInfo } from './context.ts';
import { list } from './list.ts';

export type WorkflowStatus = 'Running' | 'Stopped' | 'Finished';

function nodeRef(n: NodeTask): Record<string, unknown> {
  return n.kind === 'voicebot_call'
    ? {
        nodetask_id: n.nodetaskId,
        nodetask_name: n.nodetaskName,
        node_type: 'voicebot_call',
        task_id: n.taskId,
      }
    : { nodetask_id: n.nodeId, nodetask_name: n.name, node_type: 'api' };
}

export function buildListCompletion(
  wf: WorkflowInfo,
  contact: Contact,
  passed: NodeTask[],
): Record<string, unknown> {
  const rows = list<Record<string, unknown>>();
  for (const n of passed) rows.push(nodeRef(n));
  return {
    workflow_id: wf.workflowId,
    workflow_name: wf.workflowName,
    case_id: contact.case_id,
    callee_number: contact.numbers[0],
    rows,
  };
}

export function buildWorkflowStatusChange(
  wf: WorkflowInfo,
  status: WorkflowStatus,
  nodes: NodeTask[],
  taskStatus: TaskStatus,
): Record<string, unknown> {
  const actions = list<Record<string, unknown>>();
  for (const n of nodes)
    actions.push(n.kind === 'voicebot_call' ? { ...nodeRef(n), task_status: taskStatus } : nodeRef(n));
  return { workflow_id: wf.workflowId, workflow_name: wf.workflowName, status, actions };
}
