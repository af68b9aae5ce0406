/**
 * Ids never repeat across workflows: every shipped scenario under one seed, and two workflows from
 * one template, get their own workflow id, node task ids and task ids (each workflow's seed
 * derives from the root seed and the workflow's identity: scenario, template, position), read
 * back as a client would, through the vendor API.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { buildEmulator, type BuiltEmulator } from '../../src/server/emulator.ts';
import { shippedScenarioNames } from '../../src/scenario/catalog.ts';

const START = Date.UTC(2024, 2, 11, 2, 0);
let emu: BuiltEmulator;
let token: string;

before(async () => {
  emu = buildEmulator({ seed: 7, clock: 'virtual:manual', startTime: START });
  const auth = await request(emu.app)
    .post('/service/cloud/auth')
    .send({ APPKey: 'test-app-key', APPSecret: 'test-app-secret' });
  token = auth.body.data.token;
});
after(() => emu.close());

/** The workflow's node task ids and task ids, from the vendor subtasks route. */
async function taskIds(workflowId: string): Promise<string[]> {
  const res = await request(emu.app)
    .get('/service/cloud/workflow/subtasks')
    .query({ workflow_id: workflowId })
    .set('Authorization', `Token ${token}`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const list = res.body.data.list as { nodetask_id: string; task_id?: string }[];
  return list.flatMap((t) => [t.nodetask_id, ...(t.task_id ? [t.task_id] : [])]);
}

describe('ids are unique across workflows under one seed', () => {
  it('all shipped scenarios, each triggered twice: no workflow, node task or task id repeats', async () => {
    const ids: string[] = [];
    for (const name of shippedScenarioNames()) {
      for (let i = 0; i < 2; i++) {
        for (const wf of emu.trigger(name).workflows) {
          ids.push(wf.workflowId, ...(await taskIds(wf.workflowId)));
        }
      }
    }
    assert.ok(ids.length >= 4 * shippedScenarioNames().length, `only ${ids.length} ids`);
    for (const id of ids) assert.match(id, /^[0-9a-f]{32}$/);
    const seen = new Map<string, number>();
    for (const id of ids) seen.set(id, (seen.get(id) ?? 0) + 1);
    assert.deepEqual(
      [...seen].filter(([, n]) => n > 1),
      [],
    );
  });
});

describe('ids after a restart on the same journal', () => {
  it('the same --seed resumes the positions: a new workflow gets new ids, the old one keeps its own', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ids-restart-'));
    try {
      const first = buildEmulator({ seed: 7, clock: 'virtual:manual', startTime: START, dataDir });
      const a = first.trigger('collection-ptp').workflowId;
      await first.close();
      const second = buildEmulator({ seed: 7, clock: 'virtual:manual', startTime: START, dataDir });
      try {
        const b = second.trigger('collection-ptp').workflowId;
        assert.notEqual(b, a, "the second session repeated the first one's workflow id");
        assert.deepEqual(
          second.store
            .listWorkflows()
            .map((w) => w.workflowId)
            .sort(),
          [a, b].sort(),
        );
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
