/**
 * DeliveryService.resume: a delivery read back from a journal continues where it stopped —
 * numbering and the retry budget after its attempts, the fixed cadence, the same bytes and
 * signature — and an attempt that was in flight when the process died counts as `interrupted`.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createVirtualClock } from '../../src/clock/virtual-clock.ts';
import { verifySignature } from '../../src/core/signing.ts';
import { createAttemptLog } from '../../src/delivery/attempt-log.ts';
import { createDeliveryService, type DeliveryServiceOptions } from '../../src/delivery/delivery-service.ts';
import type { AttemptRecord, DeliveryRecord, DeliveryStore, Send } from '../../src/delivery/types.ts';
import { startReceiver, type Receiver } from '../helpers/receiver.ts';
import { pushPayload } from './payloads.ts';

const T0 = Date.UTC(2024, 2, 11, 7, 58, 0);
const MIN = 60_000;

/** A store that keeps, like the journal, a JSON snapshot of every write. */
function journalingStore(): DeliveryStore & { snapshots: string[]; last(id: string): DeliveryRecord } {
  const inner = createAttemptLog();
  const snapshots: string[] = [];
  return {
    snapshots,
    put(d) {
      snapshots.push(JSON.stringify(d));
      inner.put(d);
    },
    get: (id) => inner.get(id),
    list: () => inner.list(),
    last(id) {
      for (let i = snapshots.length - 1; i >= 0; i--) {
        const d = JSON.parse(snapshots[i]!) as DeliveryRecord;
        if (d.id === id) return d;
      }
      throw new Error(`no snapshot of ${id}`);
    },
  };
}

function service(startTime: number, opts: Partial<DeliveryServiceOptions> = {}) {
  const clock = createVirtualClock({ startTime });
  const store = journalingStore();
  const svc = createDeliveryService({ clock, store, ...opts });
  return { clock, store, svc };
}

const failed = (n: number, at: number): AttemptRecord => ({
  n,
  at,
  ok: false,
  status: 500,
  error: 'non-2xx',
  latencyMs: 1,
});

describe('delivery service: resume after a restart', () => {
  const receivers: Receiver[] = [];
  const rx = async (...args: Parameters<typeof startReceiver>) => {
    const r = await startReceiver(...args);
    receivers.push(r);
    return r;
  };
  after(async () => {
    await Promise.all(receivers.map((r) => r.close()));
  });

  /** A delivery made by a first service that failed `done` times, as its last store write says. */
  async function recorded(r: Receiver, id: string, done: number): Promise<DeliveryRecord> {
    const first = service(T0, { policy: { maxRetries: done - 1 } });
    first.svc.deliver({ id, type: 'custom-api-node-push', url: r.url, key: 'k3y', payload: pushPayload(7) });
    await first.svc.settled();
    first.svc.close();
    const saved = first.store.last(id);
    assert.equal(saved.attempts.length, done);
    // As it was before the budget ran out: pending, the next attempt planned on the cadence.
    return {
      ...saved,
      policy: { ...saved.policy, maxRetries: 5 },
      outcome: 'pending',
      nextAttemptAt: T0 + done * MIN,
    };
  }

  it('continues numbering, cadence and budget after the recorded attempts, with the same bytes', async () => {
    const r = await rx({ respond: 500 });
    const saved = await recorded(r, 'resumed', 2);
    const firstBytes = r.requests[0]!.raw;
    const firstSign = r.requests[0]!.headers['x-airudder-sign'];

    // Restarted 30 s before attempt 3 was due.
    const { svc, clock } = service(T0 + 2 * MIN - 30_000);
    const d = svc.resume(saved);
    assert.equal(d.nextAttemptAt, T0 + 2 * MIN);
    await svc.settled();
    assert.equal(d.outcome, 'exhausted');
    assert.deepEqual(
      d.attempts.map((a) => [a.n, a.at - T0, a.error]),
      [1, 2, 3, 4, 5, 6].map((n) => [n, (n - 1) * MIN, 'non-2xx']),
    );
    const seen = r.forKey('resumed');
    assert.deepEqual(
      seen.map((q) => q.headers['x-emulator-attempt']),
      ['1', '2', '3', '4', '5', '6'],
      'no attempt number twice',
    );
    for (const q of seen) {
      assert.deepEqual(q.raw, firstBytes, 'same bytes on every attempt');
      assert.equal(q.headers['x-airudder-sign'], firstSign, 'same signature');
      assert.ok(verifySignature(q.raw, q.headers, 'k3y'));
    }
    assert.ok(clock.now() >= T0 + 5 * MIN);
    svc.close();
  });

  it('sends at once when the planned instant passed while the emulator was down', async () => {
    const r = await rx({ respond: 500 });
    const saved = await recorded(r, 'late', 1);
    const restart = T0 + 7.5 * MIN;
    const { svc } = service(restart, { policy: { maxRetries: 5 } });
    const d = svc.resume(saved);
    await svc.settled();
    // Attempt 2 at once; then the cadence goes on from there.
    assert.deepEqual(
      d.attempts.map((a) => [a.n, a.at - T0]),
      [
        [1, 0],
        [2, 7.5 * MIN],
        [3, 8.5 * MIN],
        [4, 9.5 * MIN],
        [5, 10.5 * MIN],
        [6, 11.5 * MIN],
      ],
    );
    assert.equal(d.outcome, 'exhausted');
    svc.close();
  });

  it('counts an attempt in flight at the kill as interrupted, and never reuses its number', async () => {
    // First life: attempt 1 fails, attempt 2 never answers (the process dies during it).
    let calls = 0;
    const send: Send = (req) => {
      calls++;
      if (req.headers['X-Emulator-Attempt'] === '1') return Promise.resolve({ status: 503, response: '' });
      return new Promise(() => {}); // in flight forever
    };
    const first = service(T0, { send });
    first.svc.deliver({
      id: 'cut',
      type: 'custom-api-node-push',
      url: 'http://rx.test/cb',
      payload: pushPayload(1),
    });
    while (calls < 2) await new Promise((res) => setImmediate(res));
    // What the journal holds at the kill: attempt 1, and attempt 2 in flight (nothing planned).
    const saved = first.store.last('cut');
    assert.equal(saved.outcome, 'pending');
    assert.equal(saved.nextAttemptAt, null);
    assert.deepEqual(
      saved.attempts.map((a) => a.n),
      [1],
    );
    first.svc.close();
    first.clock.close();

    // Second life, 10 s after attempt 2 was due.
    const r = await rx({ failFirst: 1 });
    const second = service(T0 + MIN + 10_000);
    const d = second.svc.resume({ ...saved, url: r.url });
    assert.deepEqual(d.attempts[1], {
      n: 2,
      at: T0 + MIN,
      ok: false,
      error: 'interrupted',
      message: 'in flight when the emulator stopped; the receiver may have seen it',
      latencyMs: 0,
    });
    assert.equal(d.nextAttemptAt, T0 + 2 * MIN, 'attempt 3 on the fixed cadence');
    await second.svc.settled();
    assert.deepEqual(
      d.attempts.map((a) => [a.n, a.at - T0, a.error ?? 'ok']),
      [
        [1, 0, 'non-2xx'],
        [2, MIN, 'interrupted'],
        [3, 2 * MIN, 'non-2xx'],
        [4, 3 * MIN, 'ok'],
      ],
    );
    assert.deepEqual(
      r.forKey('cut').map((q) => q.headers['x-emulator-attempt']),
      ['3', '4'],
    );
    assert.equal(d.outcome, 'delivered');
    // The store heard of the interrupted attempt before anything else was sent.
    assert.equal(second.store.last('cut').outcome, 'delivered');
    second.svc.close();
  });

  it('ends exhausted without sending when the interrupted attempt was the last of the budget', async () => {
    const r = await rx();
    const saved: DeliveryRecord = {
      ...(await recorded(r, 'last', 1)),
      attempts: [1, 2, 3, 4, 5].map((n) => failed(n, T0 + (n - 1) * MIN)),
      nextAttemptAt: null,
    };
    const before = r.requests.length;
    const { svc } = service(T0 + 6 * MIN);
    const d = svc.resume(saved);
    await svc.settled();
    assert.equal(d.outcome, 'exhausted');
    assert.deepEqual(
      d.attempts.map((a) => [a.n, a.error]),
      [
        [1, 'non-2xx'],
        [2, 'non-2xx'],
        [3, 'non-2xx'],
        [4, 'non-2xx'],
        [5, 'non-2xx'],
        [6, 'interrupted'],
      ],
    );
    assert.equal(r.requests.length, before, 'no 7th attempt: the budget is 5 retries');
    svc.close();
  });

  it('adopts the record its store already holds, and resumes chaos duplicates without an id clash', async () => {
    const r = await rx({ respond: 500 });
    const first = service(T0, { chaos: { duplicateRate: 1 }, policy: { maxRetries: 0 } });
    first.svc.deliver({ id: 'twin', type: 'custom-api-node-push', url: r.url, payload: pushPayload(3) });
    await first.svc.settled();
    first.svc.close();
    const pendingAgain = (id: string): DeliveryRecord => ({
      ...first.store.last(id),
      policy: { timeoutMs: 10_000, retryIntervalMs: MIN, maxRetries: 1 },
      outcome: 'pending',
      nextAttemptAt: T0 + MIN,
    });

    // The restarted store already holds both records (the journal replay), as the server's does.
    const store = journalingStore();
    const twin = pendingAgain('twin');
    const dup = pendingAgain('twin.dup');
    store.put(twin);
    store.put(dup);
    r.setRespond(200);
    const clock = createVirtualClock({ startTime: T0 + 30_000 });
    const svc = createDeliveryService({ clock, store, chaos: { duplicateRate: 1 } });
    assert.equal(svc.resume(twin), twin);
    assert.equal(svc.resume(dup), dup);
    assert.throws(() => svc.resume(twin), /duplicate delivery id/);
    await svc.settled();
    assert.equal(svc.list().length, 2, 'no third delivery');
    for (const d of [twin, dup]) {
      assert.equal(d.outcome, 'delivered');
      assert.deepEqual(
        d.attempts.map((a) => a.n),
        [1, 2],
      );
      assert.deepEqual(
        r.forKey(d.id).map((q) => q.headers['x-emulator-attempt']),
        ['1', '2'],
      );
    }
    svc.close();
  });
});
