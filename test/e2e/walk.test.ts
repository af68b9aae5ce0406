/**
 * The walk of one uploaded contact through the core, as docs/design.md draws it: `uploaddetails`
 * over HTTP → the workflow commands → the store; a campaign step on the clock → the dial and its
 * callback → delivery → a real receiver; then the admin view. At each step the stack is sampled
 * and reduced to the layers it crosses (outermost first), and each layer is entered once per step. Event publication (a subscriber called by the
 * layer that emits) goes back up by design, and is not a step here.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import type { BuiltEmulator } from '../../src/server/emulator.ts';
import { buildEmulator } from '../../src/server/emulator.ts';
import type { EmulationEvent } from '../../src/emulation/events.ts';
import { COLLECTION_TEMPLATE, END_TIME, START, scenario } from '../http/fixture.ts';
import { startReceiver, type Receiver } from '../helpers/receiver.ts';

/**
 * The src layers a stack crosses, outermost first, consecutive frames of one layer merged. A
 * leading `clock` frame (the timer that started the step) is left out: a due timer may also be run
 * from a microtask, with no clock frame on the stack.
 */
function layersOf(stack: string): string[] {
  const out: string[] = [];
  const frames = stack
    .split('\n')
    .map((l) => /\/src\/([^:)]+)\.ts:\d+:\d+/.exec(l)?.[1])
    .filter((f): f is string => f !== undefined)
    .reverse();
  for (const f of frames) {
    const layer = f.includes('/') ? f.slice(0, f.indexOf('/')) : `${f}.ts`;
    if (out.at(-1) !== layer) out.push(layer);
  }
  return out[0] === 'clock' ? out.slice(1) : out;
}

const CONTACT = { callee: '+6281200000077', case_id: 'WALK-1', customer_name: 'Walker' };

describe('the walk of one uploaded contact', () => {
  let rx: Receiver;
  let emu: BuiltEmulator;
  const steps = new Map<string, string[]>();
  const events: EmulationEvent[] = [];
  let workflowId: string;
  const sample = (step: string) => {
    if (!steps.has(step)) steps.set(step, layersOf(new Error().stack ?? ''));
  };

  before(async () => {
    rx = await startReceiver();
    emu = buildEmulator({
      clock: 'virtual:manual',
      startTime: START,
      scenarios: [scenario('tele', 'telemarketing', COLLECTION_TEMPLATE)],
      target: rx.url,
      delivery: {
        // The transport: a real POST to the receiver, sampled where the attempt leaves.
        send: async (req) => {
          sample('attempt sent');
          const res = await fetch(req.url, { method: 'POST', headers: req.headers, body: req.body });
          return { status: res.status, response: await res.text() };
        },
      },
      onEvent: (e) => {
        if (e.type === 'call:finished' && e.caseId === CONTACT.case_id) sample('dial finished');
        events.push(e);
      },
    });
    emu.store.onEntry((entry) => {
      if (entry.k === 'rows') sample('row stored');
      if (entry.k === 'delivery' && entry.record?.type === 'call-completion') sample('delivery created');
    });
    const app = request(emu.app);
    const auth = await app
      .post('/service/cloud/auth')
      .send({ APPKey: emu.credentials.appKey, APPSecret: emu.credentials.appSecret });
    const token = `Token ${auth.body.data.token as string}`;
    const created = await app
      .post('/service/cloud/workflow/createinstance')
      .set('Authorization', token)
      .send({ workflow_template_id: COLLECTION_TEMPLATE, name: 'walk', end_time: END_TIME });
    workflowId = created.body.data.workflow_id as string;
    const up = await app
      .post('/service/cloud/workflow/uploaddetails')
      .set('Authorization', token)
      .send({ workflow_id: workflowId, details: [CONTACT] });
    assert.deepEqual(up.body, { code: 200, status: 'OK' });
    await emu.idle();
  });
  after(async () => {
    await emu.close();
    await rx.close();
  });

  it('crosses each layer once per step', (t) => {
    const expected: Record<string, string[]> = {
      'row stored': ['http', 'emulation', 'store'],
      'dial finished': ['emulation'],
      'delivery created': ['emulation', 'delivery', 'store'],
      'attempt sent': ['delivery'],
    };
    for (const [step, layers] of steps) t.diagnostic(`${step}: ${layers.join(' → ')}`);
    assert.deepEqual(Object.fromEntries(steps), expected);
    for (const [step, layers] of steps) {
      assert.equal(new Set(layers).size, layers.length, `${step} crosses each layer once`);
    }
  });

  it('the contact becomes calls and callbacks, in order, on the event stream', () => {
    const mine = events
      .filter((e) => ('delivery' in e ? e.delivery.workflowId : e.workflowId) === workflowId)
      .map((e) => ('delivery' in e ? `${e.type} ${e.delivery.type}` : e.type));
    const first = (name: string) => mine.indexOf(name);
    const order = [
      'workflow:created',
      'call:started',
      'call:finished',
      'delivery:created call-completion',
      'delivery:attempt call-completion',
      'delivery:delivered call-completion',
    ];
    for (const name of order) assert.ok(first(name) >= 0, `${name} in ${mine.join(', ')}`);
    const at = order.map(first);
    assert.deepEqual(
      at,
      [...at].sort((x, y) => x - y),
      mine.join(', '),
    );
    assert.ok(first('contact:finished') > first('call:finished'));
    assert.ok(!mine.some((e) => e.startsWith('delivery:exhausted')));
  });

  it('every callback reached the receiver once, with the bytes the admin API shows', async () => {
    const list = (await request(emu.app).get('/__emulator/deliveries?limit=1000')).body.list as {
      id: string;
      workflowId: string;
      outcome: string;
    }[];
    const mine = list.filter((d) => d.workflowId === workflowId);
    assert.ok(mine.length >= 3, `deliveries: ${mine.length}`);
    for (const d of mine) {
      assert.equal(d.outcome, 'delivered');
      const got = rx.forKey(d.id);
      assert.equal(got.length, 1, `${d.id} received once`);
      const one = (await request(emu.app).get(`/__emulator/deliveries/${d.id}`)).body as { payload: unknown };
      assert.deepEqual(JSON.parse(got[0]!.body), one.payload);
    }
  });

  it('the admin view shows the contact finished, with its dials', async () => {
    const view = (await request(emu.app).get(`/__emulator/workflows/${workflowId}`)).body as {
      contacts: { list: { case_id: string; status: string; dials: number; callees: string[] }[] };
      calls: { list: { case_id?: string | null }[] };
    };
    const row = view.contacts.list.find((c) => c.case_id === CONTACT.case_id);
    assert.ok(row, 'the uploaded contact is listed');
    assert.equal(row.status, 'finished');
    assert.deepEqual(row.callees, [CONTACT.callee]);
    assert.ok(row.dials >= 1);
    assert.equal(view.calls.list.length, row.dials);
  });
});
