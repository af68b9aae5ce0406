/**
 * What the fuzz suite (test/fuzz/) found, each pinned by a plain test: a 5xx, an answer outside
 * the envelope, or a request accepted that broke an invariant (it is now a 4xx in the envelope
 * that changes nothing).
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { MAX_CLOCK_TIME } from '../../src/core/vendor-time.ts';
import type { Emulator } from '../../src/server/emulator.ts';
import { COLLECTION_TEMPLATE, END_TIME, rows, startEmulator, tokenFor } from './fixture.ts';

const A = '/__emulator';
const W = '/service/cloud/workflow';

/** The error envelope, as every refusal is written. */
function assertRefusal(res: request.Response, http: number, message: RegExp): void {
  assert.equal(res.status, http, JSON.stringify(res.body));
  assert.match(String(res.headers['content-type']), /^application\/json/);
  assert.equal(res.body.code, http);
  assert.equal(res.body.data, null);
  assert.match(res.body.message, message);
}

/** One raw request (supertest cannot send a 20 KB request line as is). */
function raw(port: number, method: string, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString('utf8')));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    // A hang is the failure some of these pin: fail instead of waiting for ever.
    req.setTimeout(10_000, () => req.destroy(new Error(`no answer to ${method} ${path.slice(0, 80)}`)));
    req.on('error', reject);
    req.end();
  });
}

describe('inputs the fuzzer found unchecked', () => {
  let emu: Emulator;
  let token: string;
  before(async () => {
    emu = await startEmulator();
    token = await tokenFor(emu);
  });
  after(() => emu.close());
  const auth = () => ({ Authorization: `Token ${token}` });

  describe('a known admin path with another method is a 405 in the envelope', () => {
    for (const [method, path, allowed] of [
      ['OPTIONS', '/scenarios', 'GET'],
      ['PATCH', '/faults', 'GET or POST or DELETE'],
      ['GET', '/reset', 'POST'],
      ['OPTIONS', '/', 'GET'],
    ] as const) {
      it(`${method} ${A}${path}`, async () => {
        const res = await request(emu.url)[method.toLowerCase() as 'get'](`${A}${path}`);
        assertRefusal(res, 405, new RegExp(`^${method} is not allowed on ${A}${path} \\(use ${allowed}\\)$`));
      });
    }
  });

  it('HEAD on the event stream answers its headers and ends (it hung for ever)', async () => {
    const res = await raw(emu.port, 'HEAD', `${A}/events`);
    assert.deepEqual(res, { status: 200, body: '' });
  });

  it('a request line past 16 KiB is a 431 in the envelope (Node wrote a bare 431 before)', async () => {
    const res = await raw(emu.port, 'GET', `${A}/health?q=${'x'.repeat(20_000)}`);
    assert.equal(res.status, 431);
    assert.deepEqual(JSON.parse(res.body), {
      code: 431,
      status: 'Request Header Fields Too Large',
      message: 'request line and headers are larger than 16 KiB',
      data: null,
    });
    const head = await raw(emu.port, 'HEAD', `${W}/templates?q=${'x'.repeat(20_000)}`);
    assert.deepEqual(head, { status: 431, body: '' });
  });

  it('an admin body nested deeper than the limit is a 400 in the envelope, not a 500', async () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    for (const [method, path] of [
      ['post', '/faults'],
      ['put', '/sink'],
      ['post', '/callbacks'],
      ['put', '/targets'],
    ] as const) {
      const agent = request(emu.url);
      const res = await (method === 'post' ? agent.post(`${A}${path}`) : agent.put(`${A}${path}`))
        .set('Content-Type', 'application/json')
        .send(deep);
      assertRefusal(res, 400, /^request body is nested deeper than 32 levels$/);
    }
    assert.deepEqual(emu.faults.list(), []);
    assert.equal(emu.sink.source(), 'scenario');
  });

  it('a megabyte word where a name is expected: a 400 at once that quotes it cut (it held the server a minute)', async () => {
    const word = 'x'.repeat(1_000_000);
    const cut = `"${'x'.repeat(80)}…" (1000000 characters)`;
    const send = await request(emu.url).post(`${A}/callbacks`).send({ type: word });
    assertRefusal(send, 400, /^send: unknown callback type "x{80}…" \(1000000 characters\) \(one of /);
    assert.ok(send.body.message.startsWith(`send: unknown callback type ${cut} (one of `));
    const targets = await request(emu.url)
      .put(`${A}/targets`)
      .send({ targets: { [word]: null } });
    assertRefusal(
      targets,
      400,
      /^targets\.targets: unknown callback type "x{80}…" \(1000000 characters\) \(one of /,
    );
    const key = await request(emu.url)
      .put(`${A}/targets`)
      .send({ [word]: null });
    assertRefusal(key, 400, /^targets: unknown key "x{80}…" \(1000000 characters\)$/);
    assert.deepEqual(emu.targets(), { target: null, targets: {} });
  });

  it('a refused trigger of a shipped scenario leaves the template list as it was (it stayed loaded)', async () => {
    const templates = async () =>
      (await request(emu.url).get(`${W}/templates`).set(auth())).body.data.list.map(
        (t: { workflow_template_id: number }) => t.workflow_template_id,
      );
    const scenarios = async () => (await request(emu.url).get(`${A}/scenarios`)).body.list;
    const before = [await templates(), await scenarios()];
    const res = await request(emu.url)
      .post(`${A}/scenarios/endpoint-misbehaving/trigger`)
      .send({ workflow_template_id: COLLECTION_TEMPLATE });
    assertRefusal(res, 404, /^scenario "endpoint-misbehaving" has no template 501$/);
    assert.throws(() => emu.trigger('endpoint-misbehaving', 999_999), /has no template 999999/);
    assert.deepEqual([await templates(), await scenarios()], before);
    assert.equal(emu.store.listWorkflows().length, 0);
    // Accepted, it loads the scenario and starts its workflow.
    const ok = await request(emu.url).post(`${A}/scenarios/endpoint-misbehaving/trigger`).send({});
    assert.equal(ok.status, 201);
    assert.equal((await templates()).length, before[0].length + 1);
    await request(emu.url).post(`${A}/reset`);
  });

  it('createinstance with an end_time past the last writable time is a 400 and creates nothing', async () => {
    const res = await request(emu.url)
      .post(`${W}/createinstance`)
      .set(auth())
      .send({
        workflow_template_id: COLLECTION_TEMPLATE,
        name: 'far',
        end_time: '9999-12-31 23:59:59-14:00',
        details: rows(1),
      });
    assertRefusal(
      res,
      400,
      /^end_time "9999-12-31 23:59:59-14:00" is past 9999-12-30 23:59:59 UTC, the last time the vendor's "YYYY-MM-DD HH:mm:ss" can write$/,
    );
    assert.equal(emu.store.listWorkflows().length, 0);
  });

  it('auto_finish and page must fit a 32-bit / 6-digit integer (they are echoed to the client)', async () => {
    const create = await request(emu.url).post(`${W}/createinstance`).set(auth()).send({
      workflow_template_id: COLLECTION_TEMPLATE,
      name: 'big',
      end_time: END_TIME,
      auto_finish: 1e308,
    });
    assertRefusal(create, 400, /^invalid request: auto_finish must be <= 2147483647$/);
    assert.equal(emu.store.listWorkflows().length, 0);
    const id = 'a'.repeat(32);
    const tasks = await request(emu.url)
      .post(`${W}/tasks`)
      .set(auth())
      .send({ workflow_id: id, page: 1e308 });
    assertRefusal(tasks, 400, /^invalid request: page must be <= 999999$/);
    const detail = await request(emu.url)
      .post(`${W}/taskdetail`)
      .set(auth())
      .send({ task_id: id, page: 1e7 });
    assertRefusal(detail, 400, /^invalid request: page must be <= 999999$/);
  });

  it('a sink delay past 10 minutes is a 400 (past 2^31 ms the host cut it to 1 ms) and changes nothing', async () => {
    for (const body of [{ delayMs: 2 ** 40 }, { sequence: [{ status: 200, delayMs: 600_001 }] }]) {
      const res = await request(emu.url).put(`${A}/sink`).send(body);
      assertRefusal(res, 400, /delayMs must be an integer from 0 to 600000 \(got (1099511627776|600001)\)$/);
    }
    assert.equal(emu.sink.source(), 'scenario');
    const ok = await request(emu.url).put(`${A}/sink`).send({ delayMs: 600_000 });
    assert.equal(ok.status, 200);
    assert.equal(ok.body.delayMs, 600_000);
    await request(emu.url).put(`${A}/sink`).send({ source: 'scenario' });
  });

  it('a trigger within a day of the last writable time is a 400 and starts nothing (it ends a day later)', async () => {
    const start = emu.clock.now();
    const moved = await request(emu.url)
      .post(`${A}/clock/advance`)
      .send({ ms: MAX_CLOCK_TIME - start - 3_600_000 });
    assert.equal(moved.status, 200);
    const res = await request(emu.url).post(`${A}/scenarios/tele/trigger`).send({});
    assertRefusal(
      res,
      400,
      /^the workflow's end \(a day after now\) is past 9999-12-30 23:59:59 UTC, the last time the vendor's "YYYY-MM-DD HH:mm:ss" can write$/,
    );
    assert.equal(emu.store.listWorkflows().length, 0);
  });
});
