/**
 * The vendor answers as they go on the wire: a success answer is written without express's
 * `res.send` (src/http/envelope.ts) and the template list is serialised once per catalog change,
 * so these pin what a client receives — status line, Content-Type, Content-Length, body — for
 * GET, HEAD and a conditional GET, and that the cached list follows scenarios loaded (and a
 * refused load forgotten) after it was first answered.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import type { Emulator } from '../../src/server/emulator.ts';
import { COLLECTION_TEMPLATE, END_TIME, rows, startEmulator, tokenFor } from './fixture.ts';

const W = '/service/cloud/workflow';

interface Wire {
  status: number;
  /** Header name/value pairs in the order received, minus Date, Connection and Keep-Alive. */
  headers: string[];
  body: string;
}

function raw(
  port: number,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<Wire> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, headers, agent: false }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString('utf8')));
      res.on('end', () => {
        const pairs: string[] = [];
        for (let i = 0; i < res.rawHeaders.length; i += 2) {
          if (!/^(date|connection|keep-alive)$/i.test(res.rawHeaders[i]!))
            pairs.push(`${res.rawHeaders[i]}: ${res.rawHeaders[i + 1]}`);
        }
        resolve({ status: res.statusCode ?? 0, headers: pairs, body: text });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

const jsonHeaders = (body: string) => [
  'Content-Type: application/json; charset=utf-8',
  `Content-Length: ${Buffer.byteLength(body)}`,
];

describe('vendor answers on the wire', () => {
  let emu: Emulator;
  let auth: Record<string, string>;
  before(async () => {
    emu = await startEmulator();
    auth = { Authorization: `Token ${await tokenFor(emu)}` };
  });
  after(() => emu.close());

  it('GET templates: 200, JSON type with charset, exact length, the envelope', async () => {
    const res = await raw(emu.port, 'GET', `${W}/templates`, auth);
    assert.equal(res.status, 200);
    assert.deepEqual(res.headers, jsonHeaders(res.body));
    const answer = JSON.parse(res.body) as { code: number; data: { list: { scenario: string }[] } };
    assert.equal(answer.code, 200);
    assert.deepEqual(
      answer.data.list.map((t) => t.scenario),
      ['ic', 'tele'],
    );
    const again = await raw(emu.port, 'GET', `${W}/templates`, auth);
    assert.deepEqual(again, res);
  });

  it('HEAD templates: the same headers, no body', async () => {
    const get = await raw(emu.port, 'GET', `${W}/templates`, auth);
    const head = await raw(emu.port, 'HEAD', `${W}/templates`, auth);
    assert.deepEqual(head, { ...get, body: '' });
  });

  it("a conditional GET keeps express's rule (If-None-Match: * is a 304 without body)", async () => {
    const res = await raw(emu.port, 'GET', `${W}/templates`, { ...auth, 'If-None-Match': '*' });
    assert.equal(res.status, 304);
    assert.equal(res.body, '');
  });

  it('POST createinstance: the same headers around its answer; the request log keeps it', async () => {
    const body = JSON.stringify({
      workflow_template_id: COLLECTION_TEMPLATE,
      name: 'wire',
      end_time: END_TIME,
      details: rows(1),
    });
    const res = await raw(
      emu.port,
      'POST',
      `${W}/createinstance`,
      { ...auth, 'Content-Type': 'application/json' },
      body,
    );
    assert.equal(res.status, 200);
    assert.deepEqual(res.headers, jsonHeaders(res.body));
    const id = (JSON.parse(res.body) as { data: { workflow_id: string } }).data.workflow_id;
    assert.equal(res.body, JSON.stringify({ code: 200, status: 'OK', data: { workflow_id: id } }));
    const logged = emu.requests({ path: '/createinstance', limit: 1 })[0]!;
    assert.deepEqual([logged.status, logged.code, logged.answer], [200, 200, res.body]);
  });

  it('the cached list follows a scenario loaded later, and forgets one whose start was refused', async () => {
    const before = await raw(emu.port, 'GET', `${W}/templates`, auth);
    emu.trigger('telemarketing');
    const after = JSON.parse((await raw(emu.port, 'GET', `${W}/templates`, auth)).body) as {
      data: { list: { scenario: string }[]; total: number };
    };
    assert.deepEqual(
      after.data.list.map((t) => t.scenario),
      ['telemarketing', 'ic', 'tele'],
    );
    assert.equal(after.data.total, 3);
    assert.throws(() => emu.trigger('collection-ptp', 999_999));
    const refused = await raw(emu.port, 'GET', `${W}/templates`, auth);
    assert.deepEqual(
      (JSON.parse(refused.body) as { data: { list: { scenario: string }[] } }).data.list.map(
        (t) => t.scenario,
      ),
      ['telemarketing', 'ic', 'tele'],
    );
    assert.notEqual(refused.body, before.body);
  });
});
