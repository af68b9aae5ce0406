/**
 * The business line of a recorded workflow. Callbacks do not name it, so it is inferred from
 * what only one line sends (Info Check's `question_answer`, collection's debt fields in the push
 * `callee`), then from the slot and event-label names of the answered calls; `--map` patterns on
 * workflow_name and `--business` override the inference. Every answer says what decided it.
 */
import type { Business } from '../scenario/types.ts';
import type { WorkflowObservations } from './observe.ts';

export const BUSINESSES: readonly Business[] = ['collection', 'telemarketing', 'ecommerce', 'info_check'];

/** A `--map` entry: a workflow_name glob (`*` any run, `?` one character) → business. */
export interface NamePattern {
  pattern: string;
  business: Business;
}

export interface BusinessChoice {
  business: Business;
  /** What decided, for the report ("question_answer", "--map COLL-*", …). */
  from: string;
}

/** Slot and event-label names the emulator's scripts use per line (src/engine/dial.ts, model.ts). */
const HINTS: [Business, string[]][] = [
  ['collection', ['PaymentTime', 'PaymentAmount', 'PTP', 'Paid', 'Refuse', 'Request_Installment']],
  ['ecommerce', ['item_name', 'receivetime', 'cancel_reason', 'Confirm_Order', 'Cancel_Order']],
  ['telemarketing', ['channel', 'product', 'Interested', 'Not_Interested']],
];

/** Parses `PATTERN=business` (the value of one --map). */
export function parseNamePattern(text: string): NamePattern | string {
  const at = text.lastIndexOf('=');
  const pattern = text.slice(0, at);
  const business = text.slice(at + 1) as Business;
  if (at <= 0) return `"${text}" is not PATTERN=business`;
  if (!BUSINESSES.includes(business))
    return `unknown business "${business}" (known: ${BUSINESSES.join(', ')})`;
  return { pattern, business };
}

function globMatches(pattern: string, name: string): boolean {
  const re = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${re}$`).test(name);
}

export function chooseBusiness(
  obs: WorkflowObservations,
  opts: { business?: Business; map?: NamePattern[] },
): BusinessChoice {
  if (opts.business) return { business: opts.business, from: '--business' };
  const mapped = (opts.map ?? []).find((p) => globMatches(p.pattern, obs.workflowName));
  if (mapped) return { business: mapped.business, from: `--map ${mapped.pattern}` };
  if (obs.evidence.has('question_answer')) return { business: 'info_check', from: 'question_answer' };
  if (obs.evidence.has('debt fields in the push callee'))
    return { business: 'collection', from: 'debt fields in the push callee' };
  const keys = new Set(obs.answered.flatMap((a) => a.slotKeys));
  let best: [Business, number] | undefined;
  for (const [business, names] of HINTS) {
    const hits = names.filter((n) => keys.has(n)).length;
    if (hits > 0 && (!best || hits > best[1])) best = [business, hits];
  }
  if (best) return { business: best[0], from: `slot/event-label names of the ${best[0]} scripts` };
  return { business: 'telemarketing', from: 'nothing telling (default; pass --business or --map)' };
}
