/**
 * The idempotency key the emulator recommends per callback: the vendor delivers at least once
 * (retries, and the emulator's chaos duplicates) and documents no key, so these are
 * EMULATOR-RECOMMENDED — fields unique per logical event in the emulator's own traffic
 * (test/contract/idempotency.test.ts plays shipped scenarios to prove it). A receiver stores one
 * record per key and answers 2xx to a delivery whose key it has already stored.
 */
import type { CallbackPayload, CallbackType } from './callbacks.ts';

export interface IdempotencyKeyRule {
  /** The fields the key is made of, as the docs/delivery.md table names them. */
  fields: string;
  /** Why these fields name one logical event. */
  why: string;
}

export const IDEMPOTENCY_KEY_RULES: Readonly<Record<CallbackType, IdempotencyKeyRule>> = {
  'custom-api-node-push': {
    fields: 'node_id + call.call_id',
    why: 'one push per call per API node: a call that passes two API nodes is pushed by each',
  },
  'call-completion-info-check': {
    fields: 'details[].call_id',
    why: "one callback per number, when it connects or its redials run out; call_id is that number's final dial",
  },
  'call-completion': {
    fields: 'details[].call_id',
    why: "one callback per number, when it connects or its redials run out; call_id is that number's final dial",
  },
  'list-completion': {
    fields: 'workflow_id + case_id + callee_number',
    why: 'one callback per list row of a workflow; the payload carries no row id, so the row is named by what was uploaded',
  },
  'workflow-status-change': {
    fields: 'workflow_id + status',
    why: 'a workflow enters each status once (Running at start, then Stopped or Finished)',
  },
  'chatbot-session-end': {
    fields: 'call_id',
    why: 'call_id is the id of the session, and a session ends once',
  },
};

/**
 * The idempotency key of a callback: its key fields joined with `:` (several call ids with `,`).
 * Two deliveries with the same key are the same event; store the first, acknowledge the rest.
 */
export function idempotencyKey<T extends CallbackType>(type: T, payload: CallbackPayload<T>): string;
export function idempotencyKey(type: CallbackType, payload: CallbackPayload): string {
  const p = payload as unknown as Record<string, unknown>;
  switch (type) {
    case 'custom-api-node-push':
      return `${str(p.node_id)}:${str((p.call as Record<string, unknown>).call_id)}`;
    case 'call-completion-info-check':
    case 'call-completion':
      return (p.details as { call_id: unknown }[]).map((d) => str(d.call_id)).join(',');
    case 'list-completion':
      return `${str(p.workflow_id)}:${str(p.case_id)}:${str(p.callee_number)}`;
    case 'workflow-status-change':
      return `${str(p.workflow_id)}:${str(p.status)}`;
    case 'chatbot-session-end':
      return str(p.call_id);
    default:
      throw new Error(`no idempotency key for callback type "${String(type)}"`);
  }
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}
