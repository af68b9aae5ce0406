/**
 * Test fixtures for the API tests: small inline scenarios (one call node with redials + one API
 * node, every callback to the built-in sink), an emulator on port 0 with a manual virtual clock,
 * and a logged-in supertest agent.
 */
import request from 'supertest';
import { parseScenario } from '../../src/scenario/load.ts';
import { createEmulator, type Emulator, type EmulatorOptions } from '../../src/server/emulator.ts';
import type { LoadedScenario } from '../../src/emulation/template-catalog.ts';

export const START = Date.UTC(2024, 2, 11, 3, 0, 0); // 10:00 in Asia/Jakarta
export const SINK = 'http://127.0.0.1:4010/__emulator/sink';

export function scenario(
  name: string,
  business: 'telemarketing' | 'info_check',
  templateId: number,
): LoadedScenario {
  return { name, scenario: parseScenario(scenarioYaml(name, business, templateId), `${name}.yaml`) };
}

/** The scenario file text (one call node with 2 redials, one API node, callbacks to the sink). */
export function scenarioYaml(
  name: string,
  business: 'telemarketing' | 'info_check',
  templateId: number,
): string {
  const callback = business === 'info_check' ? 'call-completion-info-check' : 'call-completion';
  const yaml = `
name: ${name}
seed: 42
start_time: "2024-03-11 10:00:00"
account:
  timezone: Asia/Jakarta
  locale: id_ID
templates:
  - id: ${name}-tpl
    name: ${name} template
    workflow_template_id: ${templateId}
    business: ${business}
    nodes:
      - type: voicebot_call
        name: Voicebot Call1
        robot_id: "4496"
        sip_line: CH_TEST_LINE
        repeat_number: 2
        repeat_interval: 1
      - type: api
        name: API2
        custom_attribute: { team: qa }
    callbacks:
      ${callback}: { url: ${SINK}/${name} }
      custom-api-node-push: { url: ${SINK}/${name} }
      list-completion: { url: ${SINK}/${name} }
      workflow-status-change: { url: ${SINK}/${name} }
contacts:
  generate:
    count: 3
    case_id_prefix: "GEN-"
outcomes:
  dial: { answered: 50, normal: 30, busy: 20 }
`;
  return yaml;
}

export const COLLECTION_TEMPLATE = 501;
export const INFO_CHECK_TEMPLATE = 502;

export async function startEmulator(opts: EmulatorOptions = {}): Promise<Emulator> {
  return createEmulator({
    clock: 'virtual:manual',
    startTime: START,
    scenarios: [
      scenario('tele', 'telemarketing', COLLECTION_TEMPLATE),
      scenario('ic', 'info_check', INFO_CHECK_TEMPLATE),
    ],
    logger: { error: (m, e) => console.error(m, e) },
    ...opts,
  });
}

export async function tokenFor(emu: Emulator): Promise<string> {
  const res = await request(emu.url)
    .post('/service/cloud/auth')
    .send({ APPKey: emu.credentials.appKey, APPSecret: emu.credentials.appSecret });
  return res.body.data.token as string;
}

/** "YYYY-MM-DD HH:mm:ss+08:00" a day after START, as a real client sends end_time. */
export const END_TIME = '2024-03-12 11:00:00+08:00';

export function rows(
  n: number,
  prefix = 'CASE-',
): { callee: string; case_id: string; customer_name: string }[] {
  return Array.from({ length: n }, (_, i) => ({
    callee: `+62812000000${String(i + 10).padStart(2, '0')}`,
    case_id: `${prefix}${i + 1}`,
    customer_name: `Customer ${i + 1}`,
  }));
}
