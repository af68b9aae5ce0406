/**
 * Callback targets changed at run time (admin `PUT /__emulator/targets`, the library's
 * `setTargets`): deliveries created after a change go to the new URL (one for every type, or per
 * type), null goes back to the template URLs, and a bad change is a 400 in the envelope that
 * changes nothing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { createEmulator, type Emulator } from '../../src/server/emulator.ts';
import { startReceiver, type Receiver } from '../helpers/receiver.ts';

const START = Date.UTC(2024, 2, 11, 2, 0); // 09:00 in Jakarta: collection-ptp calls at once

describe('callback targets at run time', () => {
  let emu: Emulator;
  let a: Receiver;
  let b: Receiver;

  before(async () => {
    [a, b] = await Promise.all([startReceiver(), startReceiver()]);
    emu = await createEmulator({
      seed: 5,
      clock: 'virtual:manual',
      startTime: START,
      scenarios: ['collection-ptp'],
      target: `${a.url}/all`,
    });
  });
  after(async () => {
    await emu.close();
    await Promise.all([a.close(), b.close()]);
  });

  it('GET answers the start options', async () => {
    const res = await request(emu.url).get('/__emulator/targets');
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { target: `${a.url}/all`, targets: {} });
  });

  it('PUT per type: new deliveries of that type go there, the others keep the target', async () => {
    const res = await request(emu.url)
      .put('/__emulator/targets')
      .send({ targets: { 'call-completion': `${b.url}/cc` } });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(res.body, { target: `${a.url}/all`, targets: { 'call-completion': `${b.url}/cc` } });
    emu.trigger('collection-ptp');
    await emu.advance(5 * 60_000);
    const byType = new Map<string, Set<string>>();
    for (const d of emu.deliveries()) {
      const urls = byType.get(d.type) ?? new Set();
      urls.add(d.url);
      byType.set(d.type, urls);
    }
    assert.deepEqual([...byType.get('call-completion')!], [`${b.url}/cc`]);
    assert.deepEqual([...byType.get('workflow-status-change')!], [`${a.url}/all`]);
    await b.waitFor(1);
    assert.deepEqual([...new Set(b.requests.map((r) => r.path))], [new URL(`${b.url}/cc`).pathname]);
    assert.deepEqual([...new Set(a.requests.map((r) => r.path))], [new URL(`${a.url}/all`).pathname]);
  });

  it('the library: setTargets with null clears, back to the template URLs (the built-in sink)', async () => {
    const before = emu.deliveries().length;
    assert.deepEqual(emu.setTargets({ target: null, targets: { 'call-completion': null } }), {
      target: null,
      targets: {},
    });
    emu.trigger('collection-ptp');
    await emu.advance(5 * 60_000);
    const later = emu.deliveries().slice(before);
    assert.ok(later.length > 0);
    for (const d of later) assert.equal(d.url, `${emu.url}/__emulator/sink/collection-ptp`, d.type);
  });

  for (const [name, body, message] of [
    [
      'a bad URL',
      { target: 'ftp://x' },
      'target must be an http(s) URL (got "ftp://x"), or null for the template URLs',
    ],
    [
      'an unknown type',
      { targets: { 'call-complet': 'http://x/' } },
      'targets.targets: unknown callback type "call-complet" (did you mean "call-completion"?) (one of ' +
        'custom-api-node-push, call-completion-info-check, call-completion, list-completion, ' +
        'workflow-status-change, chatbot-session-end)',
    ],
    ['an unknown key', { taget: 'http://x/' }, 'targets: unknown key "taget" (did you mean "target"?)'],
    ['not an object', [1], 'targets: expected an object {target?, targets?}'],
  ] as const) {
    it(`${name}: 400 in the envelope, nothing changed`, async () => {
      const before = (await request(emu.url).get('/__emulator/targets')).body;
      const res = await request(emu.url)
        .put('/__emulator/targets')
        .send(body as object);
      assert.equal(res.status, 400);
      assert.equal(res.body.code, 400);
      assert.equal(res.body.data, null);
      assert.ok(String(res.body.message).startsWith(message), res.body.message);
      assert.deepEqual((await request(emu.url).get('/__emulator/targets')).body, before);
      assert.throws(() => emu.setTargets(body as never), { message });
    });
  }
});
