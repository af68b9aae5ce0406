/**
 * The emulator apart from its socket: `buildEmulator` answers the vendor API, the admin API and
 * the dashboard through `app` in-process (supertest, no port), and `listen` afterwards serves the
 * same state on a real port, where loopback sink URLs get that port.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import request from 'supertest';
import type { SendRequest } from '../../src/delivery/types.ts';
import { buildEmulator, type BuiltEmulator, type EmulatorOptions } from '../../src/server/emulator.ts';
import {
  COLLECTION_TEMPLATE,
  END_TIME,
  INFO_CHECK_TEMPLATE,
  rows,
  scenario,
  START,
} from '../http/fixture.ts';

const W = '/service/cloud/workflow';

const options = (extra: EmulatorOptions = {}): EmulatorOptions => ({
  clock: 'virtual:manual',
  startTime: START,
  scenarios: [
    scenario('tele', 'telemarketing', COLLECTION_TEMPLATE),
    scenario('ic', 'info_check', INFO_CHECK_TEMPLATE),
  ],
  logger: { error: (m, e) => console.error(m, e) },
  ...extra,
});

type Target = Parameters<typeof request>[0];

async function login(target: Target, emu: BuiltEmulator): Promise<string> {
  const res = await request(target)
    .post('/service/cloud/auth')
    .send({ APPKey: emu.credentials.appKey, APPSecret: emu.credentials.appSecret });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.code, 200);
  return res.body.data.token as string;
}

async function createWorkflow(target: Target, token: string): Promise<string> {
  const res = await request(target)
    .post(`${W}/createinstance`)
    .set('Authorization', `Token ${token}`)
    .send({
      workflow_template_id: COLLECTION_TEMPLATE,
      name: 'built',
      end_time: END_TIME,
      auto_finish: 2,
      details: rows(2),
    });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.code, 200);
  return res.body.data.workflow_id as string;
}

describe('buildEmulator without listening', () => {
  const sent: SendRequest[] = [];
  const emu = buildEmulator(
    options({
      delivery: {
        send: async (req) => {
          sent.push(req);
          return { status: 200, response: 'ok' };
        },
      },
    }),
  );
  after(() => emu.close());

  it('has no address and the same library surface', () => {
    assert.equal('url' in emu, false);
    assert.equal('port' in emu, false);
    assert.equal(typeof emu.app, 'function');
    assert.equal(emu.recovered.entries, 0);
    assert.deepEqual(emu.deliveries(), []);
  });

  it('answers the admin API and the dashboard through app', async () => {
    const health = await request(emu.app).get('/__emulator/health');
    assert.equal(health.status, 200);
    assert.deepEqual(health.body, {
      status: 'ok',
      clock: emu.clock.mode,
      now: START,
      workflows: 0,
      deliveries: { total: 0, pending: 0 },
      templates: 2,
      persistence: 'memory',
      seed: 1,
    });
    const scenarios = await request(emu.app).get('/__emulator/scenarios');
    assert.equal(scenarios.status, 200);
    assert.deepEqual(
      scenarios.body.list.map((s: { name: string }) => s.name),
      ['tele', 'ic'],
    );
    const page = await request(emu.app).get('/__emulator/');
    assert.equal(page.status, 200);
    assert.match(page.headers['content-type'] ?? '', /^text\/html/);
    const missing = await request(emu.app).get('/nowhere');
    assert.equal(missing.status, 404);
  });

  it('answers the vendor API through app, and delivers on idle', async () => {
    const unauthorized = await request(emu.app).get(`${W}/templates`);
    assert.equal(unauthorized.status, 401);
    const token = await login(emu.app, emu);
    const workflowId = await createWorkflow(emu.app, token);
    const workflows = await request(emu.app).get('/__emulator/workflows');
    assert.equal(workflows.status, 200);
    assert.deepEqual(
      workflows.body.list.map((w: { workflow_id: string }) => w.workflow_id),
      [workflowId],
    );
    await emu.idle();
    const delivered = emu.deliveries({ workflow: workflowId });
    assert.ok(delivered.length > 0);
    assert.deepEqual(emu.deliveries({ workflow: workflowId, outcome: 'delivered' }), delivered);
    assert.equal(sent.length, delivered.length);
    // No port yet: a loopback sink URL points at the host alone (listen, or set publicUrl).
    assert.ok(
      sent.every((r) => r.url === 'http://127.0.0.1/__emulator/sink/tele'),
      sent[0]?.url,
    );
    const trigger = await request(emu.app).post('/__emulator/scenarios/ic/trigger').send({});
    assert.equal(trigger.status, 201, JSON.stringify(trigger.body));
    assert.match(trigger.body.workflow_id, /./);
  });

  it('resets through the admin API', async () => {
    const res = await request(emu.app).post('/__emulator/reset');
    assert.equal(res.status, 200);
    assert.deepEqual(emu.deliveries(), []);
    const workflows = await request(emu.app).get('/__emulator/workflows');
    assert.deepEqual(workflows.body.list, []);
  });
});

describe('buildEmulator then listen', () => {
  let started = 0;
  const emu = buildEmulator(options({ onStarted: () => started++ }));
  after(() => emu.close());

  it('serves on a real port what app answers, and sends sink callbacks to that port', async () => {
    const token = await login(emu.app, emu);
    assert.equal(started, 0);

    const running = await emu.listen();
    assert.equal(running, emu);
    assert.equal(started, 1);
    assert.match(running.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(running.url, `http://127.0.0.1:${running.port}`);
    assert.equal(running.adminUrl, `${running.url}/__emulator`);
    await assert.rejects(emu.listen(), /already listening/);

    // A token from the in-process app works on the port: one state.
    const workflowId = await createWorkflow(running.url, token);
    for (const path of ['/__emulator/health', '/__emulator/workflows', '/__emulator/scenarios']) {
      const viaApp = await request(emu.app).get(path);
      const viaPort = await request(running.url).get(path);
      assert.equal(viaPort.status, 200, path);
      assert.deepEqual(viaPort.body, viaApp.body, path);
    }
    const templates = (target: Target) =>
      request(target).get(`${W}/templates`).set('Authorization', `Token ${token}`);
    const [viaApp, viaPort] = [await templates(emu.app), await templates(running.url)];
    assert.equal(viaPort.status, 200);
    assert.equal(viaPort.body.code, 200);
    assert.deepEqual(viaPort.body, viaApp.body);

    await running.idle();
    const delivered = running.deliveries({ workflow: workflowId });
    assert.ok(delivered.length > 0);
    for (const d of delivered) {
      assert.equal(d.url, `${running.url}/__emulator/sink/tele`);
      assert.equal(d.outcome, 'delivered');
    }
    assert.equal(running.sink.requests().length, delivered.length);

    await running.reset();
    assert.equal(started, 2);
  });
});
