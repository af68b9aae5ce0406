/**
 * Variants of the workflow notices (list completion, status change) and the chatbot session end.
 * Their field lists are documented, their values mostly not: the variants lean on what is free
 * text or optional there.
 */
import type {
  ChatbotMessage,
  ListCompletionRow,
  TaskStatus,
  WorkflowStatusChange,
} from '../generated/types.ts';
import {
  asciiJson,
  EXTRA_MAP_KEYS,
  longText,
  maskIdsAndNumbers,
  MULTILINGUAL,
  MULTILINGUAL_LINE,
} from './mutate.ts';
import type { VariantContext, VariantSpec } from './variant-types.ts';

const UTF8_WORKFLOW_NAME = '催收_第一轮 · cobranza año 2024 · penagihan 🚀';

export function listCompletionVariants({ bases, faker }: VariantContext): VariantSpec[] {
  const base = bases.listCompletion;
  const copy = () => structuredClone(base);
  const out: VariantSpec[] = [
    {
      slug: 'emulator',
      tricky: 'nothing: a row that went through the whole workflow, as the emulator sends it (the baseline)',
      valid: 'built by the emulator engine from the vendor field list',
      payload: copy(),
    },
    {
      slug: 'masked-ids-and-numbers',
      tricky: 'ids and callee_number redacted with runs of x as in the vendor docs',
      valid: 'the schema accepts the vendor docs redaction so their examples validate',
      payload: maskIdsAndNumbers(copy()),
    },
  ];

  const noCase = copy();
  noCase.case_id = '';
  out.push({
    slug: 'case-id-empty',
    tricky: 'case_id is the empty string',
    valid: 'case_id is a required string, not a non-empty one',
    payload: noCase,
  });

  const noTask = copy();
  noTask.rows = noTask.rows.map(({ task_id: _t, ...row }) => row);
  out.push({
    slug: 'rows-without-task-id',
    tricky: 'no rows[].task_id, not even on the call node',
    valid: 'task_id is optional in rows (API nodes have no outbound task)',
    payload: noTask,
  });

  const nodes = copy();
  const first = nodes.rows[0]!;
  const extra: ListCompletionRow[] = [
    'sms',
    'whatsapp_template',
    'wait',
    'condition',
    '人工坐席',
    'Nodo de espera',
  ].map((node_type, i) => ({
    nodetask_id: faker.string.hexadecimal({ length: 32, casing: 'lower', prefix: '' }),
    nodetask_name: `${node_type}_${i + 1}`,
    node_type,
  }));
  nodes.rows = [first, ...extra, ...nodes.rows.slice(1)];
  out.push({
    slug: 'unknown-node-types',
    tricky: `node_type values no page lists: ${extra.map((r) => r.node_type).join(', ')}`,
    valid: 'node_type is free text: the vendor publishes no values for it',
    payload: nodes,
  });

  const many = copy();
  many.rows = Array.from({ length: 60 }, (_, i) => ({
    nodetask_id: faker.string.hexadecimal({ length: 32, casing: 'lower', prefix: '' }),
    nodetask_name: `Voicebot Call${i + 1}_${faker.string.hexadecimal({ length: 6, casing: 'lower', prefix: '' })}`,
    node_type: i % 2 === 0 ? 'voicebot_call' : 'api',
    ...(i % 2 === 0
      ? { task_id: faker.string.hexadecimal({ length: 32, casing: 'lower', prefix: '' }) }
      : {}),
  }));
  out.push({
    slug: 'many-rows',
    tricky: 'a 60-node workflow: 60 rows',
    valid: 'rows has no maximum length',
    payload: many,
  });

  const utf8 = copy();
  utf8.workflow_name = UTF8_WORKFLOW_NAME;
  utf8.rows = utf8.rows.map((r, i) => ({ ...r, nodetask_name: `${Object.values(MULTILINGUAL)[i % 4]}` }));
  out.push({
    slug: 'utf8-names',
    tricky: `workflow_name and nodetask_name in several scripts and emoji: ${UTF8_WORKFLOW_NAME}`,
    valid: 'names are free strings',
    payload: utf8,
  });
  return out;
}

const TASK_STATUSES: readonly TaskStatus[] = [
  'created',
  'pending',
  'finished',
  'calling',
  'canceled',
  'paused',
];

export function statusChangeVariants({ bases, faker }: VariantContext): VariantSpec[] {
  const running = bases.statusRunning;
  const copy = (p: WorkflowStatusChange = running) => structuredClone(p);
  const out: VariantSpec[] = [
    {
      slug: 'emulator-running',
      tricky: 'nothing: the Running notice as the emulator sends it (the baseline)',
      valid: 'built by the emulator engine from the vendor field list',
      payload: copy(),
    },
    {
      slug: 'emulator-finished',
      tricky: 'the Finished notice, task_status finished',
      valid: 'built by the emulator engine',
      payload: copy(bases.statusFinished),
    },
  ];

  const stopped = copy();
  stopped.status = 'Stopped';
  for (const a of stopped.actions) if (a.task_status !== undefined) a.task_status = 'canceled';
  out.push({
    slug: 'stopped',
    tricky: 'status "Stopped" with task_status "canceled" (one l)',
    valid:
      'Stopped is a status value the emulator sends when a workflow is stopped; canceled is a documented task status',
    payload: stopped,
  });

  const minimal = copy();
  minimal.actions = minimal.actions.map((a) => ({
    nodetask_id: a.nodetask_id,
    nodetask_name: a.nodetask_name,
    node_type: a.node_type,
  }));
  out.push({
    slug: 'actions-without-task',
    tricky: 'no actions[].task_id or task_status, not even on the call node',
    valid: 'both are optional in actions',
    payload: minimal,
  });

  const every = copy();
  every.actions = TASK_STATUSES.map((task_status, i) => ({
    nodetask_id: faker.string.hexadecimal({ length: 32, casing: 'lower', prefix: '' }),
    nodetask_name: `Voicebot Call${i + 1}`,
    node_type: 'voicebot_call',
    task_id: faker.string.hexadecimal({ length: 32, casing: 'lower', prefix: '' }),
    task_status,
  }));
  out.push({
    slug: 'every-task-status',
    tricky: `one action per task status: ${TASK_STATUSES.join(', ')}`,
    valid: 'each is a documented task status value',
    payload: every,
  });

  out.push({
    slug: 'masked-ids',
    tricky: 'ids redacted with runs of x as in the vendor docs',
    valid: 'the schema accepts the vendor docs redaction so their examples validate',
    payload: maskIdsAndNumbers(copy()),
  });

  const utf8 = copy();
  utf8.workflow_name = UTF8_WORKFLOW_NAME;
  out.push({
    slug: 'utf8-workflow-name',
    tricky: `workflow_name in several scripts and emoji: ${UTF8_WORKFLOW_NAME}`,
    valid: 'workflow_name is a free string',
    payload: utf8,
  });
  return out;
}

export function chatbotVariants({ bases, faker }: VariantContext): VariantSpec[] {
  const base = bases.chatbot;
  const copy = () => structuredClone(base);
  const out: VariantSpec[] = [
    {
      slug: 'schema-example',
      tricky: "nothing: the schema's example, built from the fragments of the vendor page (the baseline)",
      valid: 'it is the example of schemas/chatbot-session-end.schema.json',
      payload: copy(),
    },
    {
      slug: 'masked-ids-and-numbers',
      tricky: 'ids and callee redacted with runs of x as in the vendor docs',
      valid: 'the schema accepts the vendor docs redaction so their examples validate',
      payload: maskIdsAndNumbers(copy()),
    },
  ];

  const maps = copy();
  maps.ner_slots = { ...maps.ner_slots, ...EXTRA_MAP_KEYS };
  maps.event_label = { ...maps.event_label, ...EXTRA_MAP_KEYS };
  maps.variables = { ...maps.variables, ...EXTRA_MAP_KEYS };
  out.push({
    slug: 'free-map-extra-keys',
    tricky: 'unknown keys (non-ASCII, dotted, spaced, empty values) in ner_slots, event_label and variables',
    valid: 'these are free string maps',
    payload: maps,
  });

  const empty = copy();
  empty.messages = [];
  empty.ner_slots = {};
  empty.event_label = {};
  empty.variables = {};
  empty.talk_round = 0;
  empty.intention = '';
  out.push({
    slug: 'empty-session',
    tricky: 'messages [], empty maps, talk_round 0, empty intention',
    valid: 'messages has no minimum length, maps may be empty, talk_round has minimum 0',
    payload: empty,
  });

  const kinds = copy();
  const t0 = kinds.timestamp - 600;
  const messages: ChatbotMessage[] = [
    {
      msg_id: 'k-1',
      sender_type: 'system',
      timestamp: t0,
      content: { type: 'system', system: { type: 'conversation.start', extra: { nested: true } } },
    },
    {
      msg_id: 'k-2',
      sender_type: 'chatbot',
      timestamp: t0 + 1,
      status: 'sent',
      content: { type: 'template', template: { any: ['shape', 1] } },
    },
    {
      msg_id: 'k-3',
      sender_type: 'user',
      timestamp: t0 + 30,
      status: 'read',
      content: { type: 'button', text: 'Sí' },
      reply: {
        msg_id: 'k-2',
        sender_type: 'chatbot',
        timestamp: t0 + 1,
        status: 'sent',
        content: { type: 'template', template: {} },
      },
    },
    { msg_id: 'k-4', sender_type: 'user', timestamp: t0 + 31, content: { type: 'text' } },
    {
      msg_id: 'k-5',
      sender_type: 'chatbot',
      timestamp: t0 + 31,
      status: 'failed',
      content: { type: 'text', text: '' },
    },
  ];
  kinds.messages = messages;
  out.push({
    slug: 'every-content-type',
    tricky:
      'one message per content type (system, template, button, text), a quoted reply with its own content, a text message without text, two messages with the same timestamp',
    valid: 'each shape is allowed by the message schema; only type is required in content',
    payload: kinds,
  });

  const utf8 = copy();
  utf8.messages = Object.values(MULTILINGUAL).map((text, i) => ({
    msg_id: `u-${i + 1}`,
    sender_type: i % 2 === 0 ? 'user' : 'chatbot',
    timestamp: utf8.timestamp - 100 + i,
    content: { type: 'text', text },
  }));
  out.push(
    {
      slug: 'utf8-messages',
      tricky: `message texts in several scripts and emoji: ${MULTILINGUAL_LINE}`,
      valid: 'text is a free string',
      payload: utf8,
    },
    {
      slug: 'ascii-escaped-json',
      tricky:
        'the utf8-messages payload with every non-ASCII character written as a \\u escape in the JSON text',
      valid: 'it decodes to exactly the utf8-messages payload',
      payload: utf8,
      body: asciiJson(utf8),
    },
  );

  const big = copy();
  const block = longText(faker, 800);
  const count = Math.ceil(1_000_000 / (block.length + 130));
  big.messages = Array.from({ length: count }, (_, i) => ({
    msg_id: `b-${i + 1}`,
    sender_type: i % 2 === 0 ? 'user' : 'chatbot',
    timestamp: big.timestamp - count + i,
    status: 'read',
    content: { type: 'text', text: block },
  }));
  big.talk_round = Math.floor(count / 2);
  out.push({
    slug: 'big-payload',
    tricky: `about 1 MB of JSON: ${count} messages`,
    valid: 'messages has no maximum length',
    payload: big,
  });
  return out;
}
