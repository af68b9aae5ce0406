/**
 * Paged admin lists: /deliveries, /workflows and /requests answer a default page of 100, newest
 * first, with an opaque `next` cursor; following it visits every item exactly once, with or
 * without filters; a cursor that is not one, belongs to another list or predates a reset is a 400.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { buildEmulator, type BuiltEmulator } from '../../src/server/emulator.ts';
import { pageClient, type Query } from './page-client.ts';

const A = '/__emulator';
const START = Date.UTC(2024, 2, 11, 1, 0, 0);

type Item = { id?: string; workflow_id?: string };

describe('paged admin lists', () => {
  let emu: BuiltEmulator;
  let workflowId: string;

  const client = pageClient(() => emu.app);
  const get = (path: string, query: Query = {}) => client.get<Item>(path, query);
  const pages = (path: string, query: Query) => client.walk<Item>(path, query);

  /** Delivery pages go newest first, each in creation order: back in creation order. */
  const walkDeliveries = async (query: Record<string, string | number>) =>
    (await pages(`${A}/deliveries`, query)).reverse().flatMap((p) => p.list.map((d) => d.id!));

  before(async () => {
    emu = buildEmulator({
      clock: 'virtual:manual',
      seed: 1,
      startTime: START,
      scenarios: ['collection-ptp'],
    });
    await emu.listen(); // the scenario's callbacks go to the built-in sink on this port
    const t = await request(emu.app).post(`${A}/scenarios/collection-ptp/trigger`).send({});
    workflowId = t.body.workflow_id as string;
    await request(emu.app).post(`${A}/clock/run-until-idle`).expect(200);
  });
  after(() => emu.close());

  it('GET /deliveries: a default page of the newest 100, in creation order, and a cursor', async () => {
    const all = emu.deliveries().map((d) => d.id);
    assert.equal(all.length, 602);
    const first = await get(`${A}/deliveries`);
    assert.equal(first.total, 602);
    assert.deepEqual(
      first.list.map((d) => d.id),
      all.slice(-100),
    );
    assert.equal(typeof first.next, 'string');
  });

  it('following next visits every delivery exactly once, for any page size', async () => {
    const all = emu.deliveries().map((d) => d.id);
    for (const limit of [1000, 100, 37]) {
      const walked = await walkDeliveries({ limit });
      assert.deepEqual(walked, all, `limit ${limit}`);
      assert.equal(new Set(walked).size, walked.length);
    }
    const last = (await pages(`${A}/deliveries`, { limit: 301 })).at(-1)!;
    assert.deepEqual([last.list.length, last.next], [301, null], 'two full pages');
  });

  it('a page of more than 500 is written in slices, the same JSON as a small page', async () => {
    const all = emu.deliveries().map((d) => d.id);
    const res = await request(emu.app).get(`${A}/deliveries?limit=1000`).expect(200);
    assert.match(String(res.headers['content-type']), /^application\/json/);
    const body = JSON.parse(res.text) as { list: { id: string }[]; total: number; next: string | null };
    assert.equal(res.text, JSON.stringify(body), 'compact JSON, as res.json writes it');
    assert.deepEqual(
      body.list.map((d) => d.id),
      all,
    );
    assert.deepEqual([body.total, body.next], [602, null]);
    const small = await get(`${A}/deliveries`, { limit: 2 });
    assert.deepEqual(body.list.slice(-2), small.list, 'the same items as a small page shows');
  });

  it('filters by workflow, type and outcome, page by page', async () => {
    const cases: Record<string, string>[] = [
      { workflow: workflowId },
      { type: 'call-completion' },
      { workflow: workflowId, type: 'custom-api-node-push', outcome: 'delivered' },
      { outcome: 'delivered' },
    ];
    for (const filter of cases) {
      const expected = emu.deliveries(filter).map((d) => d.id);
      assert.ok(expected.length > 0);
      assert.deepEqual(await walkDeliveries({ ...filter, limit: 45 }), expected, JSON.stringify(filter));
      assert.equal((await get(`${A}/deliveries`, { ...filter, limit: 1 })).total, expected.length);
    }
    const none = await get(`${A}/deliveries`, { outcome: 'exhausted' });
    assert.deepEqual(none, { list: [], total: 0, next: null });
    const unknown = await get(`${A}/deliveries`, { workflow: 'nope' });
    assert.deepEqual(unknown, { list: [], total: 0, next: null });
  });

  it('GET /workflows and /requests: pages newest first, each item once', async () => {
    for (let i = 0; i < 4; i++) await request(emu.app).post(`${A}/scenarios/collection-ptp/trigger`).send({});
    const ids = emu.store.listWorkflows().map((w) => w.workflowId);
    assert.equal(ids.length, 5);
    const wf = await pages(`${A}/workflows`, { limit: 2 });
    assert.deepEqual(
      wf.map((p) => p.list.length),
      [2, 2, 1],
    );
    assert.deepEqual(
      wf.flatMap((p) => p.list.map((w) => w.workflow_id)),
      ids,
    );
    assert.ok(wf.every((p) => p.total === 5));

    await request(emu.app).delete(`${A}/requests`).expect(200);
    for (let i = 0; i < 5; i++) await request(emu.app).get('/service/cloud/workflow/templates');
    const logged = emu.requests().map((r) => r.id);
    assert.equal(logged.length, 5);
    const rq = await pages(`${A}/requests`, { limit: 2 });
    assert.deepEqual(
      rq.flatMap((p) => p.list.map((r) => r.id)),
      logged,
    );
    assert.equal((await get(`${A}/requests`, { status: '4xx', limit: 1 })).total, 5);
  });

  it('a cursor that is not one, is of another list, or predates a reset: 400, saying why', async () => {
    const bad = await request(emu.app).get(`${A}/deliveries`).query({ cursor: 'not a cursor' });
    assert.equal(bad.status, 400);
    assert.match(bad.body.message, /is not a cursor of this list/);
    const wfCursor = (await get(`${A}/workflows`, { limit: 1 })).next!;
    const other = await request(emu.app).get(`${A}/deliveries`).query({ cursor: wfCursor });
    assert.equal(other.status, 400);
    assert.match(other.body.message, /is not a cursor of this list/);
    const twice = await request(emu.app).get(`${A}/deliveries?cursor=a&cursor=b`);
    assert.equal(twice.status, 400);
    const limit = await request(emu.app).get(`${A}/workflows`).query({ limit: 'x' });
    assert.equal(limit.status, 400);

    const cursor = (await get(`${A}/deliveries`, { limit: 10 })).next!;
    await request(emu.app).post(`${A}/reset`).expect(200);
    const stale = await request(emu.app).get(`${A}/deliveries`).query({ cursor });
    assert.equal(stale.status, 400);
    assert.match(stale.body.message, /before the emulator was reset/);
  });
});
