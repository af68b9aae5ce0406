/** A small scenario for runner and `run` tests: 6 contacts, one call node and one API node. */
export function scenarioYaml(opts: {
  url: string;
  seed?: number;
  delivery?: string;
  expectations?: string;
}): string {
  return `name: tiny
seed: ${opts.seed ?? 42}
start_time: "2024-03-11 10:00:00"
workflow_name: tiny_run
account:
  timezone: Asia/Jakarta
  locale: id_ID
templates:
  - id: t1
    business: telemarketing
    nodes:
      - type: voicebot_call
        robot_id: "5120"
        sip_line: CH_ID_JKT_LINE02
        repeat_number: 1
        repeat_interval: 1
      - type: api
        name: API2
    callbacks:
      call-completion:
        url: ${opts.url}
      custom-api-node-push:
        url: ${opts.url}
contacts:
  generate:
    count: 6
    case_id_prefix: "T-"
${opts.delivery ?? ''}
${opts.expectations ?? ''}
`;
}
