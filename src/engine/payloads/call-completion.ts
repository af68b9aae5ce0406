/**
 * "Notification of Call Completion in Workflow": one callback per number, once it connects or its
 * redials run out ("Notification of Call Completion in Workflow"). The Info Check flavour carries question_answer; the collection /
 * telemarketing / e-commerce flavour (schema inferred) carries asr_ptp + asr_result instead.
 * `redail_call` (sic) lists the number's earlier dials; call_times counts all of them.
 */
import type { CallCompletion, CallCompletionInfoCheck, RedialCall } from '../../generated/types.ts';
import type { Contact } from '../contacts.ts';
import type { DialRecord } from '../dial-record.ts';
import { allSkipped, type PreparedQuestion } from '../info-check.ts';
import type { CallTask, NumberOutcome, WorkflowInfo } from './context.ts';
import { redialEntry } from './context.ts';
import { list } from './list.ts';

/** The collection / telemarketing / e-commerce flavour: the call's transcript and PTP slots. */
export function buildCallCompletion(
  wf: WorkflowInfo,
  task: CallTask,
  contact: Contact,
  n: NumberOutcome,
): CallCompletion {
  const { fmt } = wf;
  const last = n.dials[n.dials.length - 1]!;
  const earlier = earlierDials(fmt, n.dials);
  // One object literal per flavour (key order as the vendor prints it): V8 builds these with
  // a fixed shape, which JSON.stringify and the validator walk fastest.
  return completion(wf, task, n, {
    id: n.detailId,
    callee: last.number,
    result: n.result,
    result_label: last.label,
    duration: last.talkTime,
    hangup_type: n.result === 'cancelled' ? 'Canceled' : last.hangup,
    ring_type: last.ringType,
    NerSlots: last.nerSlots,
    robot_hash: task.robotHash,
    call_id: last.callId,
    call_times: n.dials.length,
    call_start_time: fmt.time(last.connectAt),
    call_end_time: fmt.time(last.endAt),
    ring_time: last.ringTime,
    talk_round: last.talkRound,
    redail_call: earlier,
    intention_description: last.description,
    EventLabel: last.eventLabels,
    caller_number: last.callerNumber,
    CaseID: contact.case_id,
    Variables: contact.variables,
    asr_ptp: last.asrPtp,
    asr_result: last.asr,
  });
}

/** The Info Check flavour: the question sheet instead of the transcript (all Skip unanswered). */
export function buildInfoCheckCompletion(
  wf: WorkflowInfo,
  task: CallTask,
  contact: Contact,
  n: NumberOutcome,
  questions: PreparedQuestion[],
): CallCompletionInfoCheck {
  const { fmt } = wf;
  const last = n.dials[n.dials.length - 1]!;
  const earlier = earlierDials(fmt, n.dials);
  return completion(wf, task, n, {
    id: n.detailId,
    callee: last.number,
    result: n.result,
    result_label: last.label,
    duration: last.talkTime,
    hangup_type: n.result === 'cancelled' ? 'Canceled' : last.hangup,
    ring_type: last.ringType,
    question_answer: last.qa ?? allSkipped(questions, contact.variables),
    NerSlots: last.nerSlots,
    robot_hash: task.robotHash,
    call_id: last.callId,
    call_times: n.dials.length,
    call_start_time: fmt.time(last.connectAt),
    call_end_time: fmt.time(last.endAt),
    ring_time: last.ringTime,
    talk_round: last.talkRound,
    redail_call: earlier,
    intention_description: last.description,
    EventLabel: last.eventLabels,
    caller_number: last.callerNumber,
    CaseID: contact.case_id,
    Variables: contact.variables,
  });
}

/** `redail_call` (sic): every dial of the number before its last. */
function earlierDials(fmt: WorkflowInfo['fmt'], dials: DialRecord[]): RedialCall[] {
  const earlier = list<RedialCall>();
  for (let i = 0; i < dials.length - 1; i++) earlier.push(redialEntry(fmt, dials[i]!));
  return earlier;
}

/**
 * The task-level fields around the number's one detail, shared by both flavours: one literal
 * site, so both flavours' payloads keep the one hidden class they had when built in one function.
 */
function completion<D>(wf: WorkflowInfo, task: CallTask, n: NumberOutcome, detail: D) {
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
