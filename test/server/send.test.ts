/**
 * One callback on demand, the same through the library (`emu.send`), the admin API
 * (`POST /__emulator/callbacks`) and the CLI (`send`): the same bytes for the same type, overrides
 * and seed; overrides applied; a schema-breaking override refused (400 / exit 2) unless
 * allowInvalid; the vendor's retry policy; clear errors for an unknown type or a bad path.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { schemas } from '../../src/contract/registry.ts';
import { VendorError } from '../../src/core/vendor-errors.ts';
import { createEmulator, type Emulator } from '../../src/server/emulator.ts';
import { runCli } from '../helpers/cli.ts';
import { startReceiver, type Receiver } from '../helpers/receiver.ts';

const SIGN = 'x-airudder-sign';

describe('send: one callback on demand', () => {
  let emu: Emulator;
  let rx: Receiver;

  before(async () => {
    rx = await startReceiver();
    emu = await createEmulator({ seed: 1, clock: 'virtual:manual' });
  });
  after(async () => {
    await emu.close();
    await rx.close();
  });

  const last = () => rx.requests.at(-1)!;

  it('library, admin API and CLI send the same bytes for the same type, overrides and seed', async () => {
    const d = emu.send({
      type: 'call-completion',
      set: { 'details[0].CaseID': 'C-42', 'details[0].duration': 99 },
      target: `${rx.url}/lib`,
    });
    await emu.idle();
    assert.equal(d.outcome, 'delivered');
    const lib = last();

    const res = await request(emu.url)
      .post('/__emulator/callbacks')
      .send({
        type: 'call-completion',
        set: ['details[0].CaseID=C-42', 'details[0].duration=99'],
        target: `${rx.url}/admin`,
      });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    await emu.idle();
    const admin = last();

    const cli = await runCli([
      'send',
      'call-completion',
      '--target',
      `${rx.url}/cli`,
      '--set',
      'details[0].CaseID=C-42',
      '--set',
      'details[0].duration=99',
    ]);
    assert.equal(cli.code, 0, cli.stderr);
    const byCli = last();

    assert.deepEqual(
      [lib, admin, byCli].map((r) => r.path.split('/').at(-1)),
      ['lib', 'admin', 'cli'],
    );
    assert.equal(admin.body, lib.body);
    assert.equal(byCli.body, lib.body);
    assert.equal(admin.headers[SIGN], lib.headers[SIGN]);
    assert.equal(byCli.headers[SIGN], lib.headers[SIGN]);
    const payload = JSON.parse(lib.body);
    assert.equal(payload.details[0].CaseID, 'C-42');
    assert.equal(payload.details[0].duration, 99);
    assert.equal(payload.workflow_name, 'collection_d1_jakarta');
    // The CLI prints the request and the answer.
    assert.ok(cli.stdout.startsWith(`POST ${rx.url}/cli\n`), cli.stdout);
    assert.ok(cli.stdout.includes(`\n${lib.body}\n`));
    assert.match(cli.stdout, /attempt 1: HTTP 200, \d+ ms {}\ndelivered after 1 attempt\n$/);
  });

  it('the record is a normal delivery marked as sent on demand', async () => {
    const res = await request(emu.url)
      .post('/__emulator/callbacks')
      .send({ type: 'custom-api-node-push', set: { 'call.intention': 'PTP' }, target: `${rx.url}/p` });
    assert.equal(res.status, 201);
    assert.equal(res.body.type, 'custom-api-node-push');
    assert.equal(res.body.url, `${rx.url}/p`);
    assert.equal(res.body.workflowId, null);
    assert.deepEqual(res.body.onDemand, {
      scenario: 'collection-ptp',
      set: { 'call.intention': 'PTP' },
      valid: true,
    });
    await emu.idle();
    const d = emu.delivery(res.body.id)!;
    assert.match(d.id, /^send\d+$/);
    assert.equal(d.outcome, 'delivered');
    assert.equal((d.payload as { call: { intention: string } }).call.intention, 'PTP');
    assert.ok(emu.deliveries().some((x) => x.id === d.id));
    const listed = await request(emu.url).get('/__emulator/deliveries');
    assert.deepEqual(listed.body.list.find((x: { id: string }) => x.id === d.id).onDemand, res.body.onDemand);
  });

  it('a schema-breaking override is refused (400, exit 2) with the schema errors', async () => {
    const before = emu.deliveries().length;
    const message =
      'send: the overrides break the call-completion schema: $.details[0].CaseID must be of type string';
    const res = await request(emu.url)
      .post('/__emulator/callbacks')
      .send({ type: 'call-completion', set: { 'details[0].CaseID': 42 }, target: `${rx.url}/x` });
    assert.equal(res.status, 400);
    assert.equal(res.body.code, 400);
    assert.ok(res.body.message.startsWith(message), res.body.message);
    assert.deepEqual(res.body.errors, [{ path: '$.details[0].CaseID', message: 'must be of type string' }]);
    assert.throws(
      () => emu.send({ type: 'call-completion', set: { 'details[0].CaseID': 42 } }),
      (e: unknown) => e instanceof VendorError && e.message.startsWith(message),
    );
    const cli = await runCli([
      'send',
      'call-completion',
      '--target',
      `${rx.url}/x`,
      '--set',
      'details[0].CaseID=42',
    ]);
    assert.equal(cli.code, 2);
    assert.ok(cli.stderr.includes('  $.details[0].CaseID: must be of type string\n'), cli.stderr);
    assert.equal(emu.deliveries().length, before);
  });

  it('allowInvalid / --allow-invalid sends it anyway, marked invalid', async () => {
    const res = await request(emu.url)
      .post('/__emulator/callbacks')
      .send({
        type: 'call-completion',
        set: { 'details[0].CaseID': 42 },
        target: `${rx.url}/neg`,
        allowInvalid: true,
      });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.onDemand.valid, false);
    await emu.idle();
    assert.equal(JSON.parse(last().body).details[0].CaseID, 42);
    const cli = await runCli([
      'send',
      'call-completion',
      '--target',
      `${rx.url}/neg-cli`,
      '--set',
      'details[0].CaseID=42',
      '--allow-invalid',
    ]);
    assert.equal(cli.code, 0, cli.stderr);
    assert.equal(last().body, rx.requests.at(-2)!.body);
  });

  it('retries follow the vendor policy: a minute apart, 5 retries, then exhausted (exit 1)', async () => {
    const failing = await startReceiver({ respond: 503 });
    try {
      const d = emu.send({ type: 'list-completion', target: `${failing.url}/f` });
      await emu.idle();
      assert.equal(d.outcome, 'exhausted');
      assert.deepEqual(
        d.attempts.map((a) => [a.n, a.at - d.firstAt, a.status]),
        [0, 1, 2, 3, 4, 5].map((i) => [i + 1, i * 60_000, 503]),
      );
      const cli = await runCli(['send', 'list-completion', '--target', `${failing.url}/c`]);
      assert.equal(cli.code, 1);
      assert.match(
        cli.stdout,
        /attempt 6: HTTP 503, \d+ ms .*\nnot delivered \(exhausted\) after 6 attempts\n$/,
      );
      const once = await runCli(['send', 'list-completion', '--target', `${failing.url}/c`, '--no-retry']);
      assert.equal(once.code, 1);
      assert.match(once.stdout, /not delivered \(exhausted\) after 1 attempt\n$/);
    } finally {
      await failing.close();
    }
  });

  it('an unknown type: did you mean (400, exit 2)', async () => {
    const message = 'send: unknown callback type "call-complet" (did you mean "call-completion"?)';
    const res = await request(emu.url).post('/__emulator/callbacks').send({ type: 'call-complet' });
    assert.equal(res.status, 400);
    assert.ok(res.body.message.startsWith(message), res.body.message);
    const cli = await runCli(['send', 'call-complet', '--target', `${rx.url}/x`]);
    assert.equal(cli.code, 2);
    assert.ok(cli.stderr.startsWith(`airudder-emulator send: ${message.slice(6)}`), cli.stderr);
  });

  for (const [path, why] of [
    ['call..intention', 'at character 6: expected a field name'],
    ['details[x].ring_type', 'at character 8: expected [<index>] with a non-negative integer index'],
    ['details[0]ring_type', 'at character 11: unexpected "r"'],
  ] as const) {
    it(`a bad path "${path}": a clear error (400, exit 2)`, async () => {
      const message = `send: bad path "${path}" ${why}`;
      const res = await request(emu.url)
        .post('/__emulator/callbacks')
        .send({ type: 'call-completion', set: { [path]: 1 } });
      assert.equal(res.status, 400);
      assert.ok(res.body.message.startsWith(message), res.body.message);
      const cli = await runCli(['send', 'call-completion', '--target', `${rx.url}/x`, '--set', `${path}=1`]);
      assert.equal(cli.code, 2);
      assert.ok(cli.stderr.startsWith(`airudder-emulator send: --set ${message.slice(6)}`), cli.stderr);
    });
  }

  it('an override past the end of a list, or through a non-object, is refused', () => {
    assert.throws(() => emu.send({ type: 'call-completion', set: { 'details[5].CaseID': 'x' } }), {
      message: 'send: cannot set "details[5].CaseID": details has 1 items (index 5 is past the end)',
    });
    assert.throws(() => emu.send({ type: 'call-completion', set: { 'workflow_name.x': 'x' } }), {
      message: 'send: cannot set "workflow_name.x": workflow_name is not an object',
    });
  });

  it('without a target: the type target if set, else the built-in sink /__emulator/sink/send', async () => {
    const d = emu.send({ type: 'workflow-status-change' });
    assert.equal(d.url, `${emu.url}/__emulator/sink/send`);
    await emu.idle();
    assert.equal(d.outcome, 'delivered');
    assert.equal(emu.sink.requests().at(-1)!.path, '/__emulator/sink/send');
    emu.setTargets({ targets: { 'workflow-status-change': `${rx.url}/wsc` } });
    try {
      assert.equal(emu.send({ type: 'workflow-status-change' }).url, `${rx.url}/wsc`);
      await emu.idle();
    } finally {
      emu.setTargets({ targets: { 'workflow-status-change': null } });
    }
  });

  it("chatbot-session-end starts from the schema's example (the engine sends none)", async () => {
    const d = emu.send({ type: 'chatbot-session-end', target: `${rx.url}/bot` });
    assert.deepEqual(d.payload, schemas().schema('chatbot-session-end').examples![0]);
    assert.equal(d.onDemand!.scenario, null);
    await emu.idle();
    assert.throws(() => emu.send({ type: 'chatbot-session-end', scenario: 'collection-ptp' }), {
      message: /the engine sends no chatbot-session-end callbacks/,
    });
  });

  it('scenario: the base payload comes from that scenario; an unknown one is a 404', async () => {
    const d = emu.send({
      type: 'custom-api-node-push',
      scenario: 'ecommerce-order-confirmation',
      target: `${rx.url}/e`,
    });
    assert.equal(d.onDemand!.scenario, 'ecommerce-order-confirmation');
    assert.notEqual((d.payload as { workflow_name: string }).workflow_name, 'collection_d1_jakarta');
    await emu.idle();
    const res = await request(emu.url)
      .post('/__emulator/callbacks')
      .send({ type: 'call-completion', scenario: 'no-such-scenario' });
    assert.equal(res.status, 404);
    assert.match(res.body.message, /unknown scenario "no-such-scenario"/);
  });

  it('the CLI: --scenario and --seed pick the base as the library does; --help', async () => {
    const seeded = await createEmulator({ seed: 9, clock: 'virtual:manual' });
    try {
      const d = seeded.send({ type: 'list-completion', scenario: 'telemarketing', target: `${rx.url}/s` });
      await seeded.idle();
      const cli = await runCli([
        'send',
        'list-completion',
        '--scenario',
        'telemarketing',
        '--seed',
        '9',
        '--target',
        `${rx.url}/s`,
      ]);
      assert.equal(cli.code, 0, cli.stderr);
      assert.equal(last().body, d.body);
    } finally {
      await seeded.close();
    }
    const help = await runCli(['send', '--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^Usage: airudder-emulator send <type> --target <url> \[options\]\n/);
    assert.match(help.stdout, /--allow-invalid/);
    const missing = await runCli(['send', 'list-completion']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /--target <url> is required/);
  });

  it('unknown options: did you mean', async () => {
    const res = await request(emu.url)
      .post('/__emulator/callbacks')
      .send({ type: 'call-completion', taget: 'x' });
    assert.equal(res.status, 400);
    assert.equal(res.body.message, 'send: unknown option "taget" (did you mean "target"?)');
    const cli = await runCli(['send', 'call-completion', '--taget', 'http://x/']);
    assert.equal(cli.code, 2);
    assert.match(cli.stderr, /--target/);
  });
});

describe('send: a restart from the journal', () => {
  let dir: string;
  let rx: Receiver;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'airudder-send-'));
    rx = await startReceiver({ failFirst: 1, failWith: 503 });
  });
  after(async () => {
    await rx.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a sent callback keeps its bytes and carries on with its retries', async () => {
    const first = await createEmulator({ seed: 7, clock: 'virtual:manual', dataDir: dir });
    let id: string;
    let body: string;
    try {
      const d = first.send({
        type: 'call-completion',
        set: ['details[0].CaseID=R-1'],
        target: `${rx.url}/r`,
      });
      ({ id, body } = d);
      await first.advance(1_000);
      assert.deepEqual(
        d.attempts.map((a) => a.status),
        [503],
      );
    } finally {
      await first.close();
    }
    const second = await createEmulator({ seed: 7, clock: 'virtual:manual', dataDir: dir });
    try {
      const d = second.delivery(id)!;
      assert.equal(d.body, body);
      assert.deepEqual(d.onDemand, {
        scenario: 'collection-ptp',
        set: { 'details[0].CaseID': 'R-1' },
        valid: true,
      });
      await second.idle();
      assert.equal(second.delivery(id)!.outcome, 'delivered');
      assert.deepEqual(
        rx.requests.map((r) => r.body === body),
        [true, true],
      );
      // Counted from the store: the next one sent is not a clash.
      assert.notEqual(second.send({ type: 'list-completion', target: `${rx.url}/n` }).id, id);
      await second.idle();
    } finally {
      await second.close();
    }
  });
});
