/**
 * A client's whole flow through the vendor API, every answer recorded: auth → templates →
 * createinstance → uploaddetails → (clock runs) → tasks / subtasks / taskdetail (both paths) →
 * callinfo → callinfo/bycallid → recordings → the recording file → detailinstances →
 * apinoticeinfo → list, then updatedetail / canceldetail / stop on a running workflow, and error
 * answers (bad token, unknown ids, a finished workflow, and, where the caller allows, requests
 * that break the request schemas). The target is `emu.app` (in-process) or a URL (a proxy).
 */
import assert from 'node:assert/strict';
import request from 'supertest';
import type { BuiltEmulator } from '../../src/server/emulator.ts';
import { COLLECTION_TEMPLATE, END_TIME, INFO_CHECK_TEMPLATE, rows } from '../http/fixture.ts';

const C = '/service/cloud';
const W = `${C}/workflow`;

/** One answer as the client saw it. */
export interface Exchange {
  method: 'GET' | 'POST';
  /** The request path without the query string. */
  path: string;
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The raw body. */
  raw: Buffer;
  /** The parsed body when the answer is JSON. */
  json?: unknown;
}

type Driven = Pick<BuiltEmulator, 'idle' | 'advance' | 'deliveries' | 'credentials'>;
type Target = Parameters<typeof request>[0];

export interface FlowOptions {
  /** Also send requests the request schemas reject (a validating proxy answers those itself). */
  invalidRequests: boolean;
}

export async function playClientFlow(target: Target, emu: Driven, opts: FlowOptions): Promise<Exchange[]> {
  const log: Exchange[] = [];
  let token = '';
  const send = async (
    method: 'GET' | 'POST',
    path: string,
    input: { query?: Record<string, string>; body?: object; token?: string } = {},
  ): Promise<Exchange> => {
    let req = method === 'GET' ? request(target).get(path) : request(target).post(path);
    if (input.query) req = req.query(input.query);
    const t = input.token ?? token;
    if (t) req = req.set('Authorization', `Token ${t}`);
    if (input.body) req = req.send(input.body);
    const res = await req.buffer(true).parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    const raw = res.body as Buffer;
    const type = String(res.headers['content-type'] ?? '');
    const ex: Exchange = { method, path, status: res.status, headers: res.headers, raw };
    if (/json/.test(type)) ex.json = JSON.parse(raw.toString('utf8'));
    log.push(ex);
    return ex;
  };
  const data = (ex: Exchange): Record<string, unknown> => {
    assert.equal(ex.status, 200, `${ex.method} ${ex.path}: ${ex.raw.toString('utf8')}`);
    return (ex.json as { data: Record<string, unknown> }).data;
  };
  const list = (ex: Exchange) => data(ex).list as Record<string, unknown>[];

  const creds = { APPKey: emu.credentials.appKey, APPSecret: emu.credentials.appSecret };
  await send('POST', `${C}/auth`, { body: { ...creds, APPSecret: 'wrong-secret' } });
  token = data(await send('POST', `${C}/auth`, { body: creds })).token as string;
  await send('GET', `${W}/templates`);
  await send('GET', `${W}/templates`, { token: 'not-a-token' });

  const created = await send('POST', `${W}/createinstance`, {
    body: {
      workflow_template_id: COLLECTION_TEMPLATE,
      name: 'flow',
      end_time: END_TIME,
      auto_finish: 2,
      details: rows(2),
    },
  });
  const workflowId = data(created).workflow_id as string;
  const extra = rows(1, 'UP-').map((r) => ({ ...r, callee: '+6281299990001' }));
  await send('POST', `${W}/uploaddetails`, { body: { workflow_id: workflowId, details: extra } });
  const ic = await send('POST', `${W}/createinstance`, {
    body: {
      workflow_template_id: INFO_CHECK_TEMPLATE,
      name: 'flow_ic',
      end_time: END_TIME,
      details: rows(1),
    },
  });
  await emu.idle();

  const [task] = list(await send('POST', `${W}/tasks`, { body: { workflow_id: workflowId } }));
  const taskId = task!.task_id as string;
  await send('GET', `${W}/subtasks`, { query: { workflow_id: workflowId } });
  const records = list(await send('POST', `${W}/taskdetail`, { body: { task_id: taskId } }));
  const icTasks = list(await send('POST', `${W}/tasks`, { body: { workflow_id: data(ic).workflow_id } }));
  await send('POST', `${W}/taskdetail/infocheck`, { body: { task_id: icTasks[0]!.task_id } });
  const record = records[0]!;
  await send('GET', `${W}/callinfo`, { query: { task_id: taskId, case_id: String(record.CaseID) } });
  await send('GET', `${W}/callinfo`, { query: { workflow_id: workflowId, callee: String(record.callee) } });
  await send('GET', `${W}/callinfo/bycallid`, { query: { call_id: String(record.call_id) } });
  const answered = records.find((r) => Number(r.duration) > 0);
  assert.ok(answered, 'the seeded run has an answered call');
  const recs = list(
    await send('GET', `${W}/recordings`, {
      query: { workflow_id: workflowId, callee: String(answered.callee) },
    }),
  );
  await send('GET', new URL(recs[0]!.record_url as string).pathname);
  await send('GET', `${W}/recording/${'0'.repeat(32)}.wav`);
  await send('POST', `${W}/detailinstances`, {
    body: { case_id: 'CASE-1', start_time: '2024-03-11 00:00:00', end_time: '2024-03-11 23:59:59' },
  });
  const push = emu.deliveries({ workflow: workflowId, type: 'custom-api-node-push' })[0]!.payload as {
    node_id: string;
    call: { callee_number: string };
  };
  await send('POST', `${W}/apinoticeinfo`, {
    body: { workflow_id: workflowId, node_id: push.node_id, callee: push.call.callee_number },
  });
  await send('GET', `${W}/list`, { query: { page: '1', page_size: '10' } });

  // Commands on a running workflow: nothing is dialled until the clock moves.
  const running = await send('POST', `${W}/createinstance`, {
    body: {
      workflow_template_id: COLLECTION_TEMPLATE,
      name: 'flow_cmd',
      end_time: END_TIME,
      details: rows(3, 'R-'),
    },
  });
  const runningId = data(running).workflow_id as string;
  await emu.advance(1000);
  await send('POST', `${W}/updatedetail`, {
    body: { workflow_id: runningId, case_id: 'R-2', detail: { customer_name: 'New Name' } },
  });
  await send('POST', `${W}/canceldetail`, { body: { workflow_id: runningId, case_id: 'R-3' } });
  await send('POST', `${W}/stop`, { body: { workflow_id: runningId } });
  await emu.idle();

  // Errors a well-formed request can get.
  await send('POST', `${W}/stop`, { body: { workflow_id: runningId } });
  await send('POST', `${W}/uploaddetails`, { body: { workflow_id: workflowId, details: rows(1, 'LATE-') } });
  await send('POST', `${W}/taskdetail`, { body: { task_id: 'a'.repeat(32) } });
  await send('POST', `${W}/canceldetail`, { body: { workflow_id: workflowId, case_id: 'nope' } });
  await send('GET', `${W}/callinfo/bycallid`, { query: { call_id: 'c'.repeat(32) } });
  if (opts.invalidRequests) {
    await send('POST', `${W}/createinstance`, { body: {} });
    await send('POST', `${W}/createinstance`, {
      body: {
        workflow_template_id: COLLECTION_TEMPLATE,
        name: 'x',
        end_time: END_TIME,
        details: [{ callee: '0812' }],
      },
    });
    await send('GET', `${W}/callinfo`, { query: { callee: '+628123456789' } });
    await send('POST', `${W}/tasks`, { body: { workflow_id: 'not-an-id' } });
  }
  return log;
}
