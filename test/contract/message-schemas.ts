/** The message schemas this suite owns (scenario.schema.json is tested with the scenario module). */
export const CALLBACK_SCHEMAS = [
  'custom-api-node-push',
  'call-completion-info-check',
  'call-completion',
  'list-completion',
  'workflow-status-change',
  'chatbot-session-end',
] as const;

export const REST_SCHEMAS = [
  'auth-request',
  'auth-response',
  'envelope-success',
  'envelope-error',
  'createinstance-request',
  'createinstance-response',
  'uploaddetails-request',
  'list-item',
  'detailinstances-request',
  'detailinstances-response',
  'apinoticeinfo-request',
  'apinoticeinfo-response',
  'taskdetail-request',
  'taskdetail-response',
] as const;

export const MESSAGE_SCHEMAS: readonly string[] = [...CALLBACK_SCHEMAS, ...REST_SCHEMAS];
