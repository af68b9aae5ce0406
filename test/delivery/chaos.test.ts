import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createVirtualClock } from '../../src/clock/virtual-clock.ts';
import { createChaos, uniform } from '../../src/delivery/chaos.ts';
import { createDeliveryService, DELIVERY_ID_HEADER } from '../../src/delivery/delivery-service.ts';
import type { Send, SendOutcome } from '../../src/delivery/types.ts';
import { settle } from '../clock/fake-wall.ts';
import { startReceiver, type Receiver } from '../helpers/receiver.ts';
import { pushPayload } from './payloads.ts';

const T0 = Date.UTC(2024, 2, 11, 7, 58, 0);

/** The first id `prefix<i>` whose reorder draw is (or is not) below p for this seed. */
function idWhere(seed: number, prefix: string, held: boolean, p = 0.5): string {
  for (let i = 0; ; i++) {
    const id = `${prefix}${i}`;
    if (uniform(seed, `${id}:reorder`) < p === held) return id;
  }
}

describe('chaos (emulator-defined, off by default)', () => {
  let r: Receiver;
  before(async () => {
    r = await startReceiver();
  });
  after(() => r.close());

  it('is off by default and rejects bad probabilities', () => {
    const plan = createChaos(undefined, 1)('x');
    assert.equal(plan.duplicate, false);
    assert.equal(plan.holdMs, 0);
    assert.equal(plan.delayMs(1), 0);
    assert.throws(() => createChaos({ duplicateRate: 2 }, 1), /probability/);
  });

  it('draws are seeded: same seed, same choices; another seed, other choices', () => {
    const ids = Array.from({ length: 200 }, (_, i) => `m${i}`);
    const pick = (seed: number) =>
      ids.filter((id) => createChaos({ duplicateRate: 0.3 }, seed)(id).duplicate);
    assert.deepEqual(pick(7), pick(7));
    assert.notDeepEqual(pick(7), pick(8));
    const n = pick(7).length;
    assert.ok(n > 30 && n < 90, `about 30 % duplicated (${n})`);
  });

  it('duplicate: the same bytes arrive twice, as a second linked delivery', async () => {
    const clock = createVirtualClock({ startTime: T0 });
    const service = createDeliveryService({ clock, chaos: { duplicateRate: 1 }, seed: 3 });
    const before = r.requests.length;
    service.deliver({ id: 'dup-me', type: 'custom-api-node-push', url: r.url, payload: pushPayload(1) });
    await service.settled();
    const got = r.requests.slice(before);
    assert.equal(got.length, 2);
    assert.deepEqual(got[0]!.raw, got[1]!.raw);
    assert.deepEqual(got.map((q) => q.headers['x-emulator-delivery-id']).sort(), ['dup-me', 'dup-me.dup']);
    assert.equal(service.get('dup-me.dup')!.duplicateOf, 'dup-me');
    assert.equal(service.get('dup-me.dup')!.outcome, 'delivered');
    service.close();
  });

  it('reorder: a held message is overtaken by the next one to the same URL', async () => {
    const seed = 11;
    const first = idWhere(seed, 'a', true);
    const second = idWhere(seed, 'b', false);
    const clock = createVirtualClock({ startTime: T0 });
    const service = createDeliveryService({ clock, chaos: { reorderRate: 0.5 }, seed });
    const before = r.requests.length;
    service.deliver({ id: first, type: 'custom-api-node-push', url: r.url, payload: pushPayload(1), at: T0 });
    service.deliver({
      id: second,
      type: 'custom-api-node-push',
      url: r.url,
      payload: pushPayload(2),
      at: T0 + 5_000,
    });
    await service.settled();
    assert.deepEqual(
      r.requests.slice(before).map((q) => q.headers['x-emulator-delivery-id']),
      [second, first],
    );
    assert.equal(service.get(first)!.attempts[0]!.at, T0 + 5_000, 'released when overtaken');
    assert.deepEqual(service.get(first)!.chaos, ['reorder']);
    service.close();
  });

  it('reorder: a slow overtaker still releases the held message at its own instant (the window waits for its answer)', async () => {
    const seed = 11;
    const held = idWhere(seed, 'h', true);
    const early = idWhere(seed, 'e', false);
    const next = idWhere(seed, 'n', false);
    const clock = createVirtualClock({ startTime: T0 });
    const sent: string[] = [];
    const answers = new Map<string, (o: SendOutcome) => void>();
    const send: Send = (req) =>
      new Promise((resolve) => {
        const id = req.headers[DELIVERY_ID_HEADER]!;
        sent.push(id);
        if (id === next) answers.set(id, resolve);
        else resolve({ status: 200, response: '{}' });
      });
    const service = createDeliveryService({
      clock,
      send,
      chaos: { reorderRate: 0.5, reorderWindowMs: 30_000 },
      seed,
    });
    const push = (id: string, i: number, at: number) =>
      service.deliver({
        id,
        type: 'custom-api-node-push',
        url: 'http://rx.test/cb',
        payload: pushPayload(i),
        at,
      });
    // Created before the held one: its answer does not release it (it is not "the next one").
    push(early, 1, T0 + 5_000);
    push(held, 2, T0);
    push(next, 3, T0 + 10_000);
    push('late', 4, T0 + 40_000);
    await settle(30);
    assert.deepEqual(sent, [early, next], 'the held one waits; nothing at or past its window end goes');
    assert.ok(clock.now() < T0 + 30_000);
    answers.get(next)!({ status: 200, response: '{}' });
    await service.settled();
    assert.deepEqual(sent, [early, next, held, 'late']);
    assert.equal(service.get(held)!.attempts[0]!.at, T0 + 10_000, "released at the overtaker's instant");
    service.close();
  });

  it('reorder: with nothing to overtake it, a held message goes at the end of its window', async () => {
    const seed = 11;
    const id = idWhere(seed, 'solo', true);
    const clock = createVirtualClock({ startTime: T0 });
    const service = createDeliveryService({
      clock,
      chaos: { reorderRate: 0.5, reorderWindowMs: 30_000 },
      seed,
    });
    const d = service.deliver({ id, type: 'custom-api-node-push', url: r.url, payload: pushPayload(3) });
    await service.settled();
    assert.equal(d.attempts[0]!.at, T0 + 30_000);
    service.close();
  });

  it('delay: each attempt is postponed by a seeded draw within the range', async () => {
    const clock = createVirtualClock({ startTime: T0 });
    const service = createDeliveryService({ clock, chaos: { delayMs: { min: 1_000, max: 9_000 } }, seed: 5 });
    const d = service.deliver({
      id: 'slow',
      type: 'custom-api-node-push',
      url: r.url,
      payload: pushPayload(4),
    });
    await service.settled();
    const delay = d.attempts[0]!.at - T0;
    assert.ok(delay >= 1_000 && delay <= 9_000);
    assert.equal(delay, createChaos({ delayMs: { min: 1_000, max: 9_000 } }, 5)('slow').delayMs(1));
    assert.deepEqual(d.chaos, ['delay']);
    service.close();
  });
});
