/**
 * The request log keeps raw pieces and shows an entry when it is read (issue 14: no formatting on
 * the request path). What is shown must not depend on when it is read: cut bodies, redacted
 * headers, a query, and the newest `requestLogSize` entries across the log dropping old ones.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import request from 'supertest';
import { buildEmulator } from '../../src/server/emulator.ts';
import { BODY_PREVIEW_CHARS, type LoggedRequest } from '../../src/http/request-log.ts';
import { COLLECTION_TEMPLATE, scenario, START } from './fixture.ts';

const AUTH = '/service/cloud/auth';

describe('request log entries shown on read', () => {
  const emu = buildEmulator({
    clock: 'virtual:manual',
    startTime: START,
    scenarios: [scenario('tele', 'telemarketing', COLLECTION_TEMPLATE)],
    requestLogSize: 3,
    logger: { error: (m, e) => console.error(m, e) },
  });
  after(() => emu.close());

  it('keeps the newest 3 of 10 in order, and pages through them with the cursor', async () => {
    await request(emu.app).delete('/__emulator/requests').expect(200);
    for (let n = 1; n <= 10; n++) await request(emu.app).get(`/service/cloud/nothing-${n}`).expect(404);
    assert.deepEqual(
      emu.requests().map((e) => e.path),
      [10, 9, 8].map((n) => `/service/cloud/nothing-${n}`),
    );
    const first = (await request(emu.app).get('/__emulator/requests?limit=2').expect(200)).body;
    assert.deepEqual(
      first.list.map((e: LoggedRequest) => e.path),
      ['/service/cloud/nothing-10', '/service/cloud/nothing-9'],
    );
    assert.equal(first.total, 3);
    const next = (await request(emu.app).get(`/__emulator/requests?limit=2&cursor=${first.next}`).expect(200))
      .body;
    assert.deepEqual(
      next.list.map((e: LoggedRequest) => e.path),
      ['/service/cloud/nothing-8'],
    );
    assert.equal(next.next, null);
  });

  it('shows a large body cut, the query and the redacted token as when it was logged', async () => {
    await request(emu.app).delete('/__emulator/requests').expect(200);
    const big = JSON.stringify({ APPKey: 'é'.repeat(3 * BODY_PREVIEW_CHARS), APPSecret: 'x' });
    await request(emu.app)
      .post(`${AUTH}?a=1&b=2`)
      .set('Content-Type', 'application/json')
      .set('Authorization', 'Token abcdefgh1234')
      .send(big)
      .expect(403);
    const [e] = emu.requests();
    assert.equal(e!.body, big.slice(0, BODY_PREVIEW_CHARS));
    assert.equal(e!.truncated, true);
    assert.deepEqual(e!.query, { a: '1', b: '2' });
    assert.equal(e!.headers.authorization, 'Token …1234');
    assert.equal(e!.status, 403);
    // The same entry on every read.
    assert.equal(emu.requests()[0], e);
  });
});
