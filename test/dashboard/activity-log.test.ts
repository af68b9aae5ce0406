/**
 * The `serve` console activity log: the line formats, the emulator's onEvent hook feeding it,
 * and `serve` itself, in-process through main() (on by default, off with --quiet).
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import {
  clockTime,
  formatActivity,
  humanDuration,
  type ActivityContext,
} from '../../src/cli/activity-log.ts';
import { DEFAULT_RETRY_POLICY } from '../../src/core/retry-policy.ts';
import type { AttemptRecord, DeliveryRecord } from '../../src/delivery/types.ts';
import type { EmulatorEvent } from '../../src/server/emulator.ts';
import { startCli, type RunningCli } from '../helpers/cli.ts';
import { START, startEmulator } from '../http/fixture.ts';
const URL_ = 'http://127.0.0.1:4010/__emulator/sink/demo';
const ctx: ActivityContext = { now: () => START, timeZoneOf: () => 'Asia/Jakarta' };

function delivery(over: Partial<DeliveryRecord> = {}): DeliveryRecord {
  return {
    id: 'w-000001',
    type: 'call-completion',
    url: URL_,
    workflowId: 'w',
    payload: {},
    body: '{}',
    headers: {},
    policy: { ...DEFAULT_RETRY_POLICY },
    signing: 'hmac-sha256',
    encrypted: false,
    outcome: 'pending',
    attempts: [],
    firstAt: START,
    nextAttemptAt: null,
    replays: [],
    ...over,
  } as DeliveryRecord;
}
const attempt = (n: number, over: Partial<AttemptRecord> = {}): AttemptRecord => ({
  n,
  at: START + (n - 1) * 60_000,
  ok: false,
  status: 503,
  error: 'non-2xx',
  latencyMs: 3,
  ...over,
});
const line = (d: DeliveryRecord, a: AttemptRecord) =>
  formatActivity({ type: 'delivery:attempt', delivery: d, attempt: a }, ctx);

describe('activity log lines', () => {
  it('a failed attempt says when it is retried', () => {
    assert.equal(
      line(delivery(), attempt(1)),
      `10:00:00  call-completion         → ${URL_}  503 (attempt 1/6, retry in 60 s)`,
    );
  });

  it('a success says on which attempt; the last failure says exhausted', () => {
    assert.equal(
      line(delivery(), attempt(3, { ok: true, status: 200, error: undefined })),
      `10:02:00  call-completion         → ${URL_}  200 delivered on attempt 3`,
    );
    assert.equal(
      line(delivery(), attempt(1, { ok: true, status: 204, error: undefined })),
      `10:00:00  call-completion         → ${URL_}  204 delivered`,
    );
    assert.equal(
      line(delivery(), attempt(6, { status: undefined, error: 'timeout' })),
      `10:05:00  call-completion         → ${URL_}  timeout (attempt 6/6) exhausted after 6 attempts`,
    );
  });

  it('replays name the delivery they replay; policies change the numbers', () => {
    const d = delivery({
      id: 'w-000001.replay1',
      replayOf: 'w-000001',
      policy: { timeoutMs: 10_000, retryIntervalMs: 300_000, maxRetries: 2 },
    });
    assert.equal(
      line(d, attempt(1, { status: undefined, error: 'refused' })),
      `10:00:00  call-completion         → ${URL_}  refused (attempt 1/3, retry in 5 min) (replay of w-000001)`,
    );
  });

  it('workflow status changes; other delivery events are not logged', () => {
    const status: EmulatorEvent = {
      type: 'workflow:status',
      workflowId: '044e1d00f13b1e019c7c2c30e3f63502',
      workflowName: 'demo',
      status: 'Finished',
      at: START,
      timeZone: 'Asia/Jakarta',
    };
    assert.equal(
      formatActivity(status, ctx),
      '10:00:00  workflow 044e1d00f13b1e019c7c2c30e3f63502 (demo) Finished',
    );
    assert.equal(formatActivity({ type: 'delivery:created', delivery: delivery() }, ctx), null);
    assert.equal(formatActivity({ type: 'delivery:delivered', delivery: delivery() }, ctx), null);
  });

  it('times and durations', () => {
    assert.equal(clockTime(START, undefined), '03:00:00Z');
    assert.equal(clockTime(START, 'Not/AZone'), '03:00:00Z');
    assert.equal(clockTime(START, 'Asia/Kolkata'), '08:30:00');
    assert.equal(humanDuration(60_000), '60 s');
    assert.equal(humanDuration(300_000), '5 min');
    assert.equal(humanDuration(3 * 3600_000), '3 h');
  });
});

describe('the emulator reports activity', () => {
  it('onEvent: attempts with their retries, and workflow status changes', async () => {
    const events: EmulatorEvent[] = [];
    const emu = await startEmulator({
      sink: { mode: 'fail', failStatus: 503, failFirst: 1 },
      onEvent: (e) => events.push(e),
    });
    try {
      const { workflowId: id } = emu.trigger('tele');
      await emu.idle();
      const statuses = events.filter((e) => e.type === 'workflow:status');
      assert.deepEqual(
        statuses.map((e) => [e.workflowId, e.status]),
        [
          [id, 'Running'],
          [id, 'Finished'],
        ],
      );
      const attempts = events.filter((e) => e.type === 'delivery:attempt');
      assert.equal(attempts.length, emu.deliveries().length * 2, 'each delivery: a 503, then a 200');
      // After a reset, the old generation's late events stay out.
      const before = events.length;
      await emu.reset();
      assert.equal(events.length, before);
    } finally {
      await emu.close();
    }
  });
});

describe('serve prints the activity log', () => {
  const running: RunningCli[] = [];
  after(async () => {
    await Promise.all(running.map((s) => s.stop()));
  });

  /** `serve --demo` on a free port and a virtual clock (the demo plays out at once). */
  function serve(extra: string[]) {
    const s = startCli(['serve', '--demo', '--port', '0', '--clock', 'virtual', ...extra]);
    running.push(s);
    const port = () => Number(/listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(s.output())?.[1]);
    return { ...s, port };
  }

  it('one line per attempt, with retries and the delivering attempt', async () => {
    const s = serve([]);
    // The demo (endpoint-misbehaving) makes 32 deliveries, each delivered on its third attempt:
    // stop once all are, or an attempt still in flight would be logged after the stopping line.
    await s.waitFor(
      (o) =>
        /workflow \w+ \(retry_policy_check\) Finished/.test(o) &&
        (o.match(/delivered on attempt 3/g) ?? []).length === 32,
    );
    const result = await s.stop('SIGTERM');
    assert.equal(result.code, 0);
    assert.equal(result.stderr, '');
    const out = s.output();
    assert.match(out, /Activity \(clock time in the account time zone\):/);
    assert.match(out, /\d\d:\d\d:\d\d {2}workflow [0-9a-f]{32} \(retry_policy_check\) Running/);
    assert.match(
      out,
      /\d\d:\d\d:\d\d {2}workflow-status-change {2}→ http:\/\/127\.0\.0\.1:\d+\/__emulator\/sink\/endpoint-misbehaving {2}503 \(attempt 1\/6, retry in 60 s\)/,
    );
    assert.match(out, /503 \(attempt 2\/6, retry in 60 s\)/);
    assert.match(out, /200 delivered on attempt 3/);
    assert.ok(out.indexOf('Ctrl-C stops') < out.indexOf('→'), 'the log follows the banner');
    assert.ok(out.endsWith('\nSIGTERM: stopping…\n'), out.slice(-200));
  });

  it('--quiet: the banner only, while the demo plays out', async () => {
    const s = serve(['--quiet']);
    await s.waitFor((o) => o.includes('Ctrl-C stops'));
    // Wait until the demo has delivered everything, then look at the output again.
    for (;;) {
      const res = await fetch(`http://127.0.0.1:${s.port()}/__emulator/workflows`);
      const body = (await res.json()) as {
        list: { status: string; deliveries: { total: number; pending: number } }[];
      };
      const wf = body.list[0];
      if (wf && wf.status === 'Finished' && wf.deliveries.total > 0 && wf.deliveries.pending === 0) break;
      await delay(20);
    }
    assert.equal((await s.stop('SIGINT')).code, 0);
    assert.ok(s.output().includes('Dashboard'));
    assert.doesNotMatch(s.output(), /Activity|→/);
  });
});
