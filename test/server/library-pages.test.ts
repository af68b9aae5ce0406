/**
 * The library's delivery pages (`emu.deliveryPage`), as the admin API pages `/deliveries`: pages
 * from the newest matches to the oldest, each in creation order, `total` every match, `next` the
 * cursor of the following page; walked to the end they are `emu.deliveries(filter)`, which stays
 * an array. A cursor from another list or from before a reset, or a bad limit, is a 400.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { VendorError } from '../../src/core/vendor-errors.ts';
import type { DeliveryRecord } from '../../src/delivery/types.ts';
import type { DeliveryPageQuery } from '../../src/emulation/library-api.ts';
import type { Emulator } from '../../src/server/emulator.ts';
import { startEmulator } from '../http/fixture.ts';

describe('library delivery pages', () => {
  let emu: Emulator;
  before(async () => {
    emu = await startEmulator();
    emu.trigger('tele');
    emu.trigger('ic');
    await emu.idle();
  });
  after(() => emu.close());

  /** Every page of a query, newest first, put back in creation order. */
  function walk(query: DeliveryPageQuery): DeliveryRecord[] {
    const pages: DeliveryRecord[][] = [];
    let cursor: string | undefined;
    for (;;) {
      const page = emu.deliveryPage({ ...query, ...(cursor !== undefined ? { cursor } : {}) });
      assert.ok(page.list.length <= (query.limit ?? 100));
      pages.push(page.list);
      if (page.next === null) break;
      cursor = page.next;
    }
    return pages.reverse().flat();
  }

  it('pages newest first and, walked to the end, match deliveries(filter)', async () => {
    const all = emu.deliveries();
    assert.ok(all.length > 10, `${all.length} deliveries`);
    const workflow = all[0]!.workflowId!;
    for (const filter of [
      {},
      { workflow },
      { type: 'call-completion' },
      { outcome: 'delivered', workflow },
    ]) {
      const expected = emu.deliveries(filter);
      const first = emu.deliveryPage({ ...filter, limit: 3 });
      assert.equal(first.total, expected.length, JSON.stringify(filter));
      assert.deepEqual(first.list, expected.slice(-3), 'the first page holds the newest');
      assert.deepEqual(walk({ ...filter, limit: 3 }), expected);
    }
    // Records with their content, as delivery(id) gives them.
    const page = emu.deliveryPage({ limit: 2 });
    assert.deepEqual(page.list, [emu.delivery(page.list[0]!.id), emu.delivery(page.list[1]!.id)]);
    assert.ok(page.list.every((d) => d.body.length > 0 && Object.keys(d.payload).length > 0));
    // The same cursors as the admin API's.
    const admin = await request(emu.url).get('/__emulator/deliveries?limit=2').expect(200);
    assert.equal(page.next, admin.body.next);
    assert.deepEqual(
      emu.deliveryPage({ limit: 2, cursor: page.next! }).list.map((d) => d.id),
      (await request(emu.url).get(`/__emulator/deliveries?limit=2&cursor=${page.next}`)).body.list.map(
        (d: { id: string }) => d.id,
      ),
    );
    assert.equal(emu.deliveryPage().list.length, Math.min(100, all.length), 'default limit 100');
  });

  it('refuses a bad limit and a cursor from elsewhere or from before a reset', async () => {
    const bad = (q: DeliveryPageQuery, text: RegExp) =>
      assert.throws(
        () => emu.deliveryPage(q),
        (e: unknown) => e instanceof VendorError && e.kind === 'badRequest' && text.test(e.message),
      );
    bad({ limit: -1 }, /limit/);
    bad({ limit: 1.5 }, /limit/);
    bad({ cursor: 'nonsense' }, /not a cursor of this list/);
    const workflows = await request(emu.url).get('/__emulator/workflows?limit=1').expect(200);
    bad({ cursor: workflows.body.next as string }, /not a cursor of this list/);
    const { next } = emu.deliveryPage({ limit: 1 });
    await emu.reset();
    bad({ cursor: next! }, /before the emulator was reset/);
  });
});
