/**
 * A scenario with two templates and no `workflow_name`, played by `run` and by the library's
 * trigger: both start one workflow per template, in the scenario's order, named alike (the
 * scenario's name), with the same delivery ids and bodies.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runScenario } from '../../src/run/run-scenario.ts';
import { createEmulator } from '../../src/server/emulator.ts';
import { startReceiver, type Receiver } from '../helpers/receiver.ts';

const YAML = `
name: two-templates
seed: 7
start_time: "2024-03-11 10:00:00"
account:
  timezone: Asia/Jakarta
  locale: id_ID
templates:
${[1, 2]
  .map(
    (n) => `  - id: tpl-${n}
    name: template ${n}
    business: telemarketing
    nodes:
      - type: voicebot_call
        name: Voicebot Call1
        robot_id: "449${n}"
        sip_line: CH_TEST_LINE
        repeat_number: 1
        repeat_interval: 1
      - type: api
        name: API2
    callbacks:
      call-completion: { url: "http://127.0.0.1:4010/__emulator/sink/t${n}" }
      custom-api-node-push: { url: "http://127.0.0.1:4010/__emulator/sink/t${n}" }
      workflow-status-change: { url: "http://127.0.0.1:4010/__emulator/sink/t${n}" }`,
  )
  .join('\n')}
contacts:
  generate:
    count: 2
    case_id_prefix: "TT-"
outcomes:
  dial: { answered: 60, normal: 20, busy: 20 }
`;

interface Seen {
  id: string;
  workflowId?: string;
  body: string;
}

describe('a two-template scenario without workflow_name: run and trigger agree', () => {
  let dir: string;
  let file: string;
  const receivers: Receiver[] = [];
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'two-templates-'));
    file = join(dir, 'two-templates.yaml');
    writeFileSync(file, YAML);
  });
  after(async () => {
    await Promise.all(receivers.map((r) => r.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('one workflow per template, named after the scenario, same deliveries and bytes', async () => {
    const rxRun = await startReceiver();
    const rxLib = await startReceiver();
    receivers.push(rxRun, rxLib);
    const report = await runScenario({ scenario: file, target: rxRun.url, seed: 9, clock: 'virtual' });
    const emu = await createEmulator({
      scenarios: [],
      target: rxLib.url,
      seed: 9,
      startTime: report.start.clock,
    });
    try {
      const started = emu.trigger(file);
      assert.equal(started.workflows.length, 2);
      assert.deepEqual(
        started.workflows.map((w) => w.workflowName),
        ['two-templates', 'two-templates'],
      );
      await emu.idle();
      const seen = (records: readonly { id: string; workflowId?: string }[], rx: Receiver): Seen[] =>
        records
          .map((d) => ({ id: d.id, workflowId: d.workflowId, body: rx.forKey(d.id).at(-1)?.body ?? '' }))
          .sort((a, b) => (a.id < b.id ? -1 : 1));
      const run = seen(report.deliveries, rxRun);
      const lib = seen(emu.deliveries(), rxLib);
      assert.deepEqual(lib, run);
      assert.equal(new Set(run.map((d) => d.workflowId)).size, 2, 'two workflows delivered');
      const names = new Set(
        run
          .map((d) => JSON.parse(d.body) as { workflow_name?: string })
          .map((p) => p.workflow_name)
          .filter((n) => n !== undefined),
      );
      assert.deepEqual([...names], ['two-templates']);
    } finally {
      await emu.close();
    }
  });
});
