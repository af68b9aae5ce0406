/**
 * Persistence, end to end: `serve --data-dir` in a child process (the CLI from source) is killed with SIGKILL in the
 * middle of a campaign (deliveries pending, retries scheduled), then started again on the same
 * directory. Nothing may be lost — the workflow, its rows, every delivery — and the pending
 * deliveries must resume; a delivery may reach the receiver more than once only by the
 * at-least-once allowance (an attempt in flight when the process died), and attempt numbers
 * continue across the restart instead of starting again at 1.
 */
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import http from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { isValid, type MessageName, type MessageOf } from '../../src/contract/registry.ts';
import type { DeliveryRecord } from '../../src/delivery/types.ts';
import type { DeliverySummary } from '../../src/http/admin/admin-routes.ts';
import { spawnCli } from '../helpers/cli.ts';
import { startReceiver, type Receiver } from '../helpers/receiver.ts';
import { COLLECTION_TEMPLATE, rows, scenarioYaml } from '../http/fixture.ts';

/** A vendor answer checked against its schema, with its generated type. */
function vendor<N extends MessageName>(name: N, body: unknown): MessageOf<N> {
  assert.ok(isValid(name, body), `not a valid ${name}: ${JSON.stringify(body)}`);
  return body;
}

/** The admin API's answers (emulator-defined JSON; no schema), as the routes declare them. */
interface Admin {
  health: { deliveries: { pending: number } };
  deliveries: { list: DeliverySummary[]; total: number };
  delivery: DeliveryRecord;
}

interface Child {
  proc: ChildProcess;
  url: string;
  /** The start-up banner. */
  banner: string;
}

function serve(args: string[]): Promise<Child> {
  // A real process: the point is what survives a kill -9.
  const proc = spawnCli(['serve', '--port', '0', ...args]);
  let out = '';
  let err = '';
  return new Promise((resolve, reject) => {
    proc.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m && out.includes('Ctrl-C')) resolve({ proc, url: m[1]!, banner: out });
    });
    proc.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    proc.on('exit', (code) => reject(new Error(`serve exited (${code}) before listening: ${err}`)));
  });
}

/**
 * One request on a fresh connection (no keep-alive pool): after the kill -9, a pooled socket to the
 * dead process would be reset, and port 0 may hand the new server the old port.
 */
function call(url: string, path: string, token?: string, body?: unknown): Promise<unknown> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${url}${path}`,
      {
        method: payload === undefined ? 'GET' : 'POST',
        agent: false,
        headers: {
          'Content-Type': 'application/json',
          ...(token ? { Authorization: `Token ${token}` } : {}),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => {
          try {
            resolve(JSON.parse(text));
          } catch (err) {
            reject(err as Error);
          }
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** Poll (real time) until `check` holds; the suite's --test-timeout bounds it. */
async function until(check: () => Promise<boolean> | boolean): Promise<void> {
  while (!(await check())) await sleep(25);
}

describe('e2e: restart with --data-dir after kill -9', () => {
  let dir: string;
  let rx: Receiver;
  let child: Child | undefined;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'airudder-emu-'));
    writeFileSync(join(dir, 'tele.yaml'), scenarioYaml('tele', 'telemarketing', COLLECTION_TEMPLATE));
    rx = await startReceiver({ failFirst: 1 });
  });
  after(async () => {
    child?.proc.kill('SIGKILL');
    await rx.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('loses no workflow, row or delivery, and resumes the pending ones', async () => {
    const args = [
      '--clock',
      'scaled:120',
      '--data-dir',
      join(dir, 'data'),
      '--target',
      rx.url,
      '--scenario',
      join(dir, 'tele.yaml'),
    ];
    child = await serve(args);
    const auth = await call(child.url, '/service/cloud/auth', undefined, {
      APPKey: 'test-app-key',
      APPSecret: 'test-app-secret',
    });
    const token = vendor('auth-response', auth).data.token;
    const created = await call(child.url, '/service/cloud/workflow/createinstance', token, {
      workflow_template_id: COLLECTION_TEMPLATE,
      name: 'restart_me',
      end_time: '2030-01-01 00:00:00',
      details: rows(6),
    });
    const workflowId = vendor('createinstance-response', created).data.workflow_id;

    await rx.waitFor(4);
    const first = child;
    const exited = new Promise((r) => first.proc.once('exit', r));
    first.proc.kill('SIGKILL');
    await exited;
    const seenBeforeKill = rx.requests.length;

    child = await serve(args);
    const url = child.url;
    const resumed = /Resumed\s+\d+ journal entries, (\d+) pending deliveries/.exec(child.banner);
    assert.ok(resumed, child.banner);
    assert.ok(Number(resumed[1]) >= 1, 'deliveries were pending when the process was killed');
    // The token survived the restart, and so did the workflow and its rows.
    const list = vendor('workflow-list-response', await call(url, '/service/cloud/workflow/list', token));
    const wf = list.data.list.find((w) => w.workflow_id === workflowId);
    assert.ok(wf, 'workflow survived');
    assert.equal(wf.total_details, 6);

    await until(async () => {
      const l = vendor('workflow-list-response', await call(url, '/service/cloud/workflow/list', token));
      const h = (await call(url, '/__emulator/health')) as Admin['health'];
      return l.data.list[0]!.status === 'Finished' && h.deliveries.pending === 0;
    });

    const deliveries = ((await call(url, '/__emulator/deliveries')) as Admin['deliveries']).list;
    // 6 rows x (call-completion + API push + list completion) + Running + Finished notices.
    assert.equal(deliveries.length, 6 * 3 + 2);
    for (const d of deliveries) assert.equal(d.outcome, 'delivered', `${d.id} ${d.outcome}`);

    const accepted = new Map<string, number>();
    for (const r of rx.requests) {
      if (r.action === 200) accepted.set(r.key, (accepted.get(r.key) ?? 0) + 1);
    }
    for (const d of deliveries) {
      const n = accepted.get(d.id) ?? 0;
      assert.ok(n >= 1, `delivery ${d.id} never reached the receiver`);
      assert.ok(
        n <= 2,
        `delivery ${d.id} was accepted ${n} times (at-least-once allows one repeat of an interrupted attempt)`,
      );
    }
    assert.ok(rx.requests.length > seenBeforeKill, 'deliveries resumed after the restart');

    // Attempt numbering continues across the restart: the receiver never sees the same attempt
    // number of a delivery twice, the attempt log counts 1, 2, 3… with no gap or repeat, and every
    // attempt that got an answer was seen. One cut off by the kill is logged as `interrupted`.
    for (const d of deliveries) {
      const detail = (await call(url, `/__emulator/deliveries/${d.id}`)) as Admin['delivery'];
      const attempts = detail.attempts;
      assert.deepEqual(
        attempts.map((a) => a.n),
        attempts.map((_, k) => k + 1),
        `${d.id} attempts are numbered 1..n`,
      );
      const seen = rx.requests
        .filter((r) => r.key === d.id)
        .map((r) => Number(r.headers['x-emulator-attempt']));
      assert.equal(
        new Set(seen).size,
        seen.length,
        `${d.id}: an attempt number reached the receiver twice (${seen})`,
      );
      for (const n of seen) assert.ok(n >= 1 && n <= attempts.length, `${d.id}: attempt ${n} is in the log`);
      for (const a of attempts) {
        if (a.error !== 'interrupted')
          assert.ok(seen.includes(a.n), `${d.id}: answered attempt ${a.n} was sent`);
      }
    }

    // The call-completion callbacks match what taskdetail answers after the restart.
    const calls = rx.requests
      .filter((r) => r.action === 200)
      .map((r): unknown => JSON.parse(r.body))
      .filter((b) => isValid('call-completion', b));
    const detail = vendor(
      'taskdetail-response',
      await call(url, '/service/cloud/workflow/taskdetail', token, { task_id: calls[0]!.task_id }),
    );
    assert.equal(detail.data.total, 6);
    for (const record of detail.data.list) {
      assert.ok(
        calls.some((c) =>
          c.details.some((d) => d.call_id === record.call_id && d.duration === record.duration),
        ),
        `taskdetail record ${record.call_id} matches a callback`,
      );
    }
  });
});

describe('e2e: kill -9 while a delivery attempt is in flight', () => {
  let dir: string;
  let rx: Receiver;
  let child: Child | undefined;
  /** The delivery whose attempt 2 the receiver holds (never answers) until the kill. */
  let held: string | undefined;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'airudder-emu-'));
    writeFileSync(join(dir, 'tele.yaml'), scenarioYaml('tele', 'telemarketing', COLLECTION_TEMPLATE));
    // Every delivery's first attempt fails (answered 500); the first second attempt is held.
    rx = await startReceiver({
      failFirst: 1,
      respond: (r) => {
        if (held === undefined && r.nth === 2) {
          held = r.key;
          return 'hang';
        }
        return 200;
      },
    });
  });
  after(async () => {
    child?.proc.kill('SIGKILL');
    await rx.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('resends the interrupted attempt once, never an answered one, and continues the numbering', async () => {
    const args = [
      '--clock',
      'virtual:manual',
      '--start-time',
      '2024-03-11T03:00:00Z',
      '--data-dir',
      join(dir, 'data'),
      '--target',
      rx.url,
      '--scenario',
      join(dir, 'tele.yaml'),
    ];
    child = await serve(args);
    const auth = (await call(child.url, '/service/cloud/auth', undefined, {
      APPKey: 'test-app-key',
      APPSecret: 'test-app-secret',
    })) as { data: { token: string } };
    const token = auth.data.token;
    const created = (await call(child.url, '/service/cloud/workflow/createinstance', token, {
      workflow_template_id: COLLECTION_TEMPLATE,
      name: 'kill_mid_delivery',
      end_time: '2030-01-01 00:00:00',
      details: rows(4),
    })) as { code: number; message?: string };
    assert.equal(created.code, 200, created.message);

    // Play the campaign; the clock stops moving on while the held attempt is in flight.
    call(child.url, '/__emulator/clock/run-until-idle', undefined, {}).catch(() => {}); // cut off by the kill
    await until(() => held !== undefined);
    const first = child;
    const exited = new Promise((r) => first.proc.once('exit', r));
    first.proc.kill('SIGKILL');
    await exited;
    const answeredBeforeKill = rx.requests.filter((r) => r.action !== 'hang').length;
    assert.ok(answeredBeforeKill >= 1, 'attempts were answered before the kill');

    child = await serve(args);
    const url = child.url;
    const resumed = /Resumed\s+\d+ journal entries, (\d+) pending deliveries/.exec(child.banner);
    assert.ok(resumed, child.banner);
    assert.ok(Number(resumed[1]) >= 1, 'the held delivery was pending at the kill');
    await call(url, '/__emulator/clock/run-until-idle', undefined, {});

    type Attempt = { n: number; error?: string };
    const deliveries = (
      (await call(url, '/__emulator/deliveries')) as { list: { id: string; outcome: string }[] }
    ).list;
    // 4 rows x (call-completion + API push + list completion) + Running + Finished notices.
    assert.equal(deliveries.length, 4 * 3 + 2, 'no delivery lost');
    for (const d of deliveries) assert.equal(d.outcome, 'delivered', `${d.id} ${d.outcome}`);

    // The held attempt: recorded as interrupted, resent as the next attempt, numbering continued.
    const hung = (await call(url, `/__emulator/deliveries/${held!}`)) as { attempts: Attempt[] };
    assert.deepEqual(
      hung.attempts.map((a) => [a.n, a.error ?? 'ok']),
      [
        [1, 'non-2xx'],
        [2, 'interrupted'],
        [3, 'ok'],
      ],
    );
    assert.deepEqual(
      rx.forKey(held!).map((r) => r.headers['x-emulator-attempt']),
      ['1', '2', '3'],
      'attempt 2 reached the receiver once (held), then attempt 3 after the restart',
    );
    const bodies = new Set(rx.forKey(held!).map((r) => r.body));
    assert.equal(bodies.size, 1, 'the same bytes before and after the restart');

    // Every delivery: attempts 1..n; an answered attempt reached the receiver exactly once, an
    // interrupted one at most once; no attempt number twice.
    for (const d of deliveries) {
      const attempts = ((await call(url, `/__emulator/deliveries/${d.id}`)) as { attempts: Attempt[] })
        .attempts;
      assert.deepEqual(
        attempts.map((a) => a.n),
        attempts.map((_, k) => k + 1),
        `${d.id} attempts are numbered 1..n`,
      );
      const seen = rx.forKey(d.id).map((r) => Number(r.headers['x-emulator-attempt']));
      assert.equal(new Set(seen).size, seen.length, `${d.id}: an attempt number reached the receiver twice`);
      for (const a of attempts) {
        const times = seen.filter((n) => n === a.n).length;
        if (a.error === 'interrupted') assert.ok(times <= 1, `${d.id}: interrupted attempt ${a.n}`);
        else assert.equal(times, 1, `${d.id}: answered attempt ${a.n} was sent once`);
      }
    }
  });
});
