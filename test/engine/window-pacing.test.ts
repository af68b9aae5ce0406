/**
 * `pacing.closed_window: pause`: the pacer runs only while the first call node's calling window is
 * open. Each row's first dial is checked against an oracle built minute by minute from node-cron's
 * own reading of the window (not the engine's calendar): at `calls_per_minute` 1, row i starts at
 * the i-th open minute from the start; at 2, rows 2k and 2k+1 at the k-th open minute and 30 s
 * later. `queue` (the default) is pinned byte for byte by window-rows-golden.test.ts.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isInWindow } from '../../src/core/cron-calendar.ts';
import { createCampaign } from '../../src/engine/campaign.ts';
import { CampaignRun } from '../../src/engine/campaign-run.ts';
import { setupCampaign } from '../../src/engine/campaign-setup.ts';
import type { Campaign, CampaignEvent } from '../../src/engine/types.ts';
import { loadScenarioFile } from '../../src/scenario/load.ts';
import { resolveScenarioRef } from '../../src/scenario/refs.ts';
import type { Scenario } from '../../src/scenario/types.ts';
import { apiNode, callNode, fixture, T0, type FixtureOptions } from './scenario-fixture.ts';

const MIN = 60_000;
const H = 60 * MIN;

type ClosedWindow = 'queue' | 'pause';

function paced(o: FixtureOptions, perMinute: number, closed: ClosedWindow = 'pause'): Scenario {
  return { ...fixture(o), pacing: { calls_per_minute: perMinute, closed_window: closed } };
}

const call = (window: string | string[], repeat = 1, interval = 30) => callNode(window, repeat, interval);

function drain(c: Campaign, until = Infinity): CampaignEvent[] {
  const out: CampaignEvent[] = [];
  for (let t = c.nextTime(); t !== null && t <= until; t = c.nextTime()) out.push(...c.advanceTo(t));
  return out;
}

/** Generated case ids are padded to the list's width (5 digits up to 99,999 rows). */
const caseId = (i: number, width = 5): string => `CASE-${String(i + 1).padStart(width, '0')}`;

/** Whether minute-truncated `t` is in any of `window`'s expressions (node-cron's match). */
function open(window: string | string[], tz: string, t: number): boolean {
  return ([] as string[]).concat(window).some((e) => isInWindow(e, tz, t));
}

/** The first `n` open minutes at or after `from` (a minute start). */
function openMinutes(window: string | string[], tz: string, from: number, n: number): number[] {
  const out: number[] = [];
  for (let t = from; out.length < n; t += MIN) if (open(window, tz, t)) out.push(t);
  return out;
}

/** Row i's slot under `pause` at `perMinute` (1 or 2) rows a minute. */
function slots(
  window: string | string[],
  tz: string,
  from: number,
  rows: number,
  perMinute: number,
): number[] {
  const minutes = openMinutes(window, tz, from, Math.ceil(rows / perMinute));
  return Array.from(
    { length: rows },
    (_, i) => minutes[Math.floor(i / perMinute)]! + (i % perMinute) * (MIN / perMinute),
  );
}

/** Each row's first dial in node `node` (first number, first attempt), by case id. */
function firstDials(events: CampaignEvent[], node = 0): Map<string, number> {
  const out = new Map<string, number>();
  for (const e of events) {
    if (e.kind !== 'dial.started' || e.data.node !== node) continue;
    if (e.data.attempt === 1 && e.data.number_index === 0) out.set(e.caseId, e.at);
  }
  return out;
}

const iso = (ts: number[]): string[] => ts.map((t) => new Date(t).toISOString());
const byRow = (m: Map<string, number>, rows: number): number[] =>
  Array.from({ length: rows }, (_, i) => m.get(caseId(i))!);

describe('pacing.closed_window: pause', () => {
  const W = '* 9-10 * * *';
  const TZ = 'Asia/Jakarta';

  it('a slot in a closed stretch moves to the next opening, after the rows before it, over two nights', () => {
    // 2 a minute from 09:00: 240 rows a day (09:00-10:59), 600 rows take until day 3, 09:59:30.
    const events = drain(createCampaign({ scenario: paced({ count: 600, window: W }, 2), startTime: T0 }));
    const want = slots(W, TZ, T0, 600, 2);
    assert.deepEqual(iso(byRow(firstDials(events), 600)), iso(want));
    assert.equal(new Date(want[240]!).toISOString(), '2024-03-12T02:00:00.000Z', 'day 2, 09:00 local');
    assert.equal(new Date(want[599]!).toISOString(), '2024-03-13T02:59:30.000Z', 'day 3, 09:59:30 local');
    // The rate holds in open time: never more than 2 first dials in a minute.
    const perMinute = new Map<number, number>();
    for (const t of firstDials(events).values()) {
      const m = Math.floor(t / MIN);
      perMinute.set(m, (perMinute.get(m) ?? 0) + 1);
    }
    assert.equal(Math.max(...perMinute.values()), 2);
  });

  it('queue (the default) starts the night rows together at the opening; pause one slot at a time', () => {
    const opening = T0 + 24 * H;
    const at = (closed?: ClosedWindow): number => {
      const s = closed
        ? paced({ count: 600, window: W }, 2, closed)
        : { ...fixture({ count: 600, window: W }), pacing: { calls_per_minute: 2 } };
      return [...firstDials(drain(createCampaign({ scenario: s, startTime: T0 }))).values()].filter(
        (t) => t === opening,
      ).length;
    };
    // queue: rows 240.. are paced 11:00-16:00 and wait for 09:00 the next day.
    assert.equal(at(), 360);
    assert.equal(at('queue'), 360);
    assert.equal(at('pause'), 1);
  });

  it('weekday calendars: Friday evening slots move to Monday, in another time zone', () => {
    const window = ['0-29 9 * * 1-5', '* 14-15 * * 1-5'];
    const tz = 'America/New_York';
    const friday = Date.UTC(2024, 2, 15, 12, 0); // 2024-03-15 08:00 EDT, a Friday
    const scenario = paced({ count: 200, timezone: tz, window, repeatNumber: 0 }, 1);
    const events = drain(createCampaign({ scenario, startTime: friday }));
    const want = slots(window, tz, friday, 200, 1);
    assert.deepEqual(iso(byRow(firstDials(events), 200)), iso(want));
    // Friday holds 150 open minutes; row 150 starts Monday 09:00 EDT.
    assert.equal(new Date(want[150]!).toISOString(), '2024-03-18T13:00:00.000Z');
  });

  it('two call nodes: the first call node’s window paces, the second only its own dials', () => {
    const first = '* 10-11 * * *';
    const second = '0-14 18 * * *';
    const scenario = paced(
      { count: 300, numbers: 1, nodes: [call(first, 1, 15), apiNode('API2'), call(second, 0, 5)] },
      1,
    );
    const events = drain(createCampaign({ scenario, startTime: T0 }));
    assert.deepEqual(iso(byRow(firstDials(events, 0), 300)), iso(slots(first, TZ, T0, 300, 1)));
    const later = [...firstDials(events, 2).values()];
    assert.ok(later.length > 0);
    for (const t of later)
      assert.ok(open(second, TZ, t), `${new Date(t).toISOString()} in the second window`);
  });

  it('an API node first: admission follows the first call node’s window, not node 0’s', () => {
    const window = '* 9 * * *';
    const nodes = [
      apiNode('API1'),
      call(window, 1, 25),
      apiNode('API3'),
      call('30-59 16 * * *', 1, 10),
      apiNode('API5'),
    ];
    const scenario = paced({ count: 120, nodes }, 1);
    const dials = byRow(firstDials(drain(createCampaign({ scenario, startTime: T0 })), 1), 120);
    // A row passes API1 1-3 s (api_delay_s) after its slot, then dials at once: its window is open.
    const want = slots(window, TZ, T0, 120, 1);
    assert.deepEqual(iso(dials.map((t) => Math.floor(t / MIN) * MIN)), iso(want));
    for (const [i, t] of dials.entries()) assert.ok(t - want[i]! >= 1000 && t - want[i]! <= 3000);
    const setup = setupCampaign({ scenario, startTime: T0 });
    assert.equal(setup.pacingWindow, setup.calendars.get(1));
  });

  it('redials keep their own timing: the node’s window after repeat_interval and the dialler delay', () => {
    const events = drain(
      createCampaign({
        scenario: paced({ count: 300, window: W, repeatNumber: 2, repeatInterval: 30 }, 2),
        startTime: T0,
      }),
    );
    const last = new Map<string, CampaignEvent<'dial.finished'>>();
    let redials = 0;
    let overnight = 0;
    for (const e of events) {
      if (e.kind === 'dial.finished') last.set(`${e.caseId} ${e.callee}`, e);
      if (e.kind !== 'dial.started' || e.data.attempt === 1) continue;
      const prev = last.get(`${e.caseId} ${e.callee}`)!;
      let due = prev.at + 30 * MIN + prev.data.redialDelayMs;
      while (!open(W, TZ, due)) due = (Math.floor(due / MIN) + 1) * MIN;
      assert.equal(e.at, due, `${e.caseId} redial ${e.data.attempt}`);
      redials++;
      if (e.at - prev.at > 12 * H) overnight++;
    }
    assert.ok(redials > 100);
    assert.ok(overnight > 0, 'some redials cross the night');
    // Redials take no pacer slot: the first dials are still exactly the paced slots.
    assert.deepEqual(iso(byRow(firstDials(events), 300)), iso(slots(W, TZ, T0, 300, 2)));
  });

  it('a cancel and an update of rows not admitted yet; rows uploaded at night join after them', () => {
    const c = createCampaign({
      scenario: paced({ count: 300, window: W, repeatNumber: 0 }, 2),
      startTime: T0,
    });
    const night = T0 + 4 * H; // 13:00 local: rows 0..239 admitted, 240.. not before tomorrow
    const events = drain(c, night);
    assert.equal(c.cancel({ case_id: caseId(250) }, night), 1);
    const fields = { variables: { name: 'Night Update', amount: '1.00' } };
    assert.equal(c.update({ case_id: caseId(260) }, fields, night), 1);
    c.addContacts([{ callee: '+6281299900001', case_id: 'UP-1', variables: { name: 'Up' } }], night);
    events.push(...c.advanceTo(night), ...drain(c));
    const cancelled = events.find((e) => e.kind === 'contact.finished' && e.caseId === caseId(250))!;
    assert.deepEqual([cancelled.at, cancelled.data], [night, { result: 'cancelled', nodes: 0 }]);
    const dials = firstDials(events);
    assert.equal(dials.has(caseId(250)), false);
    // The cancelled row keeps its slot (nobody moves up); the uploaded row takes the one after the list.
    const want = slots(W, TZ, T0, 301, 2);
    const got = byRow(dials, 300).map((t, i) => (i === 250 ? want[250]! : t));
    assert.deepEqual(iso([...got, dials.get('UP-1')!]), iso(want));
    const done = events.find((e) => e.kind === 'number.finished' && e.caseId === caseId(260))!;
    const payload = done.messages[0]!.payload as { details: { Variables: unknown }[] };
    assert.deepEqual(payload.details[0]!.Variables, fields.variables);
  });

  it('a stop at night cancels the rows not admitted at once, none dials after it', () => {
    const c = createCampaign({
      scenario: paced({ count: 300, window: W, repeatNumber: 0 }, 2),
      startTime: T0,
    });
    const night = T0 + 6 * H;
    const events = drain(c, night);
    c.stop(night);
    const after = drain(c);
    assert.equal(
      after.some((e) => e.kind === 'dial.started'),
      false,
    );
    const finished = [...events, ...after].filter((e) => e.kind === 'contact.finished');
    assert.equal(new Set(finished.map((e) => e.caseId)).size, 300);
    const late = after.filter((e) => e.kind === 'contact.finished');
    assert.equal(late.length, 60);
    for (const e of late) assert.deepEqual([e.at, e.data], [night, { result: 'cancelled', nodes: 0 }]);
    assert.equal(c.status(), 'Stopped');
  });

  it('large-campaign ships pause; its 10,000 rows start the first morning, so its bytes are queue’s', () => {
    const shipped = loadScenarioFile(resolveScenarioRef('large-campaign'), 'large-campaign');
    assert.deepEqual(shipped.pacing, { calls_per_minute: 600, closed_window: 'pause' });
    const bytes = (s: Scenario): string => JSON.stringify(drain(createCampaign({ scenario: s })));
    const queued = { ...shipped, pacing: { calls_per_minute: 600, closed_window: 'queue' as const } };
    assert.equal(bytes(shipped), bytes(queued));
  });

  it('100,000 rows from 20:30: nothing waits overnight, and 600 first dials in the first minute of the morning', () => {
    const evening = Date.UTC(2024, 2, 11, 13, 30); // 20:30 local, 30 minutes before the close
    const morning = Date.UTC(2024, 2, 12, 1, 0); // 08:00 the next day
    const scenario = paced(
      { count: 100_000, window: '* 8-20 * * *', repeatNumber: 1, repeatInterval: 15 },
      600,
    );
    const run = new CampaignRun(setupCampaign({ scenario, startTime: evening }));
    const night = run.advanceTo(morning - MIN);
    // Only the 18,000 evening rows were admitted; those still held wait for a redial.
    assert.equal(firstDials(night).size, 18_000);
    const held = run.rowsHeld();
    assert.deepEqual({ waiting: held.waiting, dialling: held.dialling }, { waiting: 0, dialling: 0 });
    assert.ok(held.made < 18_000);
    const first = [...firstDials(run.advanceTo(morning + MIN - 1)).keys()];
    assert.deepEqual(
      first,
      Array.from({ length: 600 }, (_, i) => caseId(18_000 + i, 6)),
    );
  });
});
