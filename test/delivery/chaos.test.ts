import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createVirtualClock } from '../../src/clock/virtual-clock.ts';
import { createChaos, uniform } from '../../src/delivery/chaos.ts';
import { createDeliveryService } from '../../src/delivery/delivery-service.ts';
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
