/**
 * Every vendor query answer and admin workflow view, byte for byte, against answers recorded with
 * the code that kept every campaign event and vendor message as objects (before they were kept
 * compressed and indexed): Info Check, multi-number rows, Custom API pushes, uploads, updates,
 * cancels, a stop, and a restart from the journal half-way (the restarted emulator must answer
 * what the live one did, and both what the fixture holds).
 *
 * The fixture holds a digest of each answer. Re-record (only when an answer is meant to change): UPDATE_GOLDEN=1 npx tsx --test <this file>.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import request from 'supertest';
import { createVirtualClock } from '../../src/clock/virtual-clock.ts';
import type { Send } from '../../src/delivery/types.ts';
import { buildEmulator, type BuiltEmulator } from '../../src/server/emulator.ts';
import { createFakeWall } from '../clock/fake-wall.ts';
import {
  COLLECTION_TEMPLATE,
  END_TIME,
  INFO_CHECK_TEMPLATE,
  rows,
  scenario,
  START,
} from '../http/fixture.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const W = '/service/cloud/workflow';
const GOLDEN = new URL('../fixtures/campaign-views-golden.json', import.meta.url);
const SPAN = { start_time: '2024-03-01 00:00:00', end_time: '2024-04-01 00:00:00' };
const ok: Send = () => Promise.resolve({ status: 200, response: '{}' });

/** A manual virtual clock whose real time never moves: requests in flight do not let it flow. */
function build(dir: string, startTime = START): BuiltEmulator {
  return buildEmulator({
    dataDir: dir,
    clock: createVirtualClock({ startTime, auto: false, wall: createFakeWall() }),
    seed: 5,
    publicUrl: 'http://emu.test',
    scenarios: [
      scenario('tele', 'telemarketing', COLLECTION_TEMPLATE),
      scenario('ic', 'info_check', INFO_CHECK_TEMPLATE),
      'multi-number',
      'info-check-redials',
    ],
    delivery: { send: ok },
  });
}

async function client(emu: BuiltEmulator) {
  const auth = await request(emu.app)
    .post('/service/cloud/auth')
    .send({ APPKey: emu.credentials.appKey, APPSecret: emu.credentials.appSecret });
  const token = auth.body.data.token as string;
  const send = async (method: 'get' | 'post', path: string, body: object): Promise<string> => {
    const req = request(emu.app)[method](path).set('Authorization', `Token ${token}`);
    const res = method === 'get' ? await req.query(body) : await req.send(body);
    return `${res.status} ${res.text}`;
  };
  return {
    get: (path: string, q: object = {}) => send('get', path, q),
    post: (path: string, body: object) => send('post', path, body),
  };
}

/**
 * An admin answer without its delivery counts (they follow the sends, not the campaign), nor the
 * detail's `next` cursors (added after the recording; test/http/workflow-part-pages.test.ts).
 */
function campaignPart(answer: string): string {
  const body = parse(answer);
  for (const wf of [...(body.list ?? []), ...(body.workflow ? [body.workflow] : [])]) delete wf.deliveries;
  for (const part of [body.contacts, body.calls]) if (part) delete part.next;
  return `${answer.slice(0, answer.indexOf(' '))} ${JSON.stringify(body)}`;
}

const parse = (answer: string): Json => JSON.parse(answer.slice(answer.indexOf(' ') + 1)) as Json;

/** Every query answer for every workflow, keyed by the request. */
async function answers(emu: BuiltEmulator): Promise<Record<string, string>> {
  const c = await client(emu);
  const out: Record<string, string> = {};
  const ask = async (key: string, answer: Promise<string>) => (out[key] = await answer);
  const list = await ask('list', c.get(`${W}/list`, { page_size: 100 }));
  await ask('admin workflows', c.get('/__emulator/workflows', { limit: 100 }).then(campaignPart));
  const callees = new Set<string>();
  const cases = new Set<string>();
  for (const wf of parse(list).data.list as Json[]) {
    const id = wf.workflow_id as string;
    await ask(`admin ${id}`, c.get(`/__emulator/workflows/${id}`, { limit: 1000 }).then(campaignPart));
    await ask(`admin ${id} limit 3`, c.get(`/__emulator/workflows/${id}`, { limit: 3 }).then(campaignPart));
    const subtasks = parse(await ask(`subtasks ${id}`, c.get(`${W}/subtasks`, { workflow_id: id })));
    const tasks = parse(await ask(`tasks ${id}`, c.post(`${W}/tasks`, { workflow_id: id, page_size: 100 })));
    const numbers: Json[] = [];
    for (const t of tasks.data?.list ?? []) {
      for (const path of ['taskdetail', 'taskdetail/infocheck']) {
        const all = parse(
          await ask(`${path} ${t.task_id}`, c.post(`${W}/${path}`, { task_id: t.task_id, page_size: 1000 })),
        );
        if (path === 'taskdetail')
          numbers.push(...((all.data?.list ?? []) as Json[]).map((r) => ({ ...r, t })));
        await ask(
          `${path} ${t.task_id} p2`,
          c.post(`${W}/${path}`, { task_id: t.task_id, page: 2, page_size: 2 }),
        );
      }
      const q = { task_id: t.task_id, workflow_id: id };
      await ask(`taskdetail ${t.task_id} ${id}`, c.post(`${W}/taskdetail`, q));
    }
    // Every number of a small workflow, a sample of a large one (the fixture stays small).
    for (const r of numbers.filter((_, i) => i < 12 || i % 25 === 0)) {
      callees.add(r.callee);
      if (r.case_id) cases.add(r.case_id);
      const who = r.case_id
        ? { callee: r.callee, case_id: r.case_id }
        : { callee: r.callee, case_id: 'none' };
      await ask(
        `callinfo ${id} ${r.callee} ${r.case_id}`,
        c.get(`${W}/callinfo`, { workflow_id: id, ...who }),
      );
      await ask(
        `callinfo ${r.t.task_id} ${r.callee} ${r.case_id}`,
        c.get(`${W}/callinfo`, { task_id: r.t.task_id, ...who }),
      );
      for (const callId of [r.call_id, ...((r.redail_call ?? []) as Json[]).map((x) => x.call_id)]) {
        await ask(`bycallid ${callId}`, c.get(`${W}/callinfo/bycallid`, { call_id: callId }));
      }
      await ask(
        `recordings ${id} ${r.callee}`,
        c.get(`${W}/recordings`, { workflow_id: id, callee: r.callee }),
      );
      for (const node of subtasks.data?.list ?? []) {
        if (node.node_type !== 'api') continue;
        const q = { workflow_id: id, node_id: node.nodetask_id, callee: r.callee };
        await ask(`apinoticeinfo ${JSON.stringify(q)}`, c.post(`${W}/apinoticeinfo`, q));
        const withCase = { ...q, case_id: r.case_id };
        await ask(`apinoticeinfo ${JSON.stringify(withCase)}`, c.post(`${W}/apinoticeinfo`, withCase));
      }
    }
  }
  for (const callee of [...callees].sort()) {
    await ask(`detailinstances callee ${callee}`, c.post(`${W}/detailinstances`, { callee, ...SPAN }));
  }
  for (const case_id of [...cases].sort()) {
    await ask(`detailinstances case ${case_id}`, c.post(`${W}/detailinstances`, { case_id, ...SPAN }));
  }
  await ask('bycallid unknown', c.get(`${W}/callinfo/bycallid`, { call_id: 'f'.repeat(32) }));
  await ask('taskdetail unknown', c.post(`${W}/taskdetail`, { task_id: 'f'.repeat(32) }));
  return out;
}

describe('vendor query answers and admin workflow views (golden)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'airudder-golden-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('answer the recorded bytes, live and after a restart from the journal', async () => {
    const emu = build(dir);
    const c = await client(emu);
    const create = async (template: number, name: string, details: object[]) =>
      parse(
        await c.post(`${W}/createinstance`, {
          workflow_template_id: template,
          name,
          end_time: END_TIME,
          details,
        }),
      ).data.workflow_id as string;
    const tele = await create(COLLECTION_TEMPLATE, 'tele', rows(6));
    const ic = await create(INFO_CHECK_TEMPLATE, 'ic', rows(4, 'IC-'));
    const stopped = await create(COLLECTION_TEMPLATE, 'stopped', rows(3, 'S-'));
    emu.trigger('multi-number');
    emu.trigger('info-check-redials');
    await emu.advance(90_000);
    await c.post(`${W}/uploaddetails`, { workflow_id: tele, details: rows(3, 'MORE-') });
    await c.post(`${W}/updatedetail`, {
      workflow_id: tele,
      case_id: 'MORE-2',
      detail: { customer_name: 'X' },
    });
    await c.post(`${W}/canceldetail`, { workflow_id: tele, case_id: 'MORE-3' });
    await c.post(`${W}/canceldetail`, { workflow_id: ic, case_id: 'IC-4' });
    await c.post(`${W}/stop`, { workflow_id: stopped });
    await emu.advance(120_000);
    const midway = await answers(emu);
    const stoppedAt = emu.clock.now();
    await emu.close();

    const again = build(dir, stoppedAt);
    const restored = await answers(again);
    assert.deepEqual(restored, midway, 'a restart answers what the live emulator did');
    await again.idle();
    const done = await answers(again);
    await again.close();

    // The fixture keeps a digest of each answer (the answers themselves are megabytes).
    const digest = (a: Record<string, string>) =>
      Object.fromEntries(
        Object.entries(a).map(([k, v]) => [k, createHash('sha256').update(v).digest('hex').slice(0, 32)]),
      );
    const now = { midway: digest(midway), done: digest(done) };
    if (process.env.DUMP_ANSWERS) writeFileSync(process.env.DUMP_ANSWERS, JSON.stringify({ midway, done }));
    if (process.env.UPDATE_GOLDEN) writeFileSync(GOLDEN, `${JSON.stringify(now, null, 2)}\n`);
    const golden = JSON.parse(readFileSync(GOLDEN, 'utf8')) as typeof now;
    for (const phase of ['midway', 'done'] as const) {
      assert.deepEqual(Object.keys(now[phase]), Object.keys(golden[phase]), `${phase}: the same requests`);
      for (const [key, answer] of Object.entries(golden[phase])) {
        assert.equal(now[phase][key], answer, `${phase}: ${key}`);
      }
    }
  });
});
