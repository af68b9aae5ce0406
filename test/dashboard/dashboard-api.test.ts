/**
 * The dashboard page as served (one self-contained HTML answer under a strict CSP) and the admin
 * endpoints it reads: workflows with contacts and calls, `limit` on deliveries and the sink.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import type { Emulator } from '../../src/server/emulator.ts';
import { COLLECTION_TEMPLATE, END_TIME, rows, START, startEmulator, tokenFor } from '../http/fixture.ts';

const A = '/__emulator';

const SUMMARY_KEYS = [
  'advanced_to',
  'calls',
  'connected',
  'contacts',
  'contacts_finished',
  'created_at',
  'deliveries',
  'status',
  'template_id',
  'template_name',
  'time_zone',
  'waiting',
  'workflow_id',
  'workflow_name',
];
const CONTACT_KEYS = [
  'callees',
  'case_id',
  'customer_name',
  'dials',
  'finished_at',
  'last_dial_at',
  'source',
  'status',
];
const CALL_KEYS = [
  'answered',
  'call_id',
  'call_times',
  'callee',
  'case_id',
  'duration',
  'ended_at',
  'hangup_type',
  'intention',
  'recording',
  'result',
  'result_label',
  'ring_type',
  'started_at',
];
const keys = (o: object) => Object.keys(o).sort();

describe('dashboard page', () => {
  let emu: Emulator;
  before(async () => {
    emu = await startEmulator();
  });
  after(() => emu.close());

  for (const path of [`${A}/`, `${A}/index.html`]) {
    it(`GET ${path}: the page, self-contained, under a CSP`, async () => {
      const res = await request(emu.url).get(path);
      assert.equal(res.status, 200);
      assert.match(res.headers['content-type'], /^text\/html; charset=utf-8/);
      assert.equal(res.headers['cache-control'], 'no-store');
      assert.match(res.text, /<div id="app">/);
      assert.match(res.text, /<script>\s*\/\*/, 'the script is inlined');
      assert.match(res.text, /<style>/, 'the stylesheet is inlined');
      assert.doesNotMatch(res.text, /data-inline=/, 'no placeholder left');
      assert.doesNotMatch(res.text, /<script[^>]+src=|<link[^>]+stylesheet|https?:\/\/(?!www\.w3\.org)/);
      const csp = res.headers['content-security-policy'] as string;
      assert.match(csp, /default-src 'none'/);
      assert.match(csp, /script-src 'sha256-[A-Za-z0-9+/=]+'/);
      assert.match(csp, /connect-src 'self'/);
      assert.doesNotMatch(csp, /unsafe-inline/);
    });
  }

  it('GET /__emulator redirects to the page', async () => {
    const res = await request(emu.url).get(A);
    assert.equal(res.status, 308);
    assert.equal(res.headers.location, `${A}/`);
  });
});

describe('admin endpoints for the dashboard', () => {
  let emu: Emulator;
  let uploaded: string;
  let triggered: string;

  before(async () => {
    emu = await startEmulator({ sink: { mode: 'fail', failStatus: 503, failFirst: 1 } });
    const token = await tokenFor(emu);
    const created = await request(emu.url)
      .post('/service/cloud/workflow/createinstance')
      .set('Authorization', `Token ${token}`)
      .send({
        workflow_template_id: COLLECTION_TEMPLATE,
        name: 'uploaded',
        end_time: END_TIME,
        details: rows(2),
      });
    uploaded = created.body.data.workflow_id;
    triggered = emu.trigger('ic').workflowId;
    await emu.idle();
  });
  after(() => emu.close());

  it('GET /workflows: every workflow, newest first, with counts', async () => {
    const res = await request(emu.url).get(`${A}/workflows`);
    assert.equal(res.status, 200);
    assert.deepEqual(keys(res.body), ['list', 'next', 'total']);
    assert.equal(res.body.total, 2);
    assert.equal(res.body.next, null, 'one page holds both');
    const [ic, up] = res.body.list;
    assert.deepEqual(
      res.body.list.map((w: { workflow_id: string }) => w.workflow_id),
      [triggered, uploaded],
    );
    for (const w of res.body.list) {
      assert.deepEqual(keys(w), SUMMARY_KEYS);
      assert.deepEqual(keys(w.deliveries), ['delivered', 'exhausted', 'pending', 'total']);
      assert.equal(w.status, 'Finished');
      assert.equal(w.time_zone, 'Asia/Jakarta');
      assert.equal(w.contacts_finished, w.contacts);
      assert.ok(w.calls >= w.contacts && w.connected <= w.calls);
      const delivered = emu.deliveries({ workflow: w.workflow_id });
      assert.deepEqual(w.deliveries, {
        total: delivered.length,
        pending: 0,
        delivered: delivered.length,
        exhausted: 0,
      });
    }
    assert.deepEqual(
      { name: up.workflow_name, template: up.template_id, contacts: up.contacts, created: up.created_at },
      { name: 'uploaded', template: COLLECTION_TEMPLATE, contacts: 2, created: START },
    );
    assert.equal(ic.template_name, 'ic template');
    assert.equal(ic.contacts, 3, 'the scenario generates three contacts');
  });

  it('GET /workflows/:id: contacts in list order, calls newest first', async () => {
    const res = await request(emu.url).get(`${A}/workflows/${uploaded}`);
    assert.equal(res.status, 200);
    assert.deepEqual(keys(res.body), ['calls', 'contacts', 'workflow']);
    assert.deepEqual(keys(res.body.workflow), SUMMARY_KEYS);
    const contacts = res.body.contacts;
    assert.equal(contacts.total, 2);
    for (const c of contacts.list) assert.deepEqual(keys(c), CONTACT_KEYS);
    assert.deepEqual(
      contacts.list.map((c: Record<string, unknown>) => [
        c.case_id,
        c.callees,
        c.customer_name,
        c.source,
        c.status,
      ]),
      [
        ['CASE-1', ['+6281200000010'], 'Customer 1', 'uploaded', 'finished'],
        ['CASE-2', ['+6281200000011'], 'Customer 2', 'uploaded', 'finished'],
      ],
    );
    const calls = res.body.calls;
    assert.equal(calls.total, res.body.workflow.calls);
    assert.equal(
      contacts.list.reduce((n: number, c: { dials: number }) => n + c.dials, 0),
      calls.total,
      'every dial belongs to a contact',
    );
    for (const c of calls.list) assert.deepEqual(keys(c), CALL_KEYS);
    const ends = calls.list.map((c: { ended_at: number }) => c.ended_at);
    assert.ok(
      ends.every((t: unknown) => typeof t === 'number'),
      'times are epoch ms',
    );
    assert.deepEqual(
      ends,
      [...ends].sort((x, y) => y - x),
      'newest first',
    );
    // Per number, dials count up from 1, and only the last carries the callback's result.
    for (const callee of ['+6281200000010', '+6281200000011']) {
      const mine = calls.list.filter((c: { callee: string }) => c.callee === callee).reverse();
      assert.deepEqual(
        mine.map((c: { call_times: number }) => c.call_times),
        mine.map((_: unknown, i: number) => i + 1),
      );
      assert.equal(mine.at(-1).result, 'finished');
      for (const earlier of mine.slice(0, -1)) assert.equal(earlier.result, null);
    }
    // Answered dials link their recording, and the link plays.
    const answered = calls.list.find((c: { recording: string | null }) => c.recording !== null);
    if (answered) {
      assert.equal(answered.recording, `/service/cloud/workflow/recording/${answered.call_id}.wav`);
      const wav = await request(emu.url).get(answered.recording);
      assert.equal(wav.status, 200);
      assert.equal(wav.headers['content-type'], 'audio/wav');
    }
  });

  it('GET /workflows/:id: scenario contacts as dialled; limit', async () => {
    const res = await request(emu.url).get(`${A}/workflows/${triggered}`).query({ limit: 1 });
    assert.equal(res.body.contacts.total, 3);
    assert.equal(res.body.contacts.list.length, 1);
    assert.equal(res.body.contacts.list[0].source, 'scenario');
    assert.equal(res.body.contacts.list[0].customer_name, null);
    assert.equal(res.body.calls.list.length, 1);
    assert.equal(res.body.calls.total, res.body.workflow.calls);
  });

  it('GET /workflows/:id: 404 for an unknown workflow, 400 for a bad limit', async () => {
    const missing = await request(emu.url).get(`${A}/workflows/nope`);
    assert.equal(missing.status, 404);
    assert.match(missing.body.message, /no workflow "nope"/);
    const bad = await request(emu.url).get(`${A}/workflows/${uploaded}`).query({ limit: 'x' });
    assert.equal(bad.status, 400);
    assert.match(bad.body.message, /limit must be an integer/);
  });

  it('GET /deliveries?limit=: the newest matches; total counts them all', async () => {
    const all = await request(emu.url).get(`${A}/deliveries`).query({ workflow: uploaded });
    const two = await request(emu.url).get(`${A}/deliveries`).query({ workflow: uploaded, limit: 2 });
    assert.equal(two.body.total, all.body.total);
    assert.deepEqual(two.body.list, all.body.list.slice(-2));
    const none = await request(emu.url).get(`${A}/deliveries`).query({ limit: 0 });
    assert.deepEqual(none.body.list, []);
    const tooMany = await request(emu.url).get(`${A}/deliveries`).query({ limit: 10_001 });
    assert.equal(tooMany.status, 400);
  });

  it('GET /sink?limit=0: settings without the received requests', async () => {
    const res = await request(emu.url).get(`${A}/sink`).query({ limit: 0 });
    assert.deepEqual(res.body.settings, { mode: 'fail', failStatus: 503, failFirst: 1 });
    assert.deepEqual(res.body.requests, []);
    assert.equal(res.body.total, emu.sink.requests().length);
    assert.ok(res.body.total > 0);
  });
});
