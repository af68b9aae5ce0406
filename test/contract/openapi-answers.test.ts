/**
 * The exported OpenAPI document describes what the emulator answers and sends: a client's whole
 * flow is played against `buildEmulator` in-process, and every answer (success and error) must
 * validate against the document's own response schema for its path, method and status, every
 * route of the table must have been answered with a 200, and every callback sent must validate
 * against the document's webhook (body and headers). Only the exported document is used, not the
 * schema files.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { SendRequest } from '../../src/delivery/types.ts';
import { documentedRoutes } from '../../src/http/documented-routes.ts';
import { buildEmulator, type BuiltEmulator } from '../../src/server/emulator.ts';
import { COLLECTION_TEMPLATE, INFO_CHECK_TEMPLATE, scenario, START } from '../http/fixture.ts';
import { playClientFlow, type Exchange } from './client-flow.ts';
import { exportedDocument, OpenApiChecker } from './openapi-check.ts';

describe('the exported OpenAPI document against the emulator', () => {
  const checker = new OpenApiChecker(exportedDocument());
  const sent: SendRequest[] = [];
  let emu: BuiltEmulator;
  let answers: Exchange[];

  before(async () => {
    emu = buildEmulator({
      clock: 'virtual:manual',
      startTime: START,
      scenarios: [
        scenario('tele', 'telemarketing', COLLECTION_TEMPLATE),
        scenario('ic', 'info_check', INFO_CHECK_TEMPLATE),
      ],
      logger: { error: (m, e) => console.error(m, e) },
      delivery: {
        send: async (req) => {
          sent.push(req);
          return { status: 200, response: 'ok' };
        },
      },
    });
    answers = await playClientFlow(emu.app, emu, { invalidRequests: true });
  });
  after(() => emu.close());

  it('every answer validates against the response the document gives for it', () => {
    const bad = answers.map((a) => checker.answer(a)).filter((v) => v.errors.length > 0);
    assert.deepEqual(bad, []);
  });

  it('every route of the table answered a 200 in the flow', () => {
    const ok = new Set(
      answers.filter((a) => a.status === 200).map((a) => `${a.method} ${checker.template(a.path)}`),
    );
    const routes = documentedRoutes().map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, '{$1}')}`);
    assert.deepEqual(
      routes.filter((r) => !ok.has(r)),
      [],
    );
  });

  it('error answers of each kind were checked against the error envelope', () => {
    const statuses = [...new Set(answers.filter((a) => a.status !== 200).map((a) => a.status))].sort();
    assert.deepEqual(statuses, [400, 401, 403, 404]);
  });

  it('a success answer the old export demanded (an envelope inside data) is rejected', () => {
    const auth = answers.find((a) => a.path === '/service/cloud/auth' && a.status === 200)!;
    const data = (auth.json as { data: unknown }).data;
    const nested = { ...auth, json: { code: 200, status: 'OK', data: { code: 200, status: 'OK', data } } };
    assert.notDeepEqual(checker.answer(nested).errors, []);
  });

  it('every callback sent validates against its webhook, body and headers', () => {
    const deliveries = emu.deliveries();
    assert.equal(sent.length, deliveries.length);
    for (const req of sent) {
      const d = deliveries.find((x) => x.url === req.url && x.body === req.body.toString('utf8'));
      assert.ok(d, `no delivery record for a POST to ${req.url}`);
      assert.deepEqual(
        checker.webhook(d.type, req.headers, JSON.parse(req.body.toString('utf8'))),
        [],
        d.type,
      );
    }
    assert.deepEqual([...new Set(deliveries.map((d) => d.type))].sort(), [
      'call-completion',
      'call-completion-info-check',
      'custom-api-node-push',
      'list-completion',
      'workflow-status-change',
    ]);
  });
});
