/**
 * End to end, the way an integrator's code talks to AIRUDDER: a small client (global fetch, JSON,
 * `code === 200` checks, the token in `Authorization`) creates a workflow with details and adds
 * rows, while a loopback receiver collects the callbacks (--target). Then the details endpoints
 * are asked, and what they answer must match what the callbacks said.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isValid, type MessageName, type MessageOf } from '../../src/contract/registry.ts';
import type { ListItem } from '../../src/generated/types.ts';
import { verifySignature } from '../../src/index.ts';
import type { Emulator } from '../../src/server/emulator.ts';
import { startReceiver, type Receiver } from '../helpers/receiver.ts';
import { COLLECTION_TEMPLATE, startEmulator } from '../http/fixture.ts';

/** `body` checked against the schema `name`, with its generated type. */
function checked<N extends MessageName>(name: N, body: unknown): MessageOf<N> {
  assert.ok(isValid(name, body), `not a valid ${name}: ${JSON.stringify(body)}`);
  return body;
}

/** An integrator's client, as found in the wild: Bearer or Token, code === 200, message on failure. */
class AirudderClient {
  private token = '';
  private readonly baseUrl: string;
  private readonly scheme: 'Token' | 'Bearer';
  constructor(baseUrl: string, scheme: 'Token' | 'Bearer') {
    this.baseUrl = baseUrl;
    this.scheme = scheme;
  }

  private async call(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    query?: Record<string, string>,
  ): Promise<unknown> {
    const url = new URL(path, this.baseUrl);
    for (const [k, v] of Object.entries(query ?? {})) url.searchParams.set(k, v);
    const res = await fetch(url, {
      method,
      headers: {
        'Content-Type': 'application/json',
        'User-Agent': 'Airudder',
        ...(this.token ? { Authorization: `${this.scheme} ${this.token}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    // As integrators do: the envelope's code decides, the rest is read as the API documents it.
    const json: unknown = await res.json();
    const ok = typeof json === 'object' && json !== null && 'code' in json && json.code === 200;
    if (!ok) throw new Error(`AIRUDDER ${path} failed: ${JSON.stringify(json)}`);
    return json;
  }

  async login(appKey: string, appSecret: string): Promise<void> {
    const res = await this.call('POST', '/service/cloud/auth', { APPKey: appKey, APPSecret: appSecret });
    this.token = checked('auth-response', res).data.token;
  }
  async createWorkflow(templateId: number, name: string, details: ListItem[]) {
    const res = await this.call('POST', '/service/cloud/workflow/createinstance', {
      workflow_template_id: templateId,
      name,
      auto_finish: 2,
      end_time: '2024-03-12 18:00:00+08:00',
      details,
    });
    return checked('createinstance-response', res).data;
  }
  async addRows(workflowId: string, details: ListItem[]) {
    const res = await this.call('POST', '/service/cloud/workflow/uploaddetails', {
      workflow_id: workflowId,
      details,
    });
    return checked('envelope-success', res);
  }
  async taskDetail(taskId: string) {
    const res = await this.call('POST', '/service/cloud/workflow/taskdetail', {
      task_id: taskId,
      page_size: 100,
    });
    return checked('taskdetail-response', res).data;
  }
  async callInfo(workflowId: string, callee: string) {
    const res = await this.call('GET', '/service/cloud/workflow/callinfo', undefined, {
      workflow_id: workflowId,
      callee,
    });
    return checked('callinfo-response', res).data;
  }
  async apiNotice(workflowId: string, nodeId: string, callee: string) {
    const res = await this.call('POST', '/service/cloud/workflow/apinoticeinfo', {
      workflow_id: workflowId,
      node_id: nodeId,
      callee,
    });
    return checked('apinoticeinfo-response', res).data;
  }
}

const contacts = (prefix: string, from: number, n: number): ListItem[] =>
  Array.from({ length: n }, (_, i) => ({
    callee: `+6281377700${String(from + i).padStart(3, '0')}`,
    case_id: `${prefix}${from + i}`,
    customer_name: `Nasabah ${from + i}`,
    variables: { amount: String(1_000_000 + i * 1000) },
  }));

describe('e2e: an integrator drives a campaign and reconciles callbacks with the details API', () => {
  let emu: Emulator;
  let rx: Receiver;
  before(async () => {
    rx = await startReceiver({ failFirst: 1 }); // every callback is retried once
    emu = await startEmulator({ clock: 'virtual', target: rx.url });
  });
  after(async () => {
    await emu.close();
    await rx.close();
  });

  for (const scheme of ['Bearer', 'Token'] as const) {
    it(`with "Authorization: ${scheme}"`, async () => {
      const client = new AirudderClient(emu.url, scheme);
      await client.login('test-app-key', 'test-app-secret');
      const { workflow_id: workflowId } = await client.createWorkflow(
        COLLECTION_TEMPLATE,
        `e2e_${scheme}`,
        contacts(scheme, 1, 3),
      );
      await client.addRows(workflowId, contacts(scheme, 4, 2));
      await emu.idle();

      const mine = rx.requests.filter((r) => r.nth === 2 && JSON.parse(r.body).workflow_id === workflowId);
      const bodies: unknown[] = mine.map((r) => JSON.parse(r.body));
      // Call completions are signed with the default KEY; the other callbacks' pages name no KEY.
      mine.forEach((r, i) => {
        assert.equal(r.headers['user-agent'], 'Airudder');
        const completion = isValid('call-completion', bodies[i]);
        if (completion) assert.ok(verifySignature(r.raw, r.headers), 'signed with the default KEY');
        else assert.equal(r.headers['x-airudder-sign'], undefined, 'unsigned');
      });
      const calls = bodies.filter((b) => isValid('call-completion', b));
      const numbers = calls.flatMap((b) => b.details);
      assert.equal(numbers.length, 5, 'one call-completion record per number');

      const detail = await client.taskDetail(calls[0]!.task_id);
      assert.equal(detail.total, 5);
      for (const record of detail.list) {
        const sent = numbers.find((n) => n.call_id === record.call_id)!;
        assert.ok(sent, `callback for ${record.call_id}`);
        const got = new Map(Object.entries(record));
        for (const [k, v] of Object.entries(sent)) assert.deepEqual(got.get(k), v, `${record.call_id}.${k}`);
      }

      for (const n of numbers) {
        const info = await client.callInfo(workflowId, n.callee);
        const last = info.list.at(-1)!;
        assert.equal(last.call_id, n.call_id);
        assert.equal(last.duration, n.duration);
        assert.equal(info.list.length, n.call_times);
      }

      const pushes = bodies.filter((b) => isValid('custom-api-node-push', b));
      assert.equal(pushes.length, 5);
      for (const p of pushes) {
        assert.deepEqual(await client.apiNotice(workflowId, p.node_id, p.call.callee_number), p);
      }
      const lists = bodies.filter((b) => isValid('list-completion', b));
      assert.deepEqual(
        lists.map((b) => b.case_id).sort(),
        contacts(scheme, 1, 5)
          .map((c) => c.case_id)
          .sort(),
      );
    });
  }
});
