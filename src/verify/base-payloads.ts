/**
 * The starting points of the verification pack: real payloads from the engine (shipped scenarios,
 * shrunk to a dozen contacts so this takes milliseconds, run with the pack's seed), picked by
 * shape — an answered call, one whose redials ran out, a multi-number contact — plus the vendor's
 * own examples from the schemas. Starting from engine output keeps the variants in step with what
 * the emulator really sends; mutating them (src/verify/variants.ts) adds the tricky parts.
 */
import type { SchemaRegistry } from '../contract/registry.ts';
import type {
  CallCompletion,
  CallCompletionInfoCheck,
  ChatbotSessionEnd,
  CustomApiNodePush,
  ListCompletion,
  WorkflowStatusChange,
} from '../generated/types.ts';
import {
  payloadsOf as ofType,
  pick,
  schemaExample as example,
  shippedSampleRun as run,
} from '../emulation/sample-payloads.ts';

export interface BasePayloads {
  push: {
    answered: CustomApiNodePush;
    redialed: CustomApiNodePush;
    /** An Info Check push as sent by default: `question_answer`, no `asr_ptp` / `asr_result`. */
    infoCheck: CustomApiNodePush;
    /** The same with `info_check_push_asr: true`: `asr_ptp` / `asr_result` beside `question_answer`. */
    infoCheckWithAsr: CustomApiNodePush;
    multiNumber: CustomApiNodePush;
    nonCollection: CustomApiNodePush;
    vendorExample: CustomApiNodePush;
  };
  infoCheck: {
    answered: CallCompletionInfoCheck;
    redialed: CallCompletionInfoCheck;
    vendorExample: CallCompletionInfoCheck;
  };
  completion: {
    answered: CallCompletion;
    redialed: CallCompletion;
    /** A later number of a multi-number contact (same CaseID as an earlier callback). */
    laterNumber: CallCompletion;
  };
  listCompletion: ListCompletion;
  statusRunning: WorkflowStatusChange;
  statusFinished: WorkflowStatusChange;
  /** The engine sends no chatbot sessions: the schema's example (built from the vendor page). */
  chatbot: ChatbotSessionEnd;
}

export function loadBasePayloads(seed: number, registry: SchemaRegistry): BasePayloads {
  const collection = run('collection-ptp', seed);
  const infoCheck = run('info-check-redials', seed);
  const multi = run('multi-number', seed);
  const ecommerce = run('ecommerce-order-confirmation', seed);

  const pushes = ofType(collection, 'custom-api-node-push');
  const talked = (p: CustomApiNodePush) => p.call.talk_round > 0 && (p.call.asr_result?.length ?? 0) > 0;
  const asked = (p: CustomApiNodePush) => (p.call.question_answer?.length ?? 0) > 0;
  const completions = ofType(collection, 'call-completion');
  const icCompletions = ofType(infoCheck, 'call-completion-info-check');
  const multiCompletions = ofType(multi, 'call-completion');
  const statuses = ofType(collection, 'workflow-status-change');
  const seenCase = new Set<string>();

  return {
    push: {
      answered: pick(pushes, 'answered push', talked),
      redialed: pick(pushes, 'redialed push', (p) => (p.call.redial_call?.length ?? 0) > 0),
      infoCheck: pick(ofType(infoCheck, 'custom-api-node-push'), 'Info Check push', asked),
      infoCheckWithAsr: pick(
        ofType(run('info-check-redials', seed, { info_check_push_asr: true }), 'custom-api-node-push'),
        'Info Check push with ASR',
        (p) => asked(p) && talked(p),
      ),
      multiNumber: pick(
        ofType(multi, 'custom-api-node-push'),
        'multi-number push',
        (p) => p.call.callee_number !== p.callee.callee_number,
      ),
      nonCollection: pick(ofType(ecommerce, 'custom-api-node-push'), 'e-commerce push', talked),
      vendorExample: example(registry, 'custom-api-node-push'),
    },
    infoCheck: {
      answered: pick(
        icCompletions,
        'answered Info Check callback',
        (c) => c.details[0]?.ring_type === 'normal',
      ),
      redialed: pick(
        icCompletions,
        'redialed Info Check callback',
        (c) => (c.details[0]?.redail_call?.length ?? 0) > 0,
      ),
      vendorExample: example(registry, 'call-completion-info-check'),
    },
    completion: {
      // Prefer a promise to pay: asr_ptp carries data then.
      answered: pick(completions, 'answered call-completion', (c) => (c.details[0]?.asr_ptp ?? '') !== ''),
      redialed: pick(
        completions,
        'redialed call-completion',
        (c) => (c.details[0]?.redail_call?.length ?? 0) > 0,
      ),
      laterNumber: pick(multiCompletions, 'multi-number call-completion', (c) => {
        const id = c.details[0]?.CaseID ?? '';
        if (seenCase.has(id)) return true;
        seenCase.add(id);
        return false;
      }),
    },
    listCompletion: pick(ofType(collection, 'list-completion'), 'list-completion', () => true),
    statusRunning: pick(statuses, 'Running notice', (s) => s.status === 'Running'),
    statusFinished: pick(statuses, 'Finished notice', (s) => s.status === 'Finished'),
    chatbot: example(registry, 'chatbot-session-end'),
  };
}
