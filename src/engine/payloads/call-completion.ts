/**
 * "Notification of Call Completion in Workflow": one callback per number, once it connects or its
 * redials run out (seed 003). The Info Check flavour carries question_answer; the collection /
 * telemarketing / e-commerce flavour (schema inferred) carries asr_ptp + asr_result instead.
 * `redail_call` (sic) lists the number's earlier dials; call_times counts all of them.
 */
import type { Contact } from '../contacts.ts';
import { allSkipped, type PreparedQuestion } from '../info-check.ts';
import type { CallTask, NumberOutcome, WorkflowInfo } from './context.ts';
import { redialEntry } from './context.ts';

export function buildCallCompletion(
  wf: WorkflowInfo,
  task: CallTask,
  contact: Contact,
  n: NumberOutcome,
  questions: PreparedQuestion[] | null,
): Record<string, unknown> {
  const { fmt } = wf;
  const last = n.dials[n.dials.length - 1]!;
  const cancelled = n.result === 'cancelled';
  const detail: Record<string, unknown> = {
    id: n.detailId,
    callee: last.number,
    result: n.result,
    result_label: last.label,
    duration: last.talkTime,
    hangup_type: cancelled ? 'Canceled' : last.hangup,
    ring_type: last.ringType,
  };
  if (questions) detail.question_answer = last.qa ?? allSkipped(questions, contact.variables);
  detail.NerSlots = last.nerSlots;
  detail.robot_hash = task.robotHash;
  detail.call_id = last.callId;
  detail.call_times = n.dials.length;
  detail.call_start_time = fmt.time(last.connectAt);
  detail.call_end_time = fmt.time(last.endAt);
  detail.ring_time = last.ringTime;
  detail.talk_round = last.talkRound;
  const earlier: unknown[] = [];
  for (let i = 0; i < n.dials.length - 1; i++) earlier.push(redialEntry(fmt, n.dials[i]!));
  detail.redail_call = earlier;
  detail.intention_description = last.description;
  detail.EventLabel = last.eventLabels;
  detail.caller_number = last.callerNumber;
  detail.CaseID = contact.case_id;
  detail.Variables = contact.variables;
  if (!questions) {
    detail.asr_ptp = last.asrPtp;
    detail.asr_result = last.asr;
  }
  return {
    workflow_id: wf.workflowId,
    workflow_name: wf.workflowName,
    nodetask_id: task.nodetaskId,
    nodetask_name: task.nodetaskName,
    task_id: task.taskId,
    task_name: task.taskName,
    status: n.taskStatus,
    created_at: task.createdAt,
    repeat_interval: task.spec.repeat_interval,
    repeat_number: task.spec.repeat_number,
    robot_hash: task.robotHash,
    robot_method: task.robotMethod,
    sip_line: task.spec.sip_line,
    schedule_start_time: task.scheduleStart,
    schedule_end_time: task.scheduleEnd,
    details: [detail],
  };
}
