/**
 * The vendor API's inbound request log (GET /__emulator/requests, `emu.requests`) and fault
 * injection (/__emulator/faults, `faults` option, `emu.faults`), in-process through `emu.app`
 * (a port only where a dropped connection must be seen).
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import request from 'supertest';
import { buildEmulator, type BuiltEmulator, type EmulatorOptions } from '../../src/server/emulator.ts';
import { COLLECTION_TEMPLATE, END_TIME, rows, scenario, START } from './fixture.ts';

const AUTH = '/service/cloud/auth';
const CREATE = '/service/cloud/workflow/createinstance';

const build = (extra: EmulatorOptions = {}): BuiltEmulator =>
  buildEmulator({
    clock: 'virtual:manual',
    startTime: START,
    scenarios: [scenario('tele', 'telemarketing', COLLECTION_TEMPLATE)],
    logger: { error: (m, e) => console.error(m, e) },
    ...extra,
  });

async function login(emu: BuiltEmulator): Promise<string> {
  const res = await request(emu.app)
    .post(AUTH)
    .send({ APPKey: emu.credentials.appKey, APPSecret: emu.credentials.appSecret });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.data.token as string;
}

const createBody = () => ({
  workflow_template_id: COLLECTION_TEMPLATE,
  name: 'faulted',
  end_time: END_TIME,
  auto_finish: 2,
  details: rows(1),
});

const create = (emu: BuiltEmulator, token: string) =>
  request(emu.app).post(CREATE).set('Authorization', `Token ${token}`).send(createBody());

describe('request log', () => {
  const emu = build({ requestLogSize: 3 });
  after(() => emu.close());

  it("shows a client's 4xx with its status, vendor code and both bodies", async () => {
    await request(emu.app).post('/__emulator/reset').expect(200);
    const token = await login(emu);
    const bad = await request(emu.app)
      .post(CREATE)
      .set('Authorization', `Token ${token}`)
      .send({ name: 'x' });
    assert.equal(bad.status, 400);
    const res = await request(emu.app).get('/__emulator/requests').expect(200);
    assert.equal(res.body.total, 2);
    const [e] = res.body.list;
    assert.equal(e.id.startsWith('req-'), true);
    assert.equal(e.at, emu.clock.now());
    assert.equal(e.method, 'POST');
    assert.equal(e.path, CREATE);
    assert.equal(e.status, 400);
    assert.equal(e.code, bad.body.code);
    assert.equal(e.body, '{"name":"x"}');
    assert.deepEqual(JSON.parse(e.answer), bad.body);
    assert.equal(e.headers.authorization, `Token …${token.slice(-4)}`);
    assert.equal(e.fault, null);
    assert.equal(e.durationMs, 0);
  });

  it('redacts the Authorization header of a refused token to its scheme and last 4 characters', async () => {
    const bad = await request(emu.app)
      .post(CREATE)
      .set('Authorization', 'Token abcdefgh12345678wxyz')
      .send({ name: 'x' });
    assert.equal(bad.status, 401);
    const [e] = emu.requests();
    assert.deepEqual([e!.status, e!.code, e!.headers.authorization], [401, bad.body.code, 'Token …wxyz']);
    assert.equal(JSON.stringify(e).includes('abcdefgh'), false);
  });

  it('keeps only the newest requestLogSize entries, newest first, and skips /__emulator', async () => {
    await request(emu.app).delete('/__emulator/requests').expect(200, { list: [], total: 0 });
    for (const n of [1, 2, 3, 4]) await request(emu.app).get(`/service/cloud/nothing-${n}`).expect(404);
    await request(emu.app).get('/__emulator/health').expect(200);
    const list = emu.requests();
    assert.deepEqual(
      list.map((e) => [e.path, e.status, e.code]),
      [4, 3, 2].map((n) => [`/service/cloud/nothing-${n}`, 404, 404]),
    );
  });

  it('filters by status (exact or class), path and limit', async () => {
    await request(emu.app).delete('/__emulator/requests').expect(200);
    const token = await login(emu);
    await request(emu.app).get('/service/cloud/missing').expect(404);
    await request(emu.app).post(CREATE).set('Authorization', `Token ${token}`).send({}).expect(400);
    const q = async (query: string) =>
      (await request(emu.app).get(`/__emulator/requests?${query}`).expect(200)).body as {
        list: { path: string; status: number }[];
        total: number;
      };
    assert.deepEqual(
      (await q('status=4xx')).list.map((e) => e.status),
      [400, 404],
    );
    assert.deepEqual(
      (await q('status=200')).list.map((e) => e.path),
      [AUTH],
    );
    assert.deepEqual(
      (await q('path=workflow')).list.map((e) => e.path),
      [CREATE],
    );
    const limited = await q('limit=1');
    assert.deepEqual([limited.list.length, limited.total], [1, 3]);
    const bad = await request(emu.app).get('/__emulator/requests?status=oops').expect(400);
    assert.equal(bad.body.code, 400);
  });
});

describe('faults', () => {
  const emu = build();
  after(() => emu.close());
  let token = '';

  it('answers a vendor code in its envelope for the next N requests, then lets them through', async () => {
    token = await login(emu);
    const added = await request(emu.app)
      .post('/__emulator/faults')
      .send({ route: `POST ${CREATE}`, code: 10813, times: 2 })
      .expect(201);
    assert.deepEqual(added.body, {
      id: added.body.id,
      route: `POST ${CREATE}`,
      code: 10813,
      times: 2,
      remaining: 2,
    });
    for (const remaining of [1, 0]) {
      const res = await create(emu, token);
      assert.equal(res.status, 401);
      assert.deepEqual(res.body, {
        code: 10813,
        status: 'Unauthorized',
        message: 'token has expired; POST /service/cloud/auth again',
        data: null,
      });
      const listed = (await request(emu.app).get('/__emulator/faults').expect(200)).body.list;
      assert.deepEqual(
        listed.map((f: { remaining: number }) => f.remaining),
        remaining === 0 ? [] : [remaining],
      );
    }
    // Faulted requests never reached the route: no workflow.
    assert.equal(emu.store.listWorkflows().length, 0);
    const [logged] = emu.requests({ path: 'createinstance' });
    assert.equal(logged!.fault?.id, added.body.id);
    const ok = await create(emu, token);
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.equal(emu.store.listWorkflows().length, 1);
  });

  it('answers a plain status with a custom message, on a path pattern', async () => {
    const f = emu.faults.add({ route: '/service/cloud/workflow/*', status: 503, message: 'down' });
    const res = await request(emu.app).get('/service/cloud/workflow/anything').expect(503);
    assert.deepEqual(res.body, { code: 503, status: 'Service Unavailable', message: 'down', data: null });
    // The pattern does not match auth.
    await login(emu);
    assert.equal(emu.faults.remove(f.id), true);
    await request(emu.app).delete(`/__emulator/faults/${f.id}`).expect(404);
  });

  it('probability 0 never and 1 always faults', async () => {
    emu.faults.clear();
    emu.faults.add({ route: 'GET *', status: 500, probability: 0 });
    await request(emu.app).get('/service/cloud/none').expect(404);
    emu.faults.clear();
    emu.faults.add({ route: '*', status: 502, probability: 1 });
    await request(emu.app).get('/service/cloud/none').expect(502);
    await request(emu.app).get('/__emulator/health').expect(200);
    emu.faults.clear();
  });

  it('rejects bad rules with 400 in the envelope, adding nothing', async () => {
    const cases: [unknown, string][] = [
      [{ route: 'POST' }, 'route'],
      [{ route: 'FETCH /x', status: 500 }, 'route'],
      [{ route: '*' }, 'rule needs at least one of status, code, delayMs, drop'],
      [{ route: '*', status: 700 }, 'rule.status must be an integer from 200 to 599'],
      [
        { route: '*', code: 12345 },
        'rule.code must be a vendor code the emulator knows, or go with status .got 12345.',
      ],
      [{ route: '*', drop: true, status: 500 }, 'rule.drop answers nothing'],
      [{ route: '*', status: 500, probability: 2 }, 'probability must be a number from 0 to 1'],
      [{ route: '*', status: 500, times: 0 }, 'times must be a positive integer'],
      [{ route: '*', status: 500, fixedDelay: 1 }, 'rule has an unknown key "fixedDelay"'],
      [[1], 'must be an object'],
    ];
    for (const [rule, words] of cases) {
      const res = await request(emu.app)
        .post('/__emulator/faults')
        .send(rule as object)
        .expect(400);
      assert.equal(res.body.code, 400);
      assert.match(res.body.message, new RegExp(words.replace(/[()]/g, '.')), JSON.stringify(rule));
    }
    assert.deepEqual(emu.faults.list(), []);
    assert.throws(() => emu.faults.add({ route: '*' }), /at least one of/);
  });
});

describe('fault draws', () => {
  async function pattern(seed: number): Promise<number[]> {
    const emu = build({ seed, faults: [{ route: 'GET /service/cloud/x', status: 500, probability: 0.5 }] });
    try {
      const out: number[] = [];
      for (let i = 0; i < 24; i++) out.push((await request(emu.app).get('/service/cloud/x')).status);
      return out;
    } finally {
      await emu.close();
    }
  }

  it('repeat with the same seed, mix both answers, and differ with another seed', async () => {
    const a = await pattern(7);
    assert.deepEqual(await pattern(7), a);
    assert.deepEqual([...new Set(a)].sort(), [404, 500]);
    assert.notDeepEqual(await pattern(8), a);
  });

  it('start over after a reset, which keeps the rules and clears the log', async () => {
    const emu = build({
      seed: 7,
      faults: [{ route: 'GET /service/cloud/x', status: 500, probability: 0.5 }],
    });
    try {
      const statuses = async () => {
        const out: number[] = [];
        for (let i = 0; i < 12; i++) out.push((await request(emu.app).get('/service/cloud/x')).status);
        return out;
      };
      const first = await statuses();
      await emu.reset();
      assert.deepEqual(emu.requests(), []);
      assert.equal(emu.faults.list().length, 1);
      assert.deepEqual(await statuses(), first);
    } finally {
      await emu.close();
    }
  });

  it('rejects bad faults options before building anything', () => {
    assert.throws(
      () => build({ faults: [{ route: '*', status: 1 }] }),
      /faults\[0\]\.status must be an integer from 200 to 599 \(got 1\)/,
    );
  });
});

describe('delays and drops', () => {
  const emu = build();
  after(() => emu.close());

  it('delayMs alone waits on the virtual clock, then lets the request through', async () => {
    emu.faults.add({ route: `POST ${AUTH}`, delayMs: 5000, times: 1 });
    let answered = false;
    const pending = request(emu.app)
      .post(AUTH)
      .send({ APPKey: emu.credentials.appKey, APPSecret: emu.credentials.appSecret })
      .then((r) => {
        answered = true;
        return r;
      });
    // Wait (in real time, no timeout) until the delayed request holds a clock timer.
    while (emu.clock.pending().timers === 0) await new Promise((r) => setImmediate(r));
    assert.equal(answered, false);
    await emu.advance(5000);
    const res = await pending;
    assert.equal(res.status, 200);
    assert.equal(res.body.code, 200);
    const [e] = emu.requests({ path: 'auth' });
    assert.equal(e!.durationMs, 5000);
    assert.equal(e!.fault?.delayMs, 5000);
  });

  it('drop destroys the connection and the log says so', async () => {
    const live = await emu.listen();
    emu.faults.add({ route: `POST ${CREATE}`, drop: true });
    await assert.rejects(
      fetch(`${live.url}${CREATE}`, {
        method: 'POST',
        body: '{}',
        headers: { 'content-type': 'application/json' },
      }),
      TypeError,
    );
    const dropped = (await request(emu.app).get('/__emulator/requests?status=dropped').expect(200)).body;
    assert.equal(dropped.total, 1);
    assert.equal(dropped.list[0].status, null);
    assert.equal(dropped.list[0].fault.drop, true);
    assert.equal(emu.store.listWorkflows().length, 0);
  });
});

describe('GET /__emulator/events', () => {
  const emu = build();
  after(() => emu.close());

  it('streams request:logged for each vendor-API request (what the dashboard re-reads on)', async () => {
    const live = await emu.listen();
    const ctl = new AbortController();
    const res = await fetch(`${live.adminUrl}/events`, { signal: ctl.signal });
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    // The stream's first comment says it is open: only then is the listener attached.
    while (!text.includes('\n\n')) text += decoder.decode((await reader.read()).value);
    await request(emu.app).get('/service/cloud/nowhere').expect(404);
    while (!text.includes('request:logged')) text += decoder.decode((await reader.read()).value);
    ctl.abort();
    const line = text.split('\n').find((l) => l.includes('request:logged'))!;
    const [logged] = emu.requests();
    assert.deepEqual(JSON.parse(line.slice('data: '.length)), {
      type: 'request:logged',
      id: logged!.id,
      at: logged!.at,
      method: 'GET',
      path: '/service/cloud/nowhere',
      status: 404,
      code: 404,
    });
  });
});
