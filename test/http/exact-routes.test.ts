/**
 * A vendor request whose method and path are exactly a route's runs that route's handlers from a
 * map (src/http/vendor-app.ts); any other spelling express's router still matches (a trailing
 * slash here). Both must answer alike: auth, body reading, validation, errors from the handler.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import request from 'supertest';
import { buildEmulator } from '../../src/server/emulator.ts';
import { COLLECTION_TEMPLATE, END_TIME, rows, scenario, START } from './fixture.ts';

const W = '/service/cloud/workflow';

describe('exact vendor paths answer as the router does', () => {
  const emu = buildEmulator({
    clock: 'virtual:manual',
    startTime: START,
    scenarios: [scenario('tele', 'telemarketing', COLLECTION_TEMPLATE)],
    logger: { error: (m, e) => console.error(m, e) },
  });
  after(() => emu.close());

  const token = async () =>
    (
      await request(emu.app)
        .post('/service/cloud/auth')
        .send({ APPKey: emu.credentials.appKey, APPSecret: emu.credentials.appSecret })
        .expect(200)
    ).body.data.token as string;

  type Call = (path: string, auth: string) => request.Test;
  const cases: [string, string, Call][] = [
    ['no token', `${W}/createinstance`, (p) => request(emu.app).post(p).send({})],
    [
      'a body that fails the schema',
      `${W}/createinstance`,
      (p, a) => request(emu.app).post(p).set('Authorization', a).send({ name: 'x' }),
    ],
    [
      'malformed JSON',
      `${W}/createinstance`,
      (p, a) =>
        request(emu.app)
          .post(p)
          .set('Authorization', a)
          .set('Content-Type', 'application/json')
          .send('{"name":'),
    ],
    [
      'not JSON',
      `${W}/createinstance`,
      (p, a) =>
        request(emu.app).post(p).set('Authorization', a).set('Content-Type', 'text/plain').send('name=x'),
    ],
    [
      'a refusal thrown by the service',
      `${W}/createinstance`,
      (p, a) =>
        request(emu.app)
          .post(p)
          .set('Authorization', a)
          .send({ workflow_template_id: 999, name: 'x', end_time: END_TIME }),
    ],
    [
      'an unknown workflow',
      `${W}/stop`,
      (p, a) =>
        request(emu.app)
          .post(p)
          .set('Authorization', a)
          .send({ workflow_id: 'f'.repeat(32) }),
    ],
    ['GET templates', `${W}/templates`, (p, a) => request(emu.app).get(p).set('Authorization', a)],
    [
      'GET list with a query',
      `${W}/list`,
      (p, a) => request(emu.app).get(`${p}?page=1&page_size=5`).set('Authorization', a),
    ],
  ];

  for (const [name, path, call] of cases) {
    it(name, async () => {
      const auth = `Token ${await token()}`;
      const exact = await call(path, auth);
      const routed = await call(`${path}/`, auth);
      assert.equal(exact.status, routed.status);
      assert.equal(exact.headers['content-type'], routed.headers['content-type']);
      assert.equal(exact.text, routed.text);
    });
  }

  it('a creation through each path makes a workflow and logs both requests', async () => {
    const auth = `Token ${await token()}`;
    const body = {
      workflow_template_id: COLLECTION_TEMPLATE,
      name: 'exact',
      end_time: END_TIME,
      details: rows(1),
    };
    await request(emu.app).delete('/__emulator/requests').expect(200);
    const ids: string[] = [];
    for (const path of [`${W}/createinstance`, `${W}/createinstance/`]) {
      const res = await request(emu.app).post(path).set('Authorization', auth).send(body).expect(200);
      assert.equal(res.body.code, 200);
      ids.push(res.body.data.workflow_id as string);
    }
    assert.equal(new Set(ids).size, 2);
    for (const id of ids) assert.ok(emu.store.workflow(id));
    assert.deepEqual(
      emu.requests().map((e) => [e.path, e.status, e.code]),
      [
        [`${W}/createinstance/`, 200, 200],
        [`${W}/createinstance`, 200, 200],
      ],
    );
  });
});
