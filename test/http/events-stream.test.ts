/**
 * GET /__emulator/events: the core's event stream as server-sent events — what the dashboard's
 * live view listens to. A triggered scenario's workflow, calls and deliveries arrive in order, as
 * JSON without payloads.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Emulator } from '../../src/server/emulator.ts';
import { startEmulator } from './fixture.ts';

interface Streamed {
  type: string;
  workflowId?: string;
  delivery?: { id: string; type: string; outcome: string; attempts: number; workflowId?: string };
  attempt?: { n: number; ok: boolean; status?: number };
}

describe('GET /__emulator/events', () => {
  let emu: Emulator;
  before(async () => {
    emu = await startEmulator();
  });
  after(() => emu.close());

  it('streams the workflow, its calls and its deliveries as they happen', async () => {
    const ctl = new AbortController();
    const res = await fetch(`${emu.adminUrl}/events`, { signal: ctl.signal });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/event-stream/);
    const events: Streamed[] = [];
    const reading = (async () => {
      const decoder = new TextDecoder();
      let buffer = '';
      try {
        for await (const chunk of res.body!) {
          buffer += decoder.decode(chunk as Uint8Array, { stream: true });
          let end;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const data = block.split('\n').find((l) => l.startsWith('data: '));
            if (data) events.push(JSON.parse(data.slice(6)) as Streamed);
          }
        }
      } catch {
        // aborted
      }
    })();
    const { workflowId } = emu.trigger('tele');
    await emu.idle();
    // Let the last writes reach the client.
    while (!events.some((e) => e.type === 'workflow:status' && 'status' in e && e.status === 'Finished')) {
      await new Promise((r) => setImmediate(r));
    }
    ctl.abort();
    await reading;

    const types = events.map((e) => e.type);
    assert.equal(types[0], 'workflow:created');
    assert.ok(events.every((e) => (e.workflowId ?? e.delivery?.workflowId) === workflowId));
    for (const t of [
      'call:started',
      'call:finished',
      'contact:finished',
      'delivery:created',
      'delivery:delivered',
    ])
      assert.ok(types.includes(t), `${t} in ${types.join(', ')}`);
    const attempt = events.find((e) => e.type === 'delivery:attempt')!;
    assert.deepEqual(Object.keys(attempt.delivery!).sort(), [
      'attempts',
      'id',
      'outcome',
      'type',
      'url',
      'workflowId',
    ]);
    assert.equal(attempt.attempt!.n, 1);
    assert.equal(attempt.attempt!.status, 200);
    const created = events.filter((e) => e.type === 'delivery:created').length;
    assert.equal(created, emu.deliveries({ workflow: workflowId }).length);
  });
});
