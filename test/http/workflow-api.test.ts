/**
 * The vendor workflow API against a real emulator (engine, store, delivery to the built-in sink)
 * on a manual virtual clock: every endpoint's success answer (checked against its response
 * schema), each validation failure with its vendor code, token rules under clock time, and what
 * cancel and stop change in the callbacks that follow.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import type { CallbackPayload, CallbackType } from '../../src/contract/callbacks.ts';
import { isValid, schemas, type MessageName, type MessageOf } from '../../src/contract/registry.ts';
import { TOKEN_LIFETIME_MS } from '../../src/http/auth.ts';
import type { Emulator } from '../../src/server/emulator.ts';
import {
  COLLECTION_TEMPLATE,
  END_TIME,
  INFO_CHECK_TEMPLATE,
  rows,
  startEmulator,
  tokenFor,
} from './fixture.ts';

const W = '/service/cloud/workflow';
const reg = schemas();

/** Checks `body` against its response schema; from then on it has that schema's type. */
function assertSchema<N extends MessageName>(name: N, body: unknown): asserts body is MessageOf<N> {
  const r = reg.validate(name, body);
  assert.ok(r.ok, `${name}: ${JSON.stringify(r.ok ? [] : r.errors)}`);
  assert.ok(reg.isValid(name, body));
}

/** The payloads of a workflow's deliveries of one callback type, typed by it. */
function payloads<T extends CallbackType>(emu: Emulator, workflowId: string, type: T): CallbackPayload<T>[] {
  return emu.deliveries({ workflow: workflowId, type }).map((d) => {
    assert.ok(isValid(type, d.payload), `${d.id} is a valid ${type}`);
    return d.payload;
  });
}

/** A callback body as the sink received it, when it is a valid message of `type`. */
function asMessage<T extends CallbackType>(type: T, body: unknown): CallbackPayload<T> | undefined {
  return isValid(type, body) ? body : undefined;
}

describe('workflow API: a collection workflow played to the end', () => {
  let emu: Emulator;
  let token: string;
  let workflowId: string;
  let taskId: string;
  const auth = () => ({ Authorization: `Token ${token}` });

  before(async () => {
    emu = await startEmulator();
    token = await tokenFor(emu);
    const res = await request(emu.url)
      .post(`${W}/createinstance`)
      .set(auth())
      .send({
        workflow_template_id: COLLECTION_TEMPLATE,
        name: 'api_test',
        end_time: END_TIME,
        auto_finish: 2,
        details: rows(2),
      });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assertSchema('createinstance-response', res.body);
    workflowId = res.body.data.workflow_id;
    const up = await request(emu.url)
      .post(`${W}/uploaddetails`)
      .set(auth())
      .send({
        workflow_id: workflowId,
        details: rows(1, 'UP-').map((r) => ({ ...r, callee: '+6281299990001' })),
      });
    assert.deepEqual(up.body, { code: 200, status: 'OK' });
    assertSchema('envelope-success', up.body);
    await emu.idle();
    taskId = String(payloads(emu, workflowId, 'call-completion')[0]!.task_id);
  });
  after(() => emu.close());

  it('lists templates newest first', async () => {
    const res = await request(emu.url).get(`${W}/templates`).set(auth());
    assertSchema('templates-response', res.body);
    assert.deepEqual(
      res.body.data.list.map((t) => t.workflow_template_id),
      [INFO_CHECK_TEMPLATE, COLLECTION_TEMPLATE],
    );
  });

  it('lists the workflow, finished, with its three rows', async () => {
    const res = await request(emu.url).get(`${W}/list`).query({ page: '1', page_size: '10' }).set(auth());
    assertSchema('workflow-list-response', res.body);
    const [wf] = res.body.data.list;
    assert.equal(wf.workflow_id, workflowId);
    assert.equal(wf.status, 'Finished');
    assert.equal(wf.total_details, 3);
    assert.equal(wf.finished_details, 3);
    assert.equal(wf.create_time, '2024-03-11 10:00:00');
  });

  it('subtasks and outbound tasks come from what the callbacks reported', async () => {
    const sub = await request(emu.url).get(`${W}/subtasks`).query({ workflow_id: workflowId }).set(auth());
    assertSchema('subtasks-response', sub.body);
    assert.deepEqual(
      sub.body.data.list.map((n) => n.node_type),
      ['voicebot_call', 'api'],
    );
    const tasks = await request(emu.url).post(`${W}/tasks`).set(auth()).send({ workflow_id: workflowId });
    assertSchema('outbound-tasks-response', tasks.body);
    assert.equal(tasks.body.data.list[0].task_id, taskId);
    assert.equal(tasks.body.data.list[0].total_numbers, 3);
    assert.equal(tasks.body.data.list[0].status, 'finished');
  });

  it('taskdetail returns each number record exactly as the callback sent it', async () => {
    const res = await request(emu.url).post(`${W}/taskdetail`).set(auth()).send({ task_id: taskId });
    assertSchema('taskdetail-response', res.body);
    assert.equal(res.body.data.total, 3);
    const sent = payloads(emu, workflowId, 'call-completion').flatMap((p) => p.details);
    for (const record of res.body.data.list) {
      const detail = sent.find((d) => d.call_id === record.call_id);
      assert.ok(detail, `no callback for ${record.call_id}`);
      const got = new Map(Object.entries(record));
      for (const [k, v] of Object.entries(detail)) assert.deepEqual(got.get(k), v, k);
      assert.equal(record.workflow_id, workflowId);
    }
  });

  it('call info by callee / case id, by call id, and every recording of a number', async () => {
    const detail = payloads(emu, workflowId, 'call-completion').flatMap((p) => p.details)[0]!;
    const byCase = await request(emu.url)
      .get(`${W}/callinfo`)
      .query({ task_id: taskId, case_id: detail.CaseID })
      .set(auth());
    assertSchema('callinfo-response', byCase.body);
    assert.equal(byCase.body.data.list.length, detail.call_times);
    assert.equal(byCase.body.data.list.at(-1)?.call_id, detail.call_id);
    const byCallee = await request(emu.url)
      .get(`${W}/callinfo`)
      .query({ workflow_id: workflowId, callee: detail.callee })
      .set(auth());
    assert.deepEqual(byCallee.body.data.list, byCase.body.data.list);

    const byId = await request(emu.url)
      .get(`${W}/callinfo/bycallid`)
      .query({ call_id: detail.call_id })
      .set(auth());
    assertSchema('callinfo-by-callid-response', byId.body);
    assert.equal(byId.body.data.duration, detail.duration);

    const answered = payloads(emu, workflowId, 'call-completion')
      .flatMap((p) => p.details)
      .find((d) => d.duration > 0);
    assert.ok(answered, 'the seeded run has an answered call');
    const recs = await request(emu.url)
      .get(`${W}/recordings`)
      .query({ workflow_id: workflowId, callee: answered.callee })
      .set(auth());
    assertSchema('recordings-response', recs.body);
    const link = new URL(recs.body.data.list[0].record_url as string);
    const wav = await request(emu.url)
      .get(link.pathname)
      .buffer(true)
      .parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    assert.equal(wav.status, 200);
    assert.equal(wav.headers['content-type'], 'audio/wav');
    const buf = wav.body as Buffer;
    assert.equal(buf.toString('ascii', 0, 4), 'RIFF');
    assert.equal(buf.readUInt32LE(4), buf.length - 8);
    assert.equal(buf.toString('ascii', 8, 12), 'WAVE');
    assert.equal(buf.readUInt16LE(20), 1, 'PCM');
    assert.equal(buf.readUInt16LE(22), 1, 'mono');
    assert.equal(buf.readUInt32LE(24), 8000, '8 kHz');
    assert.equal(buf.readUInt16LE(34), 16, '16-bit');
    assert.equal(buf.readUInt32LE(40), buf.length - 44);
    assert.equal(
      buf.readUInt32LE(40),
      Math.min(12, answered.duration) * 8000 * 2,
      'sized by the call, capped',
    );
  });

  it('detailinstances finds the workflow by case id and by callee within a time range', async () => {
    const res = await request(emu.url)
      .post(`${W}/detailinstances`)
      .set(auth())
      .send({ case_id: 'CASE-1', start_time: '2024-03-11 00:00:00', end_time: '2024-03-11 23:59:59' });
    assertSchema('detailinstances-response', res.body);
    assert.equal(res.body.data.list[0].workflow_id, workflowId);
    const outside = await request(emu.url)
      .post(`${W}/detailinstances`)
      .set(auth())
      .send({ callee: '+6281200000010', start_time: '2024-03-12 00:00:00', end_time: '2024-03-12 23:59:59' });
    assert.deepEqual(outside.body.data.list, []);
  });

  it('apinoticeinfo returns the last Custom API push, as pushed', async () => {
    const push = payloads(emu, workflowId, 'custom-api-node-push')[0]!;
    const res = await request(emu.url)
      .post(`${W}/apinoticeinfo`)
      .set(auth())
      .send({ workflow_id: workflowId, node_id: push.node_id, callee: push.call.callee_number });
    assertSchema('apinoticeinfo-response', res.body);
    assert.deepEqual(res.body.data, push);
  });

  it('a finished workflow takes no more rows (10513)', async () => {
    const res = await request(emu.url)
      .post(`${W}/uploaddetails`)
      .set(auth())
      .send({ workflow_id: workflowId, details: rows(1) });
    assert.equal(res.status, 400);
    assert.equal(res.body.code, 10513);
  });
});

describe('workflow API: Info Check task details', () => {
  let emu: Emulator;
  after(() => emu.close());
  it('answers Info Check records on both taskdetail paths', async () => {
    emu = await startEmulator();
    const token = await tokenFor(emu);
    const res = await request(emu.url)
      .post(`${W}/createinstance`)
      .set('Authorization', `Bearer ${token}`)
      .send({
        workflow_template_id: INFO_CHECK_TEMPLATE,
        name: 'ic_test',
        end_time: '2024-03-12 10:00:00',
        details: rows(1),
      });
    await emu.idle();
    const p = payloads(emu, res.body.data.workflow_id, 'call-completion-info-check')[0]!;
    for (const path of [`${W}/taskdetail`, `${W}/taskdetail/infocheck`]) {
      const det = await request(emu.url)
        .post(path)
        .set('Authorization', `Token ${token}`)
        .send({ task_id: p.task_id });
      assertSchema('taskdetail-response', det.body);
      assert.ok('question_answer' in det.body.data.list[0]!);
      assert.ok(Array.isArray(det.body.data.list[0].question_answer));
    }
  });
});

describe('workflow API: validation failures', () => {
  let emu: Emulator;
  let token: string;
  let workflowId: string;
  const post = (path: string, body: unknown) =>
    request(emu.url)
      .post(`${W}/${path}`)
      .set('Authorization', `Token ${token}`)
      .send(body as object);
  const get = (path: string, query: Record<string, string>) =>
    request(emu.url).get(`${W}/${path}`).query(query).set('Authorization', `Token ${token}`);

  before(async () => {
    emu = await startEmulator();
    token = await tokenFor(emu);
    const res = await post('createinstance', {
      workflow_template_id: COLLECTION_TEMPLATE,
      name: 'v',
      end_time: END_TIME,
    });
    workflowId = res.body.data.workflow_id;
  });
  after(() => emu.close());

  const cases: {
    name: string;
    send: () => Promise<request.Response>;
    status: number;
    code: number;
    mentions: RegExp[];
  }[] = [
    {
      name: 'createinstance without its required fields names each',
      send: () => post('createinstance', {}),
      status: 400,
      code: 400,
      mentions: [/workflow_template_id is required/, /name is required/, /end_time is required/],
    },
    {
      name: 'createinstance with several numbers in one row: one number per row, and why',
      send: () =>
        post('createinstance', {
          workflow_template_id: COLLECTION_TEMPLATE,
          name: 'multi',
          end_time: END_TIME,
          details: [{ callee: ['+6281234567801', '+6281234567802'] }],
        }),
      status: 400,
      code: 400,
      mentions: [
        /details\[0\]\.callee must be of type string \(one E\.164 number per row: the vendor publishes no form for several numbers in one uploaded row; multi-number rows come from a scenario's contacts\)/,
      ],
    },
    {
      name: 'uploaddetails with several numbers in one row',
      send: () =>
        post('uploaddetails', { workflow_id: workflowId, details: [{ callee: ['+6281234567801'] }] }),
      status: 400,
      code: 400,
      mentions: [/details\[0\]\.callee must be of type string \(one E\.164 number per row/],
    },
    {
      name: 'createinstance with a wrong type',
      send: () => post('createinstance', { workflow_template_id: '501', name: 'x', end_time: END_TIME }),
      status: 400,
      code: 400,
      mentions: [/workflow_template_id must be of type integer/],
    },
    {
      name: 'createinstance with an unknown template is 10501',
      send: () => post('createinstance', { workflow_template_id: 999, name: 'x', end_time: END_TIME }),
      status: 400,
      code: 10501,
      mentions: [/no workflow template 999/, /501/],
    },
    {
      name: 'createinstance with an end_time in the past',
      send: () =>
        post('createinstance', {
          workflow_template_id: COLLECTION_TEMPLATE,
          name: 'x',
          end_time: '2020-01-01 00:00:00',
        }),
      status: 400,
      code: 400,
      mentions: [/end_time .* not in the future/],
    },
    {
      name: 'a phone number without "+" is 10510',
      send: () =>
        post('createinstance', {
          workflow_template_id: COLLECTION_TEMPLATE,
          name: 'x',
          end_time: END_TIME,
          details: [{ callee: '0812345678' }],
        }),
      status: 400,
      code: 10510,
      mentions: [/details\[0\]\.callee/],
    },
    {
      name: 'uploaddetails with an empty list is 10505',
      send: () => post('uploaddetails', { workflow_id: workflowId, details: [] }),
      status: 400,
      code: 10505,
      mentions: [/details/],
    },
    {
      name: 'uploaddetails with an unknown field in a row names it',
      send: () =>
        post('uploaddetails', {
          workflow_id: workflowId,
          details: [{ callee: '+628123456789', nickname: 'x' }],
        }),
      status: 400,
      code: 400,
      mentions: [/details\[0\]\.nickname is not an allowed property/],
    },
    {
      name: 'uploaddetails to an unknown workflow is 10506',
      send: () => post('uploaddetails', { workflow_id: 'f'.repeat(32), details: rows(1) }),
      status: 404,
      code: 10506,
      mentions: [/not found/],
    },
    {
      name: 'canceldetail needs case_id or callee',
      send: () => post('canceldetail', { workflow_id: workflowId }),
      status: 400,
      code: 400,
      mentions: [/case_id is required/, /callee is required/],
    },
    {
      name: 'canceldetail of a row that does not exist is 10506',
      send: () => post('canceldetail', { workflow_id: workflowId, case_id: 'nope' }),
      status: 404,
      code: 10506,
      mentions: [/no list row with case_id "nope"/],
    },
    {
      name: 'updatedetail with nothing to change',
      send: () => post('updatedetail', { workflow_id: workflowId, case_id: 'x', detail: {} }),
      status: 400,
      code: 400,
      mentions: [/detail/],
    },
    {
      name: 'stop of an unknown workflow is 10506',
      send: () => post('stop', { workflow_id: 'e'.repeat(32) }),
      status: 404,
      code: 10506,
      mentions: [/not found/],
    },
    {
      name: 'tasks with a malformed workflow id',
      send: () => post('tasks', { workflow_id: 'not-an-id' }),
      status: 400,
      code: 400,
      mentions: [/workflow_id must match/],
    },
    {
      name: 'taskdetail of an unknown task is 10506',
      send: () => post('taskdetail', { task_id: 'a'.repeat(32) }),
      status: 404,
      code: 10506,
      mentions: [/task .* not found/],
    },
    {
      name: 'detailinstances needs case_id or callee',
      send: () =>
        post('detailinstances', { start_time: '2024-03-11 00:00:00', end_time: '2024-03-11 23:59:59' }),
      status: 400,
      code: 400,
      mentions: [/case_id or callee/],
    },
    {
      name: 'apinoticeinfo before any push',
      send: () =>
        post('apinoticeinfo', { workflow_id: workflowId, node_id: 'b'.repeat(32), callee: '+628123456789' }),
      status: 404,
      code: 10506,
      mentions: [/no Custom API push yet/],
    },
    {
      name: 'callinfo needs a workflow/task and a callee/case',
      send: () => get('callinfo', { callee: '+628123456789' }),
      status: 400,
      code: 400,
      mentions: [/workflow_id is required/],
    },
    {
      name: 'callinfo/bycallid of an unknown call is 10609',
      send: () => get('callinfo/bycallid', { call_id: 'c'.repeat(32) }),
      status: 404,
      code: 10609,
      mentions: [/not a call of any workflow/],
    },
    {
      name: 'recordings of a number never called is 10516',
      send: () => get('recordings', { workflow_id: workflowId, callee: '+628123456789' }),
      status: 404,
      code: 10516,
      mentions: [/no recordings/],
    },
    {
      name: 'list with a bad page',
      send: () => get('list', { page: '0' }),
      status: 400,
      code: 400,
      mentions: [/page must match/],
    },
    {
      name: 'list with an unknown query parameter',
      send: () => get('list', { sort: 'x' }),
      status: 400,
      code: 400,
      mentions: [/sort is not an allowed property/],
    },
    {
      name: 'a recording that does not exist is 10820',
      send: () => request(emu.url).get(`${W}/recording/${'d'.repeat(32)}.wav`),
      status: 404,
      code: 10820,
      mentions: [/no recording/],
    },
  ];

  for (const c of cases) {
    it(c.name, async () => {
      const res = await c.send();
      assert.equal(res.status, c.status, JSON.stringify(res.body));
      assert.equal(res.body.code, c.code, res.body.message);
      assert.equal(res.body.data, null);
      assertSchema('envelope-error', res.body);
      for (const m of c.mentions) assert.match(res.body.message, m);
    });
  }

  it('every endpoint but auth and recording files requires a token', async () => {
    const routes: [string, string][] = [
      ['post', 'createinstance'],
      ['post', 'uploaddetails'],
      ['post', 'updatedetail'],
      ['post', 'canceldetail'],
      ['post', 'stop'],
      ['get', 'list'],
      ['get', 'subtasks'],
      ['post', 'tasks'],
      ['post', 'taskdetail'],
      ['post', 'taskdetail/infocheck'],
      ['get', 'callinfo'],
      ['get', 'callinfo/bycallid'],
      ['get', 'recordings'],
      ['post', 'detailinstances'],
      ['post', 'apinoticeinfo'],
      ['get', 'templates'],
    ];
    for (const [method, path] of routes) {
      const res = await (method === 'get'
        ? request(emu.url).get(`${W}/${path}`)
        : request(emu.url).post(`${W}/${path}`).send({}));
      assert.equal(res.status, 401, `${method} ${path}`);
      assert.equal(res.body.code, 10810, `${method} ${path}`);
    }
  });
});

describe('workflow API: commands change what happens next', () => {
  let emu: Emulator;
  let token: string;
  const post = (path: string, body: unknown) =>
    request(emu.url)
      .post(`${W}/${path}`)
      .set('Authorization', `Token ${token}`)
      .send(body as object);
  before(async () => {
    emu = await startEmulator();
    token = await tokenFor(emu);
  });
  after(() => emu.close());

  it('canceldetail: the row is reported cancelled, its number Canceled, and it is dialled no more', async () => {
    const res = await post('createinstance', {
      workflow_template_id: COLLECTION_TEMPLATE,
      name: 'cancel_test',
      end_time: END_TIME,
      details: rows(3),
    });
    const id = res.body.data.workflow_id;
    await emu.advance(1000); // the first dial starts; rows 2 and 3 are still queued
    const cancel = await post('canceldetail', { workflow_id: id, case_id: 'CASE-3' });
    assert.equal(cancel.status, 200);
    assertSchema('canceldetail-response', cancel.body);
    assert.equal(cancel.body.data.cancelled, 1);
    await emu.idle();
    const lists = payloads(emu, id, 'list-completion');
    assert.ok(
      lists.some((p) => p.case_id === 'CASE-3'),
      'the cancelled row still completes the list',
    );
    const dialled = payloads(emu, id, 'call-completion').flatMap((p) => p.details);
    assert.ok(
      !dialled.some((d) => d.CaseID === 'CASE-3' && d.hangup_type !== 'Canceled'),
      'no normal call for CASE-3',
    );
    const cancelled = dialled.filter((d) => d.result === 'cancelled');
    for (const d of cancelled) assert.equal(d.hangup_type, 'Canceled');
    const rowsNow = await request(emu.url).get(`${W}/list`).set('Authorization', `Token ${token}`);
    assertSchema('workflow-list-response', rowsNow.body);
    const wf = rowsNow.body.data.list.find((w) => w.workflow_id === id);
    assert.equal(wf?.cancelled_details, 1);
  });

  it('stop: status Stopped is notified, later callbacks say canceled, and no rows are taken', async () => {
    const res = await post('createinstance', {
      workflow_template_id: COLLECTION_TEMPLATE,
      name: 'stop_test',
      end_time: END_TIME,
      details: rows(3, 'S-'),
    });
    const id = res.body.data.workflow_id;
    await emu.advance(1000);
    const stop = await post('stop', { workflow_id: id });
    assertSchema('stop-response', stop.body);
    assert.equal(stop.body.data.status, 'Stopped');
    await emu.idle();
    const statuses = payloads(emu, id, 'workflow-status-change').map((p) => p.status);
    assert.deepEqual(statuses, ['Running', 'Stopped']);
    const calls = payloads(emu, id, 'call-completion');
    assert.ok(calls.length >= 1);
    for (const p of calls) assert.equal(p.status, 'canceled', 'task status after the stop');
    const numbers = calls.flatMap((p) => p.details);
    assert.ok(numbers.every((d) => ['cancelled', 'finished', 'failed'].includes(d.result)));
    const again = await post('uploaddetails', { workflow_id: id, details: rows(1) });
    assert.equal(again.body.code, 10513);
    const twice = await post('stop', { workflow_id: id });
    assert.equal(twice.body.code, 10513);
  });

  it('updatedetail: the stored row changes and is found by its new data', async () => {
    const res = await post('createinstance', {
      workflow_template_id: COLLECTION_TEMPLATE,
      name: 'update_test',
      end_time: END_TIME,
      details: rows(1, 'U-'),
    });
    const id = res.body.data.workflow_id;
    const upd = await post('updatedetail', {
      workflow_id: id,
      case_id: 'U-1',
      detail: { customer_name: 'New Name', variables: { amount: '5' } },
    });
    assertSchema('updatedetail-response', upd.body);
    assert.equal(upd.body.data.updated, 1);
    assert.equal(emu.store.matchRows(id, { case_id: 'U-1' })[0]!.input.customer_name, 'New Name');
  });

  it('updatedetail before the dial: the callbacks received carry the new values', async () => {
    const res = await post('createinstance', {
      workflow_template_id: COLLECTION_TEMPLATE,
      name: 'update_dial_test',
      end_time: END_TIME,
      details: rows(3, 'UD-').map((r) => ({ ...r, variables: { product: 'Old plan' } })),
    });
    const id = res.body.data.workflow_id as string;
    // Nothing dialled yet (the clock has not moved): rows 2 and 3 wait for their pacing slot.
    const upd = await post('updatedetail', {
      workflow_id: id,
      case_id: 'UD-3',
      detail: { customer_name: 'Dewi Lestari', extra_b: 'vip', variables: { product: 'Gold plan' } },
    });
    assert.equal(upd.status, 200, JSON.stringify(upd.body));
    assert.equal(upd.body.data.updated, 1);
    const seen = emu.sink.requests().length;
    await emu.idle();
    const received: unknown[] = emu.sink
      .requests()
      .slice(seen)
      .map((r) => JSON.parse(r.body));
    const pushes = received
      .map((b) => asMessage('custom-api-node-push', b))
      .filter((p) => p !== undefined)
      .filter((p) => p.workflow_id === id);
    const push3 = pushes.find((p) => p.callee.case_id === 'UD-3')!;
    assert.equal(push3.callee.callee_name, 'Dewi Lestari');
    assert.equal(push3.callee.extra_b, 'vip');
    assert.deepEqual(push3.callee.extend.variables, { product: 'Gold plan' });
    const push1 = pushes.find((p) => p.callee.case_id === 'UD-1')!;
    assert.equal(push1.callee.callee_name, 'Customer 1', 'other rows unchanged');
    const numbers = received
      .map((b) => asMessage('call-completion', b))
      .filter((p) => p !== undefined)
      .filter((p) => p.workflow_id === id)
      .flatMap((p) => p.details);
    const mine = numbers.filter((d) => d.CaseID === 'UD-3');
    assert.ok(mine.length >= 1);
    for (const d of mine) assert.deepEqual(d.Variables, { product: 'Gold plan' });
    for (const d of numbers.filter((x) => x.CaseID !== 'UD-3'))
      assert.deepEqual(d.Variables, { product: 'Old plan' });
    const spoken = mine.flatMap((d) => d.asr_result.map((t) => t.robottext));
    assert.ok(!spoken.some((t) => t.includes('Customer 3')), 'the robot never says the old name');
  });

  it('a token expires after 24 h of clock time', async () => {
    const fresh = await tokenFor(emu);
    await emu.advance(TOKEN_LIFETIME_MS + 1000);
    const res = await request(emu.url).get(`${W}/templates`).set('Authorization', `Token ${fresh}`);
    assert.equal(res.status, 401);
    assert.equal(res.body.code, 10813);
  });
});

describe('workflow API: updatedetail is replayed from the journal', () => {
  const dir = mkdtempSync(join(tmpdir(), 'airudder-update-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** Create an Info Check workflow, update a row at once, then play `ms` of clock (all: idle). */
  async function play(emu: Emulator, ms?: number): Promise<string> {
    const token = await tokenFor(emu);
    const post = (path: string, body: unknown) =>
      request(emu.url)
        .post(`${W}/${path}`)
        .set('Authorization', `Token ${token}`)
        .send(body as object);
    const res = await post('createinstance', {
      workflow_template_id: INFO_CHECK_TEMPLATE,
      name: 'update_replay',
      end_time: END_TIME,
      details: rows(3, 'R-').map((r) => ({ ...r, variables: { CURP: 'AAAA000101HDFBBB01', DoB: '0101' } })),
    });
    const id = res.body.data.workflow_id as string;
    await emu.advance(1500); // row 1 is dialling
    const upd = await post('updatedetail', {
      workflow_id: id,
      case_id: 'R-3',
      detail: { variables: { CURP: 'ZZZZ991231MDFYYY09', DoB: '1231' } },
    });
    assert.equal(upd.body.data.updated, 1);
    if (ms === undefined) await emu.idle();
    else await emu.advance(ms);
    return id;
  }

  const completions = (emu: Emulator, id: string): string =>
    JSON.stringify(payloads(emu, id, 'call-completion-info-check'));

  it('a restart rebuilds the campaign with the update: same callbacks as without the restart', async () => {
    const open: Emulator[] = [];
    const start = async (o?: Parameters<typeof startEmulator>[0]) => {
      const e = await startEmulator(o);
      open.push(e);
      return e;
    };
    try {
      const straight = await start();
      const id = await play(straight);
      const expected = completions(straight, id);
      const r3 = payloads(straight, id, 'call-completion-info-check')
        .flatMap((p) => p.details)
        .filter((d) => d.CaseID === 'R-3');
      assert.ok(r3.length >= 1);
      for (const d of r3) {
        assert.deepEqual(d.Variables, { CURP: 'ZZZZ991231MDFYYY09', DoB: '1231' });
        for (const q of d.question_answer) {
          if (q.question_type === 'open') assert.ok(['ZZZZ991231MDFYYY09', '1231'].includes(q.var));
        }
      }

      const first = await start({ dataDir: dir });
      assert.equal(await play(first, 2000), id); // row 3's first dial rings across the restart
      await first.close();
      open.splice(open.indexOf(first), 1);
      const second = await start({ dataDir: dir });
      await second.idle();
      assert.equal(completions(second, id), expected);
    } finally {
      for (const e of open) await e.close();
    }
  });
});
