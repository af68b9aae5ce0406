import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer } from 'node:net';
import { createVirtualClock } from '../../src/clock/virtual-clock.ts';
import { decryptCallback } from '../../src/core/aes.ts';
import { verifySignature } from '../../src/core/signing.ts';
import {
  createDeliveryService,
  DeliveryValidationError,
  type DeliveryServiceOptions,
} from '../../src/delivery/delivery-service.ts';
import type { DeliveryEvent, Send } from '../../src/delivery/types.ts';
import type { CustomApiNodePush } from '../../src/generated/types.ts';
import { startReceiver, type Receiver } from '../helpers/receiver.ts';
import { createFakeWall, settle } from '../clock/fake-wall.ts';
import { pushPayload } from './payloads.ts';

const T0 = Date.UTC(2024, 2, 11, 7, 58, 0);
const MIN = 60_000;

function setup(opts: Partial<DeliveryServiceOptions> = {}) {
  const clock = createVirtualClock({ startTime: T0 });
  const events: DeliveryEvent[] = [];
  const service = createDeliveryService({ clock, onEvent: (e) => events.push(e), ...opts });
  return { clock, service, events };
}

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as { port: number };
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

describe('delivery service', () => {
  const receivers: Receiver[] = [];
  const rx = async (...args: Parameters<typeof startReceiver>) => {
    const r = await startReceiver(...args);
    receivers.push(r);
    return r;
  };
  after(async () => {
    await Promise.all(receivers.map((r) => r.close()));
  });

  it('POSTs the exact serialized body with the vendor headers, a verifiable signature and debug headers', async () => {
    const r = await rx();
    const { service, clock } = setup();
    const payload = pushPayload(1);
    const d = service.deliver({ id: 'm1', type: 'custom-api-node-push', url: r.url, key: 'k3y', payload });
    await service.settled();
    assert.equal(r.requests.length, 1);
    const req = r.requests[0]!;
    assert.equal(req.method, 'POST');
    assert.equal(req.path, '/callback');
    assert.equal(req.body, JSON.stringify(payload));
    assert.equal(req.headers['content-type'], 'application/json');
    assert.equal(req.headers['user-agent'], 'Airudder');
    assert.equal(req.headers['x-emulator-delivery-id'], 'm1');
    assert.equal(req.headers['x-emulator-attempt'], '1');
    assert.ok(verifySignature(req.raw, req.headers, 'k3y'));
    assert.equal(verifySignature(req.raw, req.headers, 'airudder'), false);
    assert.equal(d.outcome, 'delivered');
    assert.equal(d.attempts.length, 1);
    assert.deepEqual(
      { ...d.attempts[0], latencyMs: 0 },
      { n: 1, at: T0, ok: true, status: 200, latencyMs: 0, response: '{}' },
    );
    assert.equal(clock.now() >= T0, true);
    service.close();
  });

  it('after close(): nothing more is sent — neither attempts waiting for a slot nor the retry of one in flight', async () => {
    const held: ((o: { status: number; response: string }) => void)[] = [];
    let sent = 0;
    const send: Send = () => {
      sent++;
      return new Promise((resolve) => held.push(resolve));
    };
    const { clock, service } = setup({ send, concurrencyPerTarget: 1 });
    const ds = [1, 2, 3].map((i) =>
      service.deliver({
        id: `c${i}`,
        type: 'custom-api-node-push',
        url: 'http://x.test/cb',
        payload: pushPayload(i),
      }),
    );
    while (held.length === 0) await settle();
    service.close();
    held[0]!({ status: 500, response: 'down' });
    await clock.runUntilIdle();
    assert.equal(sent, 1);
    assert.deepEqual(
      ds.map((d) => [d.outcome, d.attempts.map((a) => a.status)]),
      [
        ['pending', [500]],
        ['pending', []],
        ['pending', []],
      ],
    );
    assert.equal(ds[0]!.nextAttemptAt, T0 + MIN, 'the retry stays planned, for a journal to resume');
  });

  it('sends byte-exact vendor requests when the debug headers are off', async () => {
    const r = await rx();
    const { service } = setup({ debugHeaders: false, signing: 'none' });
    service.deliver({ type: 'custom-api-node-push', url: r.url, payload: pushPayload(2) });
    await service.settled();
    const names = Object.keys(r.requests[0]!.headers).sort();
    assert.deepEqual(names, ['connection', 'content-length', 'content-type', 'host', 'user-agent']);
    service.close();
  });

  it('makes exactly 6 attempts, 60 s of clock time apart, against a receiver that always fails', async () => {
    const r = await rx({ respond: 500 });
    const { service, events } = setup();
    const d = service.deliver({
      id: 'always',
      type: 'custom-api-node-push',
      url: r.url,
      payload: pushPayload(3),
    });
    await service.settled();
    assert.equal(d.outcome, 'exhausted');
    assert.deepEqual(
      d.attempts.map((a) => [a.n, a.at - T0, a.status, a.error]),
      [0, 1, 2, 3, 4, 5].map((k) => [k + 1, k * MIN, 500, 'non-2xx']),
    );
    assert.equal(d.attempts[0]!.response, '{"error":"status 500"}');
    assert.equal(r.forKey('always').length, 6);
    assert.deepEqual(
      r.forKey('always').map((q) => q.headers['x-emulator-attempt']),
      ['1', '2', '3', '4', '5', '6'],
    );
    assert.deepEqual(
      events.map((e) => e.type),
      ['delivery:created', ...Array(6).fill('delivery:attempt'), 'delivery:exhausted'],
    );
    assert.equal(service.get('always'), d, 'exhausted deliveries are kept');
    service.close();
  });

  for (const n of [1, 2, 3, 4, 5]) {
    it(`makes exactly ${n + 1} attempts when the receiver fails the first ${n}`, async () => {
      const r = await rx({ failFirst: n });
      const { service } = setup();
      const d = service.deliver({
        id: `f${n}`,
        type: 'custom-api-node-push',
        url: r.url,
        payload: pushPayload(n),
      });
      await service.settled();
      assert.equal(d.outcome, 'delivered');
      assert.equal(d.attempts.length, n + 1);
      assert.equal(r.forKey(`f${n}`).length, n + 1);
      assert.deepEqual(
        d.attempts.map((a) => a.at - T0),
        Array.from({ length: n + 1 }, (_, k) => k * MIN),
      );
      assert.ok(d.attempts.slice(0, n).every((a) => !a.ok) && d.attempts[n]!.ok);
      service.close();
    });
  }

  it('records a hanging receiver as a timeout after the (configured) deadline, then retries on cadence', async () => {
    const r = await rx({ respond: 'hang' });
    // 200 ms keeps the test fast; the default is the vendor's 10 s.
    const { service } = setup({ policy: { timeoutMs: 200, maxRetries: 1 } });
    const d = service.deliver({
      id: 'hang',
      type: 'custom-api-node-push',
      url: r.url,
      payload: pushPayload(4),
    });
    await service.settled();
    assert.equal(d.outcome, 'exhausted');
    assert.deepEqual(
      d.attempts.map((a) => [a.n, a.at - T0, a.error, a.status]),
      [
        [1, 0, 'timeout', undefined],
        [2, MIN, 'timeout', undefined],
      ],
    );
    assert.equal(r.forKey('hang').length, 2);
    service.close();
  });

  it("applies the vendor's default 10 s deadline in real time, while the virtual clock waits short of the retry", async () => {
    // A hand-driven wall: the 10 s of silence cost no real time in the test.
    const wall = createFakeWall();
    const clock = createVirtualClock({ startTime: T0, wall });
    const send: Send = (req) =>
      new Promise((resolve) =>
        req.signal!.addEventListener('abort', () => resolve({ error: 'timeout', message: 'x' })),
      );
    const service = createDeliveryService({ clock, wall, send, policy: { maxRetries: 1 } });
    const d = service.deliver({
      id: 'silent',
      type: 'custom-api-node-push',
      url: 'http://rx.test/cb',
      payload: pushPayload(1),
    });
    await settle();
    wall.tick(9_999);
    await settle();
    assert.equal(d.attempts.length, 0, 'still waiting after 9.999 s');
    assert.equal(clock.now(), T0, 'nothing is due before the retry instant: the clock stands still');
    wall.tick(1);
    await settle();
    assert.deepEqual(
      d.attempts.map((a) => [a.n, a.at - T0, a.error, a.latencyMs]),
      [[1, 0, 'timeout', 10_000]],
    );
    await settle();
    assert.equal(clock.now(), T0 + MIN, 'then it jumps to the retry, exactly 60 s after the first attempt');
    wall.tick(10_000);
    await service.settled();
    assert.deepEqual(
      d.attempts.map((a) => a.at - T0),
      [0, MIN],
    );
    assert.equal(d.outcome, 'exhausted');
  });

  it('classifies a reset connection and a refused connection', async () => {
    const r = await rx({ respond: 'reset' });
    const port = await freePort();
    const { service } = setup({ policy: { maxRetries: 0 } });
    const reset = service.deliver({ type: 'custom-api-node-push', url: r.url, payload: pushPayload(5) });
    const refused = service.deliver({
      type: 'custom-api-node-push',
      url: `http://127.0.0.1:${port}/cb`,
      payload: pushPayload(6),
    });
    await service.settled();
    assert.equal(reset.attempts[0]!.error, 'reset');
    assert.equal(refused.attempts[0]!.error, 'refused');
    assert.equal(refused.attempts[0]!.message, 'ECONNREFUSED');
    assert.equal(reset.outcome, 'exhausted');
    service.close();
  });

  it('applies per-delivery (template) policy over the global one', async () => {
    const r = await rx({ respond: 503 });
    const { service } = setup({ policy: { maxRetries: 4 } });
    const d = service.deliver({
      type: 'custom-api-node-push',
      url: r.url,
      payload: pushPayload(7),
      policy: { maxRetries: 2, retryIntervalMs: 5_000 },
    });
    await service.settled();
    assert.deepEqual(
      d.attempts.map((a) => a.at - T0),
      [0, 5_000, 10_000],
    );
    service.close();
  });

  it('starts the first attempt at the message time, not before', async () => {
    const r = await rx();
    const { service } = setup();
    const d = service.deliver({
      type: 'custom-api-node-push',
      url: r.url,
      payload: pushPayload(8),
      at: T0 + 90_000,
    });
    await service.settled();
    assert.equal(d.attempts[0]!.at, T0 + 90_000);
    service.close();
  });

  it('replays a delivery as a new attempt series linked to the old one, with the same bytes', async () => {
    const r = await rx({ respond: 500 });
    const { service, clock } = setup({ policy: { maxRetries: 0 } });
    const d = service.deliver({
      id: 'orig',
      type: 'custom-api-node-push',
      url: r.url,
      payload: pushPayload(9),
    });
    await service.settled();
    assert.equal(d.outcome, 'exhausted');
    r.setRespond(200);
    await clock.idle();
    const now = clock.now();
    const again = service.replay('orig');
    assert.equal(again.id, 'orig.replay1');
    assert.equal(again.replayOf, 'orig');
    assert.deepEqual(d.replays, ['orig.replay1']);
    await service.settled();
    assert.equal(again.outcome, 'delivered');
    assert.equal(again.attempts[0]!.at, now, 'a replay starts now (clock time)');
    assert.equal(r.requests.length, 2);
    assert.deepEqual(r.requests[1]!.raw, r.requests[0]!.raw);
    assert.equal(r.requests[1]!.headers['x-emulator-delivery-id'], 'orig.replay1');
    assert.equal(service.replay('orig').id, 'orig.replay2');
    await service.settled();
    assert.throws(() => service.replay('nope'), /unknown delivery/);
    service.close();
  });

  it("encrypts with the vendor's AES scheme when configured", async () => {
    const r = await rx();
    const { service } = setup({ encryption: { key: 'airudderredduria' } });
    const payload = pushPayload(10);
    // A push is signed only when its template configures a key (its page names no KEY).
    const d = service.deliver({ type: 'custom-api-node-push', url: r.url, key: 'push-key', payload });
    await service.settled();
    const req = r.requests[0]!;
    assert.match(req.body, /^[A-Za-z0-9+/]+=*$/);
    assert.equal(req.headers['is-encrypted'], '1');
    assert.deepEqual(decryptCallback(req.raw, req.headers, 'airudderredduria').payload, payload);
    assert.ok(
      verifySignature(req.raw, req.headers, 'push-key'),
      'the signature covers the bytes on the wire',
    );
    assert.equal(d.encrypted, true);
    service.close();
  });

  it('refuses a payload that does not match its schema (an emulator bug), sending nothing', async () => {
    const r = await rx();
    const { service } = setup();
    assert.throws(
      () =>
        service.deliver({
          type: 'custom-api-node-push',
          url: r.url,
          payload: { workflow_id: 1 } as unknown as CustomApiNodePush,
        }),
      (err: unknown) => err instanceof DeliveryValidationError && /workflow_id/.test(err.message),
    );
    assert.equal(service.list().length, 0);
    assert.equal(r.requests.length, 0);
    service.close();
  });

  it('bounds concurrency per target', async () => {
    let active = 0;
    let peak = 0;
    const perTarget = new Map<string, number>();
    const send: Send = async (req) => {
      const host = new URL(req.url).host;
      perTarget.set(host, (perTarget.get(host) ?? 0) + 1);
      active++;
      peak = Math.max(peak, perTarget.get(host)!);
      await new Promise((res) => setImmediate(res));
      active--;
      perTarget.set(host, perTarget.get(host)! - 1);
      return { status: 200, response: '' };
    };
    const { service } = setup({ send, concurrencyPerTarget: 3 });
    for (let i = 0; i < 20; i++) {
      service.deliver({
        type: 'custom-api-node-push',
        url: `http://t${i % 2}.test/cb`,
        payload: pushPayload(i),
      });
    }
    await service.settled();
    assert.equal(peak, 3);
    assert.equal(active, 0);
    assert.ok(service.list().every((d) => d.outcome === 'delivered'));
  });
});

describe('delivery at scale', () => {
  let r: Receiver;
  before(async () => {
    // Fails at random (a fixed pseudo-random pattern per delivery and attempt), half 500s, half resets.
    r = await startReceiver({
      respond: (q) => {
        const h = createHash('sha256').update(`${q.key}#${q.nth}`).digest().readUInt32BE(0);
        return h % 100 < 40 ? 200 : h % 2 === 0 ? 500 : 'reset';
      },
    });
  });
  after(() => r.close());

  it('loses nothing when 1,000 contacts meet a receiver that fails at random', async () => {
    const { service, clock } = setup();
    for (let i = 0; i < 1_000; i++) {
      service.deliver({ id: `c${i}`, type: 'custom-api-node-push', url: r.url, payload: pushPayload(i) });
    }
    await service.settled();
    await clock.idle();
    const all = service.list();
    assert.equal(all.length, 1_000);
    let attempts = 0;
    for (const d of all) {
      assert.notEqual(d.outcome, 'pending');
      attempts += d.attempts.length;
      const seen = r.forKey(d.id);
      assert.equal(seen.length, d.attempts.length, `receiver saw every attempt of ${d.id}`);
      if (d.outcome === 'delivered') {
        assert.equal(seen.at(-1)!.action, 200);
        assert.ok(d.attempts.at(-1)!.ok);
      } else {
        assert.equal(d.attempts.length, 6);
        assert.ok(seen.every((q) => q.action !== 200));
      }
      d.attempts.forEach((a, k) => assert.equal(a.at, T0 + k * MIN));
    }
    assert.equal(attempts, r.requests.length);
    const delivered = all.filter((d) => d.outcome === 'delivered').length;
    // 40 % success per attempt: about 1 in 21 deliveries exhausts its 6 attempts.
    assert.ok(delivered > 900 && delivered < 1_000, `mostly delivered, some exhausted (${delivered})`);
    service.close();
  });
});
