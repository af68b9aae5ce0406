/**
 * The lean journal (issue 10): `--data-dir` journals inputs (commands, advances, tokens) and
 * delivery attempt deltas, never a payload, body, header or campaign event; a restart rebuilds the
 * rest by deterministic replay. Checked here: what a `collection-ptp` run journals (no payload on
 * any line, at most a quarter of what journaling every payload takes), and that a workflow driven
 * through uploads, updates, cancels, a stop, retries, a replay, chaos duplicates and encrypted
 * callbacks, with the emulator restarted after every step, ends exactly as one never restarted.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import request from 'supertest';
import { createVirtualClock } from '../../src/clock/virtual-clock.ts';
import type { Send } from '../../src/delivery/types.ts';
import { buildEmulator, type BuiltEmulator } from '../../src/server/emulator.ts';
import { journalPath } from '../../src/store/journal.ts';
import { createFakeWall } from '../clock/fake-wall.ts';
import { COLLECTION_TEMPLATE, END_TIME, rows, scenario, START } from '../http/fixture.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const W = '/service/cloud/workflow';
const MIN = 60_000;

describe('the lean journal', () => {
  const dirs: string[] = [];
  const tmp = () => {
    const d = mkdtempSync(join(tmpdir(), 'airudder-lean-'));
    dirs.push(d);
    return d;
  };
  after(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('journals no payload, body, header or event: a collection-ptp run takes <= 25% of a full journal', async () => {
    const dir = tmp();
    const emu = buildEmulator({
      dataDir: dir,
      clock: 'virtual:manual',
      seed: 1,
      startTime: START,
      scenarios: ['collection-ptp'],
    });
    let full = 0;
    try {
      await emu.listen(); // the scenario's callbacks go to the built-in sink on this port
      const t = await request(emu.app).post('/__emulator/scenarios/collection-ptp/trigger').send({});
      assert.equal(t.status, 201, JSON.stringify(t.body));
      await request(emu.app).post('/__emulator/clock/run-until-idle').expect(200);
      // Deliveries are listed in pages (default 100): one page of up to 1000 holds them all.
      const list = (await request(emu.app).get('/__emulator/deliveries?limit=1000')).body.list as Json[];
      assert.equal(list.length, 602);
      // What journaling every payload takes: each delivery record and each campaign event once
      // (the journal before issue 10 wrote each payload three times).
      for (const d of list) {
        full += JSON.stringify((await request(emu.app).get(`/__emulator/deliveries/${d.id}`)).body).length;
      }
      for (const wf of emu.store.listWorkflows())
        full += JSON.stringify(emu.store.eventsOf(wf.workflowId)).length;
    } finally {
      await emu.close();
    }
    const text = readFileSync(journalPath(dir), 'utf8');
    const lines = text.trimEnd().split('\n');
    const kinds = new Set<string>();
    for (const line of lines) {
      const e = JSON.parse(line) as Json;
      kinds.add(e.k);
      for (const key of ['payload', 'body', 'headers', 'events', 'record', 'patch']) {
        assert.ok(!(key in e), `a ${e.k} entry carries "${key}": ${line.slice(0, 200)}`);
      }
    }
    assert.deepEqual([...kinds].sort(), ['advance', 'attempt', 'delivery', 'sending', 'workflow']);
    const bytes = Buffer.byteLength(text);
    assert.ok(bytes <= 0.25 * full, `journal ${bytes} bytes, a full-payload one ${full}`);
  });

  /**
   * One scripted session: the same commands at the same clock instants, the emulator optionally
   * closed and rebuilt from its journal after every step. Returns what the admin and vendor APIs
   * show at the end.
   */
  async function session(restartEveryStep: boolean): Promise<Json> {
    const dir = tmp();
    const wall = createFakeWall();
    // Every delivery's first attempt fails; every fifth delivery never gets through (exhausted).
    const send: Send = (req) => {
      const id = req.headers['X-Emulator-Delivery-Id']!;
      const seq = Number(/-(\d+)/.exec(id)![1]);
      const attempt = Number(req.headers['X-Emulator-Attempt']);
      const status = seq % 5 === 0 || attempt === 1 ? 503 : 200;
      return Promise.resolve({ status, response: `{"seen":"${id}#${attempt}"}` });
    };
    const build = (at: number): BuiltEmulator =>
      buildEmulator({
        dataDir: dir,
        clock: createVirtualClock({ startTime: at, auto: false, wall }),
        seed: 7,
        scenarios: [scenario('tele', 'telemarketing', COLLECTION_TEMPLATE)],
        delivery: {
          send,
          maxRetries: 2,
          encryption: { enabled: true },
          chaos: { duplicateRate: 0.25 },
        },
        logger: { error: (m, e) => console.error(m, e) },
      });
    let emu = build(START);
    let at = START;
    const post = async (path: string, body: object, token?: string): Promise<Json> => {
      const req = request(emu.app).post(path);
      if (token) req.set('Authorization', `Token ${token}`);
      const res = await req.send(body);
      assert.ok(res.status < 300, `${path}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body as Json;
    };
    /** Move the clock to START + ms, then (maybe) restart there. */
    const step = async (ms: number) => {
      at = START + ms;
      await emu.advance(at - emu.clock.now());
      assert.equal(emu.clock.now(), at);
      if (restartEveryStep) {
        await emu.close();
        emu = build(at);
      }
    };
    try {
      const auth = await post('/service/cloud/auth', {
        APPKey: emu.credentials.appKey,
        APPSecret: emu.credentials.appSecret,
      });
      const token = auth.data.token as string;
      const created = await post(
        `${W}/createinstance`,
        { workflow_template_id: COLLECTION_TEMPLATE, name: 'lean', end_time: END_TIME, details: rows(4) },
        token,
      );
      const id = created.data.workflow_id as string;
      await step(1.5 * MIN);
      await post(`${W}/uploaddetails`, { workflow_id: id, details: rows(3, 'MORE-') }, token);
      await step(2 * MIN);
      await post(
        `${W}/updatedetail`,
        { workflow_id: id, case_id: 'MORE-1', detail: { customer_name: 'Renamed' } },
        token,
      );
      await post(`${W}/canceldetail`, { workflow_id: id, case_id: 'MORE-3' }, token);
      await step(2.5 * MIN);
      await post(`/__emulator/deliveries/${id}-000001/replay`, {});
      await step(3 * MIN);
      await post(`${W}/stop`, { workflow_id: id }, token);
      await step(4 * MIN);
      await step(30 * MIN);
      await emu.idle();

      const get = async (path: string) => (await request(emu.app).get(path).expect(200)).body as Json;
      const deliveries = (await get('/__emulator/deliveries')).list as Json[];
      const records: Json[] = [];
      for (const d of deliveries) {
        const r = await get(`/__emulator/deliveries/${d.id}`);
        // Real milliseconds: the one thing two runs may not share.
        for (const a of r.attempts as Json[]) delete a.latencyMs;
        records.push(r);
      }
      return {
        records,
        workflow: await get(`/__emulator/workflows/${id}`),
        workflows: await get('/__emulator/workflows'),
        list: (await request(emu.app).get(`${W}/list`).set('Authorization', `Token ${token}`)).body as Json,
        clock: emu.clock.now(),
      };
    } finally {
      await emu.close();
    }
  }

  it('restarts exactly: restarted after every step, a session ends as one never restarted', async () => {
    const straight = await session(false);
    const restarted = await session(true);
    const records = straight.records as Json[];
    // The script reaches what the journal must carry across a restart.
    const all = records.flatMap((r) => r.attempts as Json[]);
    assert.ok(all.some((a) => a.error === 'non-2xx') && all.some((a) => a.ok));
    assert.ok(records.some((r) => r.outcome === 'exhausted'));
    assert.ok(records.some((r) => r.replayOf !== undefined));
    assert.ok(records.some((r) => r.duplicateOf !== undefined));
    assert.ok(records.every((r) => r.encrypted && r.body.length > 0));

    assert.deepEqual(restarted, straight);
  });
});
