/**
 * Which callback each recorded value is: the detection `validate` uses (src/contract/detect.ts),
 * plus a check that the value carries the telling keys of one callback only, so a value merged from
 * two messages, or a REST body, is reported instead of half-read.
 */
import { CALLBACK_TYPES, type CallbackType } from '../contract/callbacks.ts';
import { detectMessage } from '../contract/detect.ts';
import type { InputProblem, Recorded } from './records.ts';

export interface Classified {
  where: string;
  type: CallbackType;
  value: Record<string, unknown>;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The keys that tell each callback family apart (the two call completions share theirs). */
const SIGNATURES: [string, (o: Obj) => boolean][] = [
  ['custom-api-node-push', (o) => 'node_id' in o && 'call' in o],
  ['call-completion', (o) => 'nodetask_id' in o && 'details' in o],
  ['list-completion', (o) => 'rows' in o && 'callee_number' in o],
  ['workflow-status-change', (o) => 'actions' in o],
  ['chatbot-session-end', (o) => 'messages' in o],
];

export function classify(records: Recorded[]): { messages: Classified[]; problems: InputProblem[] } {
  const messages: Classified[] = [];
  const problems: InputProblem[] = [];
  for (const r of records) {
    const c = classifyOne(r);
    if ('message' in c) problems.push(c);
    else messages.push(c);
  }
  return { messages, problems };
}

function classifyOne(r: Recorded): Classified | InputProblem {
  if (!isObj(r.value)) return { where: r.where, message: 'not a JSON object (a callback is one)' };
  const o = r.value;
  const families = SIGNATURES.filter(([, has]) => has(o)).map(([name]) => name);
  if (families.length > 1) {
    return { where: r.where, message: `mixed message: has the keys of ${families.join(' and ')}` };
  }
  const found = detectMessage(o);
  if (!found) return { where: r.where, message: 'unknown message: no callback schema matches its shape' };
  if (!(CALLBACK_TYPES as readonly string[]).includes(found.name)) {
    return { where: r.where, message: `not a callback: looks like ${found.name} (${found.reason})` };
  }
  return { where: r.where, type: found.name as CallbackType, value: o };
}
