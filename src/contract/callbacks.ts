/**
 * The callbacks a workflow template can map to a URL + KEY: the schema names in schemas/ of the
 * six vendor messages the emulator sends. Kept in the contract layer so every layer above (the
 * scenario format, the engine, delivery, verify, the CLI) names them from one place.
 */
import type { MessageOf } from './messages.ts';

/** The callbacks a workflow template can map to a URL + KEY (schema names in schemas/). */
export type CallbackType =
  | 'custom-api-node-push'
  | 'call-completion-info-check'
  | 'call-completion'
  | 'list-completion'
  | 'workflow-status-change'
  | 'chatbot-session-end';

/** Every callback type, in the order the docs list them. */
export const CALLBACK_TYPES: readonly CallbackType[] = [
  'custom-api-node-push',
  'call-completion-info-check',
  'call-completion',
  'list-completion',
  'workflow-status-change',
  'chatbot-session-end',
];

/**
 * The payload of a callback of type `T`: its generated schema type (the union of the six for a
 * plain `CallbackType`). Indexing by `CallbackType` also checks that every callback name is a
 * schema with a generated type.
 */
export type CallbackPayload<T extends CallbackType = CallbackType> = MessageOf<T>;
