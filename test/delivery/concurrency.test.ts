/**
 * Attempts in flight under the virtual clock: the clock moves on to other deliveries due before an
 * in-flight attempt's retry instant, so deliveries overlap; deadlines stay real time; and a
 * receiver handling a callback sees the clock at or after the attempt's instant, never before.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createVirtualClock } from '../../src/clock/virtual-clock.ts';
import { createDeliveryService, DELIVERY_ID_HEADER } from '../../src/delivery/delivery-service.ts';
import type { Send, SendOutcome } from '../../src/delivery/types.ts';
import { createFakeWall, settle } from '../clock/fake-wall.ts';
import { pushPayload } from './payloads.ts';
import { createEmulator } from '../../src/server/emulator.ts';
import { scenario, START } from '../http/fixture.ts';

const T0 = Date.UTC(2024, 2, 11, 7, 58, 0);
const SEC = 1_000;
const MIN = 60_000;

const ok: SendOutcome = { status: 200, response: '{}' };

/** An injected transport that holds every attempt until the test answers it (or `answerAll()`). */
function heldSend(now: () => number) {
  const held: { id: string; sentAt: number; answer: (o: SendOutcome) => void }[] = [];
  let auto = false;
  const send: Send = (req) =>
    new Promise((resolve) => {
      held.push({ id: req.headers[DELIVERY_ID_HEADER]!, sentAt: now(), answer: resolve });
      if (auto) resolve(ok);
    });
  const answerAll = () => {
    auto = true;
    for (const h of held) h.answer(ok);
  };
  return { held, send, answerAll };
}

describe('concurrent delivery on the virtual clock', () => {
  const servers: http.Server[] = [];
  after(async () => {
    for (const s of servers) {
      s.closeAllConnections();
      await new Promise((r) => s.close(r));
    }
  });

  it('sends every delivery due before the earliest retry instant in flight, without waiting for answers', async () => {
    const clock = createVirtualClock({ startTime: T0 });
    const { held, send, answerAll } = heldSend(clock.now);
    const service = createDeliveryService({ clock, send });
    for (const [id, s] of [
      ['a', 0],
      ['b', 10],
      ['c', 30],
      ['d', 59],
      ['e', 60],
      ['f', 90],
    ] as const) {
      service.deliver({
        id,
        type: 'custom-api-node-push',
        url: 'http://rx.test/cb',
        payload: pushPayload(s),
        at: T0 + s * SEC,
      });
    }
    await settle(30);
    assert.deepEqual(
      held.map((h) => [h.id, h.sentAt - T0]),
      [
        ['a', 0],
        ['b', 10 * SEC],
        ['c', 30 * SEC],
        ['d', 59 * SEC],
      ],
      "four in flight at once; e is due at a's retry instant, which waits for a's answer",
    );
    held[0]!.answer(ok);
    await settle(30);
    assert.deepEqual(
      held.slice(4).map((h) => [h.id, h.sentAt - T0]),
      [['e', 60 * SEC]],
      "a answered: the earliest retry instant in flight is b's (70 s), so e goes and f (90 s) waits",
    );
    answerAll();
    await service.settled();
    assert.deepEqual(
      held.map((h) => h.id),
      ['a', 'b', 'c', 'd', 'e', 'f'],
    );
    assert.deepEqual(
      service.list().map((d) => [d.id, d.attempts.map((x) => x.at - T0)]),
      [
        ['a', [0]],
        ['b', [10 * SEC]],
        ['c', [30 * SEC]],
        ['d', [59 * SEC]],
        ['e', [60 * SEC]],
        ['f', [90 * SEC]],
      ],
    );
    service.close();
    clock.close();
  });

  it('overlaps at most the concurrency limit; the rest wait for a slot', async () => {
    const clock = createVirtualClock({ startTime: T0 });
    const { held, send, answerAll } = heldSend(clock.now);
    const service = createDeliveryService({ clock, send, concurrencyPerTarget: 2 });
    for (let i = 0; i < 4; i++) {
      service.deliver({
        id: `d${i}`,
        type: 'custom-api-node-push',
        url: 'http://rx.test/cb',
        payload: pushPayload(i),
        at: T0 + i * SEC,
      });
    }
    await settle(30);
    assert.deepEqual(
      held.map((h) => h.id),
      ['d0', 'd1'],
    );
    assert.equal(clock.pending().inFlight, 4, 'the two waiting for a slot are in flight for the clock');
    held[1]!.answer(ok);
    await settle(30);
    assert.deepEqual(
      held.map((h) => h.id),
      ['d0', 'd1', 'd2'],
    );
    answerAll();
    await service.settled();
    assert.deepEqual(
      service.list().map((d) => d.attempts.map((x) => x.at - T0)),
      [[0], [SEC], [2 * SEC], [3 * SEC]],
    );
    service.close();
    clock.close();
  });

  it('a jump cannot fire a deadline early: the 10 s stay real, and the retry keeps its instant', async () => {
    const wall = createFakeWall();
    const clock = createVirtualClock({ startTime: T0, wall });
    const sent: [string, number][] = [];
    // The silent receiver ignores the deadline; the service aborts it when 10 real seconds pass.
    const send: Send = (req) => {
      sent.push([req.headers[DELIVERY_ID_HEADER]!, clock.now() - T0]);
      if (req.headers[DELIVERY_ID_HEADER] === 'quick') return Promise.resolve(ok);
      return new Promise(() => undefined);
    };
    const service = createDeliveryService({ clock, wall, send, policy: { maxRetries: 1 } });
    const silent = service.deliver({
      id: 'silent',
      type: 'custom-api-node-push',
      url: 'http://rx.test/cb',
      payload: pushPayload(1),
    });
    service.deliver({
      id: 'quick',
      type: 'custom-api-node-push',
      url: 'http://rx.test/cb',
      payload: pushPayload(2),
      at: T0 + 45 * SEC,
    });
    await settle(30);
    assert.deepEqual(sent, [
      ['silent', 0],
      ['quick', 45 * SEC],
    ]);
    assert.equal(service.get('quick')!.outcome, 'delivered');
    assert.equal(clock.now(), T0 + 45 * SEC, 'the clock jumped 45 s; no real time passed');
    assert.equal(silent.attempts.length, 0, 'the silent attempt is still within its deadline');
    wall.tick(9_999);
    await settle();
    assert.equal(silent.attempts.length, 0);
    wall.tick(1);
    await settle(30);
    assert.deepEqual(
      silent.attempts.map((a) => [a.n, a.at - T0, a.error, a.latencyMs]),
      [[1, 0, 'timeout', 10_000]],
    );
    assert.deepEqual(sent.at(-1), ['silent', MIN], 'the retry goes at its cadence instant');
    wall.tick(10_000);
    await service.settled();
    assert.deepEqual(
      silent.attempts.map((a) => a.at - T0),
      [0, MIN],
    );
    service.close();
    clock.close();
  });

  it('a receiver reading the clock while handling a callback sees the attempt instant or later, never before', async () => {
    const clock = createVirtualClock({ startTime: T0 });
    // What the vendor API would answer a handler calling it mid-callback: the same clock's now().
    const seen: { id: string; attempt: number; now: number }[] = [];
    let draw = 7;
    const server = http.createServer((req, res) => {
      seen.push({
        id: String(req.headers['x-emulator-delivery-id']),
        attempt: Number(req.headers['x-emulator-attempt']),
        now: clock.now(),
      });
      req.resume();
      draw = (draw * 1_103_515_245 + 12_345) % 2 ** 31;
      // Every third delivery fails its first attempt, to have retries in flight too.
      const fail = seen.at(-1)!.attempt === 1 && Number(seen.at(-1)!.id.slice(1)) % 3 === 0;
      setTimeout(() => res.writeHead(fail ? 500 : 200).end('{}'), draw % 15);
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/cb`;
    const service = createDeliveryService({ clock });
    for (let i = 0; i < 60; i++) {
      service.deliver({
        id: `m${i}`,
        type: 'custom-api-node-push',
        url,
        payload: pushPayload(i),
        at: T0 + Math.floor(i / 3) * 7 * SEC,
      });
    }
    await service.settled();
    assert.equal(seen.length, 60 + 20);
    for (const s of seen) {
      const at = service.get(s.id)!.attempts[s.attempt - 1]!.at;
      assert.ok(s.now >= at, `${s.id} #${s.attempt}: clock ${s.now - T0} before its instant ${at - T0}`);
      assert.ok(s.now < at + MIN, `${s.id} #${s.attempt}: clock ${s.now - T0} at or past its retry instant`);
    }
    service.close();
    clock.close();
  });
  it('a handler asking the emulator for the clock while handling a callback gets the attempt instant or later', async () => {
    let adminUrl = '';
    const seen: { id: string; attempt: number; now: number }[] = [];
    let draw = 3;
    // An integrator's handler that calls back into the emulator before answering.
    const server = http.createServer((req, res) => {
      req.resume();
      void fetch(`${adminUrl}/clock`)
        .then((r) => r.json() as Promise<{ now: number }>)
        .then(({ now }) => {
          seen.push({
            id: String(req.headers['x-emulator-delivery-id']),
            attempt: Number(req.headers['x-emulator-attempt']),
            now,
          });
          draw = (draw * 1_103_515_245 + 12_345) % 2 ** 31;
          setTimeout(() => res.writeHead(200).end('{}'), draw % 15);
        });
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const emu = await createEmulator({
      clock: 'virtual',
      startTime: START,
      scenarios: [scenario('tele', 'telemarketing', 501)],
      target: `http://127.0.0.1:${(server.address() as AddressInfo).port}/cb`,
      logger: { error: (m, e) => console.error(m, e) },
    });
    try {
      adminUrl = emu.adminUrl;
      emu.trigger('tele');
      await emu.idle();
      const deliveries = emu.store.deliveries();
      assert.ok(deliveries.length >= 5, `deliveries: ${deliveries.length}`);
      assert.equal(seen.length, deliveries.length);
      for (const s of seen) {
        const at = deliveries.find((d) => d.id === s.id)!.attempts[s.attempt - 1]!.at;
        assert.ok(s.now >= at, `${s.id}: clock ${s.now} before its instant ${at}`);
        assert.ok(s.now < at + MIN, `${s.id}: clock ${s.now} at or past its retry instant`);
      }
    } finally {
      await emu.close();
    }
  });
});
