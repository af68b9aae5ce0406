/**
 * "Custom API Node Data Push": sent when a row passes an API node, with the row as
 * uploaded (`callee`) and the last call of the preceding Voicebot Call node (`call`).
 * `call.callee_number` is the last number dialled; `redial_call` lists every earlier dial of the
 * row in that node (across its numbers, as the vendor example's mixed numbers suggest);
 * `call_times` counts the dials of the last number. Key order follows the vendor example.
 * `callee` is the row as it is when the push is built (after an updatedetail: the new values);
 * `call` reports the call as it was made (`call.contact`: the row data of its last dial).
 * Info Check pushes leave out `asr_ptp` / `asr_result` by default: the page says "非信审才有该字段"
 * (only non-Info Check workflows carry them), though it marks them required and its example, which
 * carries `question_answer`, shows them (inferred; `info_check_push_asr: true` sends them).
 */
import type {
  CustomApiNodePush,
  CustomApiNodePushCall,
  CustomApiNodePushCallee,
  ExtraVariable,
  RedialCall,
} from '../../generated/types.ts';
import type { Contact } from '../contacts.ts';
import { allSkipped, type PreparedQuestion } from '../info-check.ts';
import type { ApiNode, NodeCall, WorkflowInfo } from './context.ts';
import { redialEntry } from './context.ts';
import { list } from './list.ts';

/** How the workflow's business line shapes the push. */
export interface PushFlavour {
  /** Collection workflows add the row's debt fields to `callee`. */
  collection: boolean;
  /** Info Check workflows add `call.question_answer`. */
  questions: PreparedQuestion[] | null;
  /** Info Check pushes carry `asr_ptp` / `asr_result` too (the scenario's `info_check_push_asr`). */
  infoCheckAsr: boolean;
}

export function buildCustomApiPush(
  wf: WorkflowInfo,
  node: ApiNode,
  contact: Contact,
  nodeCall: NodeCall,
  flavour: PushFlavour,
): CustomApiNodePush {
  const { task, dials, contact: callContact } = nodeCall;
  const { collection, questions, infoCheckAsr } = flavour;
  const last = dials[dials.length - 1]!;
  let callTimes = 0;
  for (const d of dials) if (d.numberIndex === last.numberIndex) callTimes++;
  const extra = list<ExtraVariable>();
  for (const k in contact.variables) extra.push({ Content: contact.variables[k]!, Question: k });
  const callee: CustomApiNodePushCallee = {
    case_id: contact.case_id,
    callee_name: contact.customer_name,
    callee_gender: contact.gender,
    callee_number: contact.numbers[0],
    platform_name: contact.platform,
    extra_a: contact.extra_a,
    extra_b: contact.extra_b,
    extra_c: contact.extra_c,
    extra,
    extend: { variables: contact.variables, detail_source: contact.detail_source, pds_variables: {} },
    comments: contact.comments,
  };
  // "催收才有该字段": the debt fields exist on collection workflows only.
  if (collection) {
    if (contact.borrowed_date !== undefined) callee.borrowed_date = contact.borrowed_date;
    if (contact.due_date !== undefined) callee.due_date = contact.due_date;
    if (contact.borrowed_amount !== undefined) callee.borrowed_amount = contact.borrowed_amount;
    if (contact.total_owing_amount !== undefined) callee.total_owing_amount = contact.total_owing_amount;
    if (contact.currency_unit !== undefined) callee.currency_unit = contact.currency_unit;
  }
  const earlier = list<RedialCall>();
  for (let i = 0; i < dials.length - 1; i++) {
    const d = dials[i]!;
    earlier.push(redialEntry(wf.calleeFmt(callContact, d.number), d));
  }
  // The page puts the call times in the customer's region time; each redial in its number's.
  const fmt = wf.calleeFmt(callContact, last.number);
  // One object literal per flavour (key order of the vendor example), so V8 gives it a fixed shape.
  const call: CustomApiNodePushCall = !questions
    ? {
        task_id: task.taskId,
        call_id: last.callId,
        robot_id: task.spec.robot_id,
        callee_number: last.number,
        call_start_time: fmt.time(last.connectAt),
        call_end_time: fmt.time(last.endAt),
        call_times: callTimes,
        ring_type: last.ringType,
        hangup_type: last.hangup,
        intention: last.label,
        ner_slots: last.nerSlots,
        slots: '',
        talk_round: last.talkRound,
        ring_time: last.ringTime,
        multi_label: last.eventLabels,
        intention_description: last.description,
        asr_ptp: last.asrPtp,
        asr_result: last.asr,
        redial_call: earlier,
        caller_number: last.callerNumber,
      }
    : infoCheckAsr
      ? {
          task_id: task.taskId,
          call_id: last.callId,
          robot_id: task.spec.robot_id,
          callee_number: last.number,
          call_start_time: fmt.time(last.connectAt),
          call_end_time: fmt.time(last.endAt),
          call_times: callTimes,
          ring_type: last.ringType,
          hangup_type: last.hangup,
          intention: last.label,
          ner_slots: last.nerSlots,
          slots: '',
          talk_round: last.talkRound,
          ring_time: last.ringTime,
          question_answer: last.qa ?? allSkipped(questions, callContact.variables),
          multi_label: last.eventLabels,
          intention_description: last.description,
          asr_ptp: last.asrPtp,
          asr_result: last.asr,
          redial_call: earlier,
          caller_number: last.callerNumber,
        }
      : {
          task_id: task.taskId,
          call_id: last.callId,
          robot_id: task.spec.robot_id,
          callee_number: last.number,
          call_start_time: fmt.time(last.connectAt),
          call_end_time: fmt.time(last.endAt),
          call_times: callTimes,
          ring_type: last.ringType,
          hangup_type: last.hangup,
          intention: last.label,
          ner_slots: last.nerSlots,
          slots: '',
          talk_round: last.talkRound,
          ring_time: last.ringTime,
          question_answer: last.qa ?? allSkipped(questions, callContact.variables),
          multi_label: last.eventLabels,
          intention_description: last.description,
          redial_call: earlier,
          caller_number: last.callerNumber,
        };
  return {
    workflow_id: wf.workflowId,
    workflow_name: wf.workflowName,
    node_id: node.nodeId,
    node_name: node.name,
    callee,
    custom_attribute: node.spec.custom_attribute ?? {},
    call,
  };
}
