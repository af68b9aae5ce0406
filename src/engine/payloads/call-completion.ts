/**
 * "Notification of Call Completion in Workflow": one callback per number, once it connects or its
 * redials run out (seed 003). The Info Check flavour carries question_answer; the collection /
 * telemarketing / e-commerce flavour (schema inferred) carries asr_ptp + asr_result instead.
 * `redail_call` (sic) lists the number's earlier dials; call_times counts all of them.
 */
import type {
  CallCompletion,
  CallCompletionDetail,
  CallCompletionInfoCheck,
  InfoCheckCallDetail,
  RedialCall,
} from '../../generated/types.ts';
import type { Contact } from '../contacts.ts';
import { allSkipped, type PreparedQuestion } from '../info-check.ts';
import type { CallTask, NumberOutcome, WorkflowInfo } from './context.ts';
import { redialEntry } from './context.ts';
import { list } from './list.ts';

export function buildCallCompletion(
  wf: WorkflowInfo,
  task: CallTask,
  contact: Contact,
  n: NumberOutcome,
  questions: PreparedQuestion[] | null,
): CallCompletion | CallCompletionInfoCheck {
  const { fmt } = wf;
  const last = n.dials[n.dials.length - 1]!;
  const cancelled = n.result === 'cancelled';
  const earlier = list<RedialCall>();
  for (let i = 0; i < n.dials.length - 1; i++) earlier.push(redialEntry(fmt, n.dials[i]!));
  // One object literal per flavour (key order as the vendor prints it): V8 builds these with
  // a fixed shape, which JSON.stringify and the validator walk fastest.
  const detail: CallCompletionDetail | InfoCheckCallDetail = questions
    ? {
        id: n.detailId,
        callee: last.number,
        result: n.result,
        result_label: last.label,
        duration: last.talkTime,
        hangup_type: cancelled ? 'Canceled' : last.hangup,
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
      }
    : {
        id: n.detailId,
        callee: last.number,
        result: n.result,
        result_label: last.label,
        duration: last.talkTime,
        hangup_type: cancelled ? 'Canceled' : last.hangup,
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
      };
  // Every field checked against CallCompletion; `details` holds the one detail of the flavour
  // built above, which TypeScript cannot tie to the flavour of the whole (hence the final cast).
  const payload: Omit<CallCompletion, 'details'> & {
    details: (CallCompletionDetail | InfoCheckCallDetail)[];
  } = {
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
  return payload as CallCompletion | CallCompletionInfoCheck;
}
