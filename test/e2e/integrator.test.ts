/**
 * End to end, the way an integrator's code talks to AIRUDDER: a small client (global fetch, JSON,
 * `code === 200` checks, the token in `Authorization`) creates a workflow with details and adds
 * rows, while a loopback receiver collects the callbacks (--target). Then the details endpoints
 * are asked, and what they answer must match what the callbacks said.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { verifySignature } from '../../src/index.ts';
import type { Emulator } from '../../src/server/emulator.ts';
import { startReceiver, type Receiver } from '../helpers/receiver.ts';
import { COLLECTION_TEMPLATE, startEmulator } from '../http/fixture.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

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
  ): Promise<Json> {
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
    const json = (await res.json()) as Json;
    if (json.code !== 200) throw new Error(`AIRUDDER ${path} failed: ${json.code} ${json.message}`);
    return json.data as Json;
  }

  async login(appKey: string, appSecret: string): Promise<void> {
    this.token = (await this.call('POST', '/service/cloud/auth', { APPKey: appKey, APPSecret: appSecret }))
      .token as string;
  }
  createWorkflow(templateId: number, name: string, details: Json[]): Promise<Json> {
    return this.call('POST', '/service/cloud/workflow/createinstance', {
      workflow_template_id: templateId,
      name,
      auto_finish: 2,
      end_time: '2024-03-12 18:00:00+08:00',
      details,
    });
  }
  addRows(workflowId: string, details: Json[]): Promise<Json> {
    return this.call('POST', '/service/cloud/workflow/uploaddetails', { workflow_id: workflowId, details });
  }
  taskDetail(taskId: string): Promise<Json> {
    return this.call('POST', '/service/cloud/workflow/taskdetail', { task_id: taskId, page_size: 100 });
  }
  callInfo(workflowId: string, callee: string): Promise<Json> {
    return this.call('GET', '/service/cloud/workflow/callinfo', undefined, {
      workflow_id: workflowId,
      callee,
    });
  }
  apiNotice(workflowId: string, nodeId: string, callee: string): Promise<Json> {
    return this.call('POST', '/service/cloud/workflow/apinoticeinfo', {
      workflow_id: workflowId,
      node_id: nodeId,
      callee,
    });
  }
}

const contacts = (prefix: string, from: number, n: number) =>
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
      await client.addRows(workflowId as string, contacts(scheme, 4, 2));
      await emu.idle();

      const mine = rx.requests.filter((r) => r.nth === 2 && JSON.parse(r.body).workflow_id === workflowId);
      for (const r of mine) {
        assert.equal(r.headers['user-agent'], 'Airudder');
        assert.ok(verifySignature(r.raw, r.headers), 'signed with the default KEY');
      }
      const bodies = mine.map((r) => JSON.parse(r.body) as Json);
      const calls = bodies.filter((b) => Array.isArray(b.details));
      const numbers = calls.flatMap((b) => b.details as Json[]);
      assert.equal(numbers.length, 5, 'one call-completion record per number');

      const detail = await client.taskDetail(String(calls[0]!.task_id));
      assert.equal(detail.total, 5);
      for (const record of detail.list as Json[]) {
        const sent = numbers.find((n) => n.call_id === record.call_id)!;
        assert.ok(sent, `callback for ${record.call_id}`);
        for (const [k, v] of Object.entries(sent)) assert.deepEqual(record[k], v, `${record.call_id}.${k}`);
      }

      for (const n of numbers) {
        const info = await client.callInfo(workflowId as string, n.callee as string);
        const last = (info.list as Json[]).at(-1)!;
        assert.equal(last.call_id, n.call_id);
        assert.equal(last.duration, n.duration);
        assert.equal((info.list as Json[]).length, n.call_times);
      }

      const pushes = bodies.filter((b) => b.node_id !== undefined);
      assert.equal(pushes.length, 5);
      for (const p of pushes) {
        assert.deepEqual(
          await client.apiNotice(workflowId as string, p.node_id as string, p.call.callee_number as string),
          p,
        );
      }
      const lists = bodies.filter((b) => Array.isArray(b.rows));
      assert.deepEqual(
        lists.map((b) => b.case_id).sort(),
        contacts(scheme, 1, 5)
          .map((c) => c.case_id)
          .sort(),
      );
    });
  }
});
