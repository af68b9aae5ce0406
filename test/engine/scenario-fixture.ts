/** Builds small valid scenarios for engine tests (checked against the scenario schema). */
import assert from 'node:assert/strict';
import { validate } from '../../src/contract/registry.ts';
import type { Business, NodeSpec, OutcomesSpec, Scenario } from '../../src/scenario/types.ts';
import type { CallbackType } from '../../src/engine/types.ts';

export const SINK = 'http://127.0.0.1:4010/__emulator/sink/test';
export const T0 = Date.UTC(2024, 2, 11, 2, 0, 0); // 2024-03-11 09:00:00 in Asia/Jakarta

export interface FixtureOptions {
  business?: Business;
  locale?: Scenario['account']['locale'];
  timezone?: string;
  count?: number;
  numbers?: number | { min: number; max: number };
  repeatNumber?: number;
  repeatInterval?: number;
  window?: string | string[];
  outcomes?: OutcomesSpec;
  nodes?: NodeSpec[];
  seed?: number;
  callbacks?: CallbackType[];
}

export function fixture(o: FixtureOptions = {}): Scenario {
  const business = o.business ?? 'collection';
  const types: CallbackType[] = o.callbacks ?? [
    business === 'info_check' ? 'call-completion-info-check' : 'call-completion',
    'custom-api-node-push',
    'list-completion',
    'workflow-status-change',
  ];
  const call: NodeSpec = {
    type: 'voicebot_call',
    robot_id: '4496',
    sip_line: 'CH_TEST_LINE',
    repeat_number: o.repeatNumber ?? 2,
    repeat_interval: o.repeatInterval ?? 2,
    ...(o.window !== undefined ? { calling_window: o.window } : {}),
  };
  const s: Scenario = {
    name: 'fixture',
    seed: o.seed ?? 42,
    account: { timezone: o.timezone ?? 'Asia/Jakarta', locale: o.locale ?? 'id_ID' },
    templates: [
      {
        id: 't1',
        business,
        nodes: o.nodes ?? [call, { type: 'api', name: 'API2', custom_attribute: { a: '1' } }],
        callbacks: Object.fromEntries(types.map((t) => [t, { url: SINK }])),
      },
    ],
    contacts: {
      generate: {
        count: o.count ?? 10,
        ...(o.numbers !== undefined ? { numbers_per_contact: o.numbers } : {}),
      },
    },
    ...(o.outcomes ? { outcomes: o.outcomes } : {}),
  };
  const r = validate('scenario', s);
  assert.ok(r.ok, `fixture scenario invalid: ${JSON.stringify(r)}`);
  return s;
}

/** A Voicebot Call node with its calling window(s), for the calling-window tests. */
export const callNode = (window: string | string[], repeat: number, interval: number): NodeSpec => ({
  type: 'voicebot_call',
  robot_id: '4496',
  sip_line: 'CH_TEST_LINE',
  repeat_number: repeat,
  repeat_interval: interval,
  calling_window: window,
});

/** An API node with one custom attribute. */
export const apiNode = (name: string): NodeSpec => ({ type: 'api', name, custom_attribute: { a: '1' } });
