/**
 * A workflow's own lists, paged: /workflows/:id/contacts (list order) and /workflows/:id/calls
 * (newest first) answer `{list, total, next}` pages of 100 by default; following `next` visits
 * every contact and call exactly once, the same items the detail shows; the detail's lists carry a
 * `next` that continues there; a cursor of another list or workflow, or from before a reset, and
 * an unknown workflow are refused.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { buildEmulator, type BuiltEmulator } from '../../src/server/emulator.ts';
import { pageClient, type Page as PageOf, type Query } from './page-client.ts';

const A = '/__emulator';
const START = Date.UTC(2024, 2, 11, 1, 0, 0);

type Item = { case_id: string | null; call_id?: string; callees?: string[] };
type Page = PageOf<Item>;

describe("a workflow's contacts and calls, paged", () => {
  let emu: BuiltEmulator;
  let first: string;
  let second: string;

  const client = pageClient(() => emu.app);
  const get = (path: string, query?: Query) => client.get<Item>(path, query);
  const walk = (path: string, query?: Query, cursor?: string | null) =>
    client.walk<Item>(path, query, cursor);

  const ids = (pages: Page[], key: 'case_id' | 'call_id') => pages.flatMap((p) => p.list.map((x) => x[key]));

  /** The whole list, as the detail shows it with the largest limit. */
  const full = async (id: string) => {
    const res = await request(emu.app).get(`${A}/workflows/${id}`).query({ limit: 10_000 }).expect(200);
    assert.match(String(res.headers['content-type']), /^application\/json/);
    const body = JSON.parse(res.text) as { workflow: object; contacts: Page; calls: Page };
    assert.equal(res.text, JSON.stringify(body), 'compact JSON, as res.json writes it');
    assert.deepEqual(Object.keys(body), ['workflow', 'contacts', 'calls']);
    return body;
  };

  before(async () => {
    emu = buildEmulator({
      clock: 'virtual:manual',
      seed: 1,
      startTime: START,
      scenarios: ['collection-ptp'],
    });
    await emu.listen();
    first = (await request(emu.app).post(`${A}/scenarios/collection-ptp/trigger`).send({})).body.workflow_id;
    second = (await request(emu.app).post(`${A}/scenarios/collection-ptp/trigger`).send({})).body.workflow_id;
    await request(emu.app).post(`${A}/clock/run-until-idle`).expect(200);
  });
  after(() => emu.close());

  it('the detail shows everything with a large limit and says there is no more', async () => {
    const { contacts, calls } = await full(first);
    // More than 500 items in all: the answer is written a slice at a time (same JSON).
    assert.ok(contacts.total > 100 && calls.total > contacts.total, `${contacts.total} / ${calls.total}`);
    assert.ok(contacts.total + calls.total > 500);
    assert.deepEqual([contacts.list.length, contacts.next], [contacts.total, null]);
    assert.deepEqual([calls.list.length, calls.next], [calls.total, null]);
  });

  it('/contacts: a default page of 100 in list order; next visits every contact once, any size', async () => {
    const { contacts } = await full(first);
    const page = await get(`${A}/workflows/${first}/contacts`);
    assert.equal(page.total, contacts.total);
    assert.deepEqual(page.list, contacts.list.slice(0, 100));
    assert.equal(typeof page.next, 'string');
    for (const limit of [10_000, 100, 7, 1]) {
      const pages = await walk(`${A}/workflows/${first}/contacts`, { limit });
      assert.deepEqual(
        pages.flatMap((p) => p.list),
        contacts.list,
        `limit ${limit}`,
      );
      assert.ok(pages.every((p) => p.total === contacts.total));
      assert.equal(pages.length, Math.max(1, Math.ceil(contacts.total / limit)));
    }
  });

  it('/calls: a default page of the newest 100; next visits every call once, newest first', async () => {
    const { calls } = await full(first);
    const page = await get(`${A}/workflows/${first}/calls`);
    assert.equal(page.total, calls.total);
    assert.deepEqual(page.list, calls.list.slice(0, 100));
    for (const limit of [10_000, 100, 13]) {
      const pages = await walk(`${A}/workflows/${first}/calls`, { limit });
      const walked = ids(pages, 'call_id');
      assert.deepEqual(walked, ids([calls], 'call_id'), `limit ${limit}`);
      assert.equal(new Set(walked).size, calls.total);
      assert.deepEqual(
        pages.flatMap((p) => p.list),
        calls.list,
      );
    }
  });

  it("the detail's next continues on the paged routes", async () => {
    const { contacts, calls } = await full(first);
    const detail = (await request(emu.app).get(`${A}/workflows/${first}`).query({ limit: 30 }).expect(200))
      .body as { contacts: Page; calls: Page };
    assert.equal(detail.contacts.list.length, 30);
    const rest = await walk(`${A}/workflows/${first}/contacts`, { limit: 50 }, detail.contacts.next);
    assert.deepEqual([...detail.contacts.list, ...rest.flatMap((p) => p.list)], contacts.list);
    const older = await walk(`${A}/workflows/${first}/calls`, { limit: 50 }, detail.calls.next);
    assert.deepEqual([...detail.calls.list, ...older.flatMap((p) => p.list)], calls.list);
  });

  it('limit 0: an empty page with the total and no next, as the other lists answer', async () => {
    const { contacts, calls } = await full(first);
    assert.deepEqual(await get(`${A}/workflows/${first}/contacts`, { limit: 0 }), {
      list: [],
      total: contacts.total,
      next: null,
    });
    assert.deepEqual(await get(`${A}/workflows/${first}/calls`, { limit: 0 }), {
      list: [],
      total: calls.total,
      next: null,
    });
    assert.deepEqual(await get(`${A}/deliveries`, { limit: 0 }), {
      list: [],
      total: 1204,
      next: null,
    });
  });

  it('each workflow pages its own lists', async () => {
    const a = ids(await walk(`${A}/workflows/${first}/calls`, { limit: 40 }), 'call_id');
    const b = ids(await walk(`${A}/workflows/${second}/calls`, { limit: 40 }), 'call_id');
    assert.ok(a.length > 0 && b.length > 0);
    assert.equal(a.filter((id) => b.includes(id)).length, 0);
  });

  it('refuses an unknown workflow (404) and a cursor of another list or workflow (400, saying why)', async () => {
    for (const part of ['contacts', 'calls']) {
      const missing = await request(emu.app).get(`${A}/workflows/nope/${part}`);
      assert.equal(missing.status, 404);
      assert.match(missing.body.message, /no workflow "nope"/);

      const bad = await request(emu.app).get(`${A}/workflows/${first}/${part}`).query({ cursor: 'x y' });
      assert.equal(bad.status, 400);
      assert.match(bad.body.message, /is not a cursor of this list/);

      const theirs = (await get(`${A}/workflows/${second}/${part}`, { limit: 1 })).next!;
      const foreign = await request(emu.app).get(`${A}/workflows/${first}/${part}`).query({ cursor: theirs });
      assert.equal(foreign.status, 400);
      assert.match(foreign.body.message, /belongs to another workflow's list/);

      const limit = await request(emu.app).get(`${A}/workflows/${first}/${part}`).query({ limit: '-1' });
      assert.equal(limit.status, 400);
      assert.match(limit.body.message, /limit must be an integer 0-10000/);
    }
    const contactsCursor = (await get(`${A}/workflows/${first}/contacts`, { limit: 1 })).next!;
    const crossed = await request(emu.app)
      .get(`${A}/workflows/${first}/calls`)
      .query({ cursor: contactsCursor });
    assert.equal(crossed.status, 400);
    assert.match(crossed.body.message, /is not a cursor of this list/);
    const deliveriesCursor = (await get(`${A}/deliveries`, { limit: 1 })).next!;
    const other = await request(emu.app)
      .get(`${A}/workflows/${first}/contacts`)
      .query({ cursor: deliveriesCursor });
    assert.equal(other.status, 400);
    const asDeliveries = await request(emu.app).get(`${A}/deliveries`).query({ cursor: contactsCursor });
    assert.equal(asDeliveries.status, 400);
  });

  it('a cursor from before a reset is a 400', async () => {
    const cursor = (await get(`${A}/workflows/${first}/contacts`, { limit: 5 })).next!;
    await request(emu.app).post(`${A}/reset`).expect(200);
    const again = (await request(emu.app).post(`${A}/scenarios/collection-ptp/trigger`).send({})).body
      .workflow_id as string;
    assert.equal(again, first, 'the same seed makes the same workflow again');
    const stale = await request(emu.app).get(`${A}/workflows/${again}/contacts`).query({ cursor });
    assert.equal(stale.status, 400);
    assert.match(stale.body.message, /before the emulator was reset/);
  });
});

describe('pages of more than 500 items: the same JSON, written a slice at a time', () => {
  let emu: BuiltEmulator;
  before(() => {
    emu = buildEmulator({
      clock: 'virtual:manual',
      seed: 1,
      startTime: START,
      scenarios: ['collection-ptp'],
    });
  });
  after(() => emu.close());

  const { get: compact } = pageClient(() => emu.app);

  it('/workflows, /workflows/:id/contacts and /requests', async () => {
    // The scenario's templates are listed once it is loaded (its first trigger).
    await request(emu.app).post(`${A}/scenarios/collection-ptp/trigger`).send({}).expect(201);
    const template = (await compact(`${A}/workflows`, { limit: 1 })).list[0]!.template_id as number;
    const input = { workflow_template_id: template, name: 'many', end_time: '2024-03-12 11:00:00' };
    const details = Array.from({ length: 600 }, (_, i) => ({
      callee: `+6281${String(i).padStart(8, '0')}`,
      case_id: `M-${i}`,
    }));
    const big = emu.workflows.create({ ...input, details });
    for (let i = 0; i < 520; i++) emu.workflows.create({ ...input, details: details.slice(0, 1) });

    const contacts = await compact(`${A}/workflows/${big.workflowId}/contacts`, { limit: 10_000 });
    assert.deepEqual(
      contacts.list.map((c) => c.case_id),
      details.map((d) => d.case_id),
    );
    assert.deepEqual([contacts.total, contacts.next], [600, null]);

    const workflows = await compact(`${A}/workflows`, { limit: 10_000 });
    assert.equal(workflows.list.length, 522);
    assert.equal(workflows.list.at(-2)!.workflow_id, big.workflowId);
    const small = await compact(`${A}/workflows`, { limit: 2 });
    assert.deepEqual(workflows.list.slice(0, 2), small.list);
    assert.ok(workflows.list.every((w) => 'waiting' in w));

    for (let i = 0; i < 510; i++) await request(emu.app).get('/service/cloud/workflow/templates');
    const requests = await compact(`${A}/requests`, { limit: 10_000 });
    assert.equal(requests.list.length, 510);
    assert.deepEqual(requests.list.slice(0, 3), (await compact(`${A}/requests`, { limit: 3 })).list);
  });
});
