/**
 * The vendor messages of one workflow: which callbacks its template configures (a payload is only
 * built for those), and each message's deterministic id, URL and signing KEY (the template's, when
 * it configures one: the delivery layer decides what an unkeyed callback is signed with).
 */
import type { CallbackSpec } from '../scenario/types.ts';
import type { CallbackPayload, CallbackType, OutboundMessage } from './types.ts';

export interface Outbox {
  /** Which callbacks the template configures (the call-completion one of its business line). */
  readonly wants: { status: boolean; list: boolean; completion: boolean; push: boolean };
  /** `[message]` of a configured type, due at `at`, carrying `payload` (already built). */
  message<T extends CallbackType>(type: T, payload: CallbackPayload<T>, at: number): OutboundMessage<T>[];
}

export function createOutbox(
  workflowId: string,
  callbacks: Partial<Record<CallbackType, CallbackSpec>>,
  completionType: 'call-completion' | 'call-completion-info-check',
): Outbox {
  let count = 0;
  return {
    wants: {
      status: callbacks['workflow-status-change'] !== undefined,
      list: callbacks['list-completion'] !== undefined,
      completion: callbacks[completionType] !== undefined,
      push: callbacks['custom-api-node-push'] !== undefined,
    },
    message(type, payload, at) {
      const cb = callbacks[type]!;
      count++;
      // Ids count the workflow's messages: the same seed gives the same ids.
      const id = `${workflowId}-${String(count).padStart(6, '0')}`;
      return [{ id, type, workflowId, url: cb.url, key: cb.key, payload, at }];
    },
  };
}
