/**
 * A workflow triggered outside its calling window says it is waiting, and until when: in the
 * admin API (list and detail), as a `workflow:waiting` event (once per wait), and in the `serve`
 * activity log; once the window opens it is no longer waiting.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { formatActivity } from '../../src/cli/activity-log.ts';
import { buildEmulator, type BuiltEmulator, type EmulatorEvent } from '../../src/server/emulator.ts';

// Monday 2024-03-11 23:00 in Jakarta: collection-ptp calls "* 9-11,13-20 * * 1-6" there.
const NIGHT = Date.UTC(2024, 2, 11, 16, 0);
const OPENS = Date.UTC(2024, 2, 12, 2, 0); // Tuesday 09:00 Asia/Jakarta

describe('a workflow waiting for its calling window', () => {
  let emu: BuiltEmulator;
  const events: EmulatorEvent[] = [];
  let workflowId: string;

  before(async () => {
    emu = buildEmulator({
      seed: 3,
      clock: 'virtual:manual',
      startTime: NIGHT,
      scenarios: ['collection-ptp'],
      onEvent: (e) => events.push(e),
    });
    workflowId = emu.trigger('collection-ptp').workflowId;
    await emu.advance(0);
  });
  after(() => emu.close());

  it('the admin API says so, with the first call time, in the list and the detail', async () => {
    const list = await request(emu.app).get('/__emulator/workflows');
    const w = list.body.list.find((x: { workflow_id: string }) => x.workflow_id === workflowId);
    assert.equal(w.status, 'Running');
    assert.deepEqual(w.waiting, { reason: 'calling_window', until: OPENS });
    assert.equal(w.calls, 0);
    const detail = await request(emu.app).get(`/__emulator/workflows/${workflowId}`);
    assert.deepEqual(detail.body.workflow.waiting, { reason: 'calling_window', until: OPENS });
  });

  it('one workflow:waiting event, which the activity log turns into a line', () => {
    const waits = events.filter((e) => e.type === 'workflow:waiting');
    assert.equal(waits.length, 1, JSON.stringify(waits));
    const e = waits[0]!;
    assert.deepEqual(
      { ...e },
      {
        type: 'workflow:waiting',
        workflowId,
        workflowName: 'collection_d1_jakarta',
        at: NIGHT,
        timeZone: 'Asia/Jakarta',
        reason: 'calling_window',
        until: OPENS,
      },
    );
    assert.equal(
      formatActivity(e, { now: () => NIGHT, timeZoneOf: () => 'Asia/Jakarta' }),
      `23:00:00  workflow ${workflowId} (collection_d1_jakarta) waiting for its calling window: ` +
        'next call at 2024-03-12 09:00:00 (Asia/Jakarta), in 10 h of clock time',
    );
  });

  it('no longer waiting once the window opens and calls start', async () => {
    await emu.advance(OPENS - NIGHT + 60_000);
    const list = await request(emu.app).get('/__emulator/workflows');
    const w = list.body.list.find((x: { workflow_id: string }) => x.workflow_id === workflowId);
    assert.equal(w.waiting, null);
    assert.ok(w.calls > 0, 'calls started at the window');
    assert.equal(events.filter((e) => e.type === 'workflow:waiting').length, 1);
  });
});

describe('a workflow inside its window is not waiting', () => {
  it('waiting is null from the start', async () => {
    const emu = buildEmulator({
      seed: 3,
      clock: 'virtual:manual',
      startTime: OPENS,
      scenarios: ['collection-ptp'],
    });
    try {
      const { workflowId } = emu.trigger('collection-ptp');
      await emu.advance(0);
      const list = await request(emu.app).get('/__emulator/workflows');
      const w = list.body.list.find((x: { workflow_id: string }) => x.workflow_id === workflowId);
      assert.equal(w.waiting, null);
    } finally {
      await emu.close();
    }
  });
});
