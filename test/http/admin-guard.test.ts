/**
 * Issue 13 item 7: the admin API took cross-site requests — a `text/plain` POST from any web page
 * reset the state, and the Host header was not checked (DNS rebinding). Now a state-changing admin
 * request with a body must be JSON, a foreign Origin is refused, and the Host must be a loopback
 * name, the bound address or one of `allowedHosts`; each refusal is a 4xx in the envelope that
 * changes nothing, while `curl -X POST …` without a body keeps working.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { buildEmulator, type BuiltEmulator } from '../../src/server/emulator.ts';
import { hostName } from '../../src/http/admin/admin-guard.ts';
import { serveOptions } from '../../src/cli/commands/serve.ts';
import { processIO } from '../../src/cli/io.ts';
import { runCli } from '../helpers/cli.ts';

const A = '/__emulator';
const START = Date.UTC(2024, 2, 11, 2, 0);

describe('the admin API only answers the developer', () => {
  let emu: BuiltEmulator;
  before(() => {
    emu = buildEmulator({ clock: 'virtual:manual', startTime: START, scenarios: ['collection-ptp'] });
    emu.trigger('collection-ptp');
  });
  after(() => emu.close());
  const workflows = () => emu.store.listWorkflows().length;

  it('a text/plain or form POST (a cross-site "simple request") is refused: 415, nothing reset', async () => {
    for (const type of [
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
    ]) {
      const res = await request(emu.app).post(`${A}/reset`).set('Content-Type', type).send('{}');
      assert.equal(res.status, 415, type);
      assert.equal(res.body.code, 415);
      assert.match(res.body.message, /^admin API: a POST body must be application\/json/);
      assert.equal(workflows(), 1, `${type} reset the state`);
    }
  });

  it('a foreign Origin is refused: 403, nothing changed', async () => {
    const res = await request(emu.app).post(`${A}/reset`).set('Origin', 'https://evil.example').send({});
    assert.equal(res.status, 403);
    assert.equal(res.body.code, 403);
    assert.equal(res.body.message, 'admin API: a POST from the web page at https://evil.example is refused');
    assert.equal(workflows(), 1);
    const opaque = await request(emu.app).put(`${A}/targets`).set('Origin', 'null').send({ target: null });
    assert.equal(opaque.status, 403);
  });

  it('a foreign Host (DNS rebinding) is refused even for reads', async () => {
    const res = await request(emu.app).get(`${A}/health`).set('Host', 'rebind.evil.example:4010');
    assert.equal(res.status, 403);
    assert.match(res.body.message, /^admin API: Host "rebind\.evil\.example:4010" is not allowed/);
  });

  it('the developer: JSON, no body, same origin, loopback hosts; the sink takes any POST', async () => {
    assert.equal((await request(emu.app).get(`${A}/health`).set('Host', 'localhost:4010')).status, 200);
    const sameOrigin = await request(emu.app)
      .post(`${A}/clock/advance`)
      .set('Origin', 'http://127.0.0.1:4010')
      .send({ ms: 1000 });
    assert.equal(sameOrigin.status, 200);
    assert.equal(
      (await request(emu.app).post(`${A}/scenarios/collection-ptp/trigger`)).status,
      201,
      'no body',
    );
    const sink = await request(emu.app).post(`${A}/sink/any`).set('Content-Type', 'text/plain').send('hello');
    assert.ok(sink.status < 300, `sink answered ${sink.status}`);
  });

  it('the vendor API is not concerned', async () => {
    const res = await request(emu.app)
      .post('/service/cloud/auth')
      .set('Host', 'api.airudder.example')
      .set('Origin', 'https://app.example')
      .send({ APPKey: 'test-app-key', APPSecret: 'test-app-secret' });
    assert.equal(res.body.code, 200);
  });
});

describe('allowedHosts', () => {
  it('names more hosts; * allows any', async () => {
    const emu = buildEmulator({
      clock: 'virtual:manual',
      startTime: START,
      scenarios: [],
      allowedHosts: ['host.docker.internal'],
    });
    const any = buildEmulator({
      clock: 'virtual:manual',
      startTime: START,
      scenarios: [],
      allowedHosts: ['*'],
    });
    try {
      assert.equal(
        (await request(emu.app).get(`${A}/health`).set('Host', 'host.docker.internal:4010')).status,
        200,
      );
      assert.equal((await request(emu.app).get(`${A}/health`).set('Host', 'other.example')).status, 403);
      assert.equal((await request(any.app).get(`${A}/health`).set('Host', 'other.example')).status, 200);
    } finally {
      await Promise.all([emu.close(), any.close()]);
    }
  });

  it('a bad list is refused before anything starts', () => {
    assert.throws(
      () => buildEmulator({ allowedHosts: ['http://x/'] }),
      /allowedHosts must be a list of host names/,
    );
  });

  it('serve: --allowed-hosts, AIRUDDER_EMULATOR_ALLOWED_HOSTS and the config key reach the option', async () => {
    const io = { ...processIO(), env: {}, freshSeed: () => 1 };
    assert.deepEqual(serveOptions(['--allowed-hosts', 'a.local, b.local'], io).options.allowedHosts, [
      'a.local',
      'b.local',
    ]);
    assert.deepEqual(
      serveOptions([], { ...io, env: { AIRUDDER_EMULATOR_ALLOWED_HOSTS: '*' } }).options.allowedHosts,
      ['*'],
    );
    const r = await runCli(['serve', '--allowed-hosts', 'http://x/']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--allowed-hosts must be a comma-separated list of host names/);
  });

  it('hostName drops the port, keeps IPv6 brackets', () => {
    assert.equal(hostName('Example.COM:4010'), 'example.com');
    assert.equal(hostName('[::1]:4010'), '[::1]');
    assert.equal(hostName('localhost'), 'localhost');
  });
});
