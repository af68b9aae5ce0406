/**
 * Tells which vendor message a parsed JSON value is, from the keys that only that message has.
 * Used by `validate` when no --type is given: the answer says which keys decided, so a user can
 * see why a file was checked against a schema and override it with --type.
 */
export interface Detection {
  /** Schema name (file name in schemas/ without .schema.json). */
  name: string;
  /** The distinctive keys that decided, for the CLI's "detected from ..." note. */
  reason: string;
}

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const has = (o: Obj, ...keys: string[]) => keys.every((k) => k in o);
const anyItem = (v: unknown, pred: (o: Obj) => boolean) =>
  Array.isArray(v) && v.some((x) => isObj(x) && pred(x));

/** Success-envelope answers, told apart by what `data` holds. */
function detectEnvelope(o: Obj): Detection {
  const data = o.data;
  if (isObj(data)) {
    if (has(data, 'token')) return { name: 'auth-response', reason: 'code + data.token' };
    if (has(data, 'node_id', 'callee', 'call'))
      return { name: 'apinoticeinfo-response', reason: 'code + data.node_id/callee/call' };
    if (has(data, 'list') && has(data, 'total'))
      return { name: 'taskdetail-response', reason: 'code + data.list + data.total' };
    if (has(data, 'list')) return { name: 'detailinstances-response', reason: 'code + data.list' };
    if (has(data, 'workflow_id') && Object.keys(data).length === 1)
      return { name: 'createinstance-response', reason: 'code + data.workflow_id' };
  }
  return { name: 'envelope-success', reason: 'code 200' };
}

/** Both call-completion callbacks share their top level; the details[] items tell them apart. */
function detectCallCompletion(o: Obj): Detection {
  if (anyItem(o.details, (d) => 'question_answer' in d))
    return { name: 'call-completion-info-check', reason: 'details[] with question_answer' };
  if (anyItem(o.details, (d) => 'asr_result' in d || 'asr_ptp' in d))
    return { name: 'call-completion', reason: 'details[] with asr_result/asr_ptp' };
  // No telling items (e.g. empty details): prefer the variant the vendor documents.
  return {
    name: 'call-completion-info-check',
    reason: 'nodetask_id + details[] (no question_answer or asr_result)',
  };
}

export function detectMessage(value: unknown): Detection | undefined {
  if (!isObj(value)) return undefined;
  const o = value;
  // Callbacks first: their distinctive keys are the most specific.
  if (has(o, 'node_id', 'callee', 'call') && isObj(o.callee))
    return { name: 'custom-api-node-push', reason: 'node_id + callee + call' };
  if (has(o, 'nodetask_id', 'details') && Array.isArray(o.details)) return detectCallCompletion(o);
  if (has(o, 'rows', 'callee_number')) return { name: 'list-completion', reason: 'rows + callee_number' };
  if (has(o, 'actions', 'status')) return { name: 'workflow-status-change', reason: 'actions + status' };
  if (has(o, 'messages') && (has(o, 'session_end_reason') || has(o, 'waba_task_id')))
    return { name: 'chatbot-session-end', reason: 'messages + session_end_reason/waba_task_id' };
  // REST bodies.
  if (has(o, 'APPKey') || has(o, 'APPSecret')) return { name: 'auth-request', reason: 'APPKey/APPSecret' };
  if (has(o, 'code')) {
    if (o.code === 200) return detectEnvelope(o);
    return { name: 'envelope-error', reason: 'code other than 200' };
  }
  if (has(o, 'workflow_template_id'))
    return { name: 'createinstance-request', reason: 'workflow_template_id' };
  if (has(o, 'workflow_id', 'details'))
    return { name: 'uploaddetails-request', reason: 'workflow_id + details' };
  if (has(o, 'workflow_id', 'node_id'))
    return { name: 'apinoticeinfo-request', reason: 'workflow_id + node_id' };
  if (has(o, 'start_time', 'end_time'))
    return { name: 'detailinstances-request', reason: 'start_time + end_time' };
  if (has(o, 'task_id') && !has(o, 'workflow_name')) return { name: 'taskdetail-request', reason: 'task_id' };
  if (has(o, 'callee') && typeof o.callee === 'string' && !has(o, 'workflow_id'))
    return { name: 'list-item', reason: 'callee (a list row)' };
  return undefined;
}
