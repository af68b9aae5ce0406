/**
 * `serve` flags and --config become emulator options; bad flags are usage errors (exit 2). The
 * conventions (environment, config file errors, messages) are in test/cli/serve.test.ts.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  DEFAULT_PORT,
  DEMO_CLOCK,
  run,
  serveOptions,
  shippedScenarios,
} from '../../src/cli/commands/serve.ts';
import { processIO } from '../../src/cli/io.ts';
import request from 'supertest';
import { buildEmulator } from '../../src/server/emulator.ts';

describe('serve options', () => {
  const dir = mkdtempSync(join(tmpdir(), 'airudder-serve-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('defaults: port 4010, 127.0.0.1, real clock, every shipped scenario', () => {
    const { options, demo } = serveOptions([], { ...processIO(), env: {} });
    assert.equal(options.port, DEFAULT_PORT);
    assert.equal(options.host, '127.0.0.1');
    assert.equal(options.clock, 'real');
    assert.deepEqual(options.scenarios, shippedScenarios());
    assert.ok(shippedScenarios().length > 0);
    assert.equal(demo, false);
  });

  it('--demo: scaled clock, a workflow on start; the sink follows its scenario', () => {
    const { options } = serveOptions(['--demo'], { ...processIO(), env: {} });
    assert.equal(options.clock, DEMO_CLOCK);
    // endpoint-misbehaving's receiver: section fails the first two attempts with 503.
    assert.equal(options.sink, undefined);
    assert.equal(typeof options.onStarted, 'function');
  });

  it('flags win over --config', () => {
    const cfg = join(dir, 'cfg.yaml');
    writeFileSync(
      cfg,
      'port: 5000\nseed: 7\naesKey: airudderredduria\naccounts:\n  - { appKey: a, appSecret: b }\n',
    );
    writeFileSync(join(dir, 'x.yaml'), '');
    const { options } = serveOptions(
      ['--config', cfg, '--port', '0', '--scenario', 'x.yaml', '--scenario', 'telemarketing'],
      { ...processIO(), cwd: dir, env: {} },
    );
    assert.equal(options.port, 0);
    assert.equal(options.seed, 7);
    assert.equal(options.aesKey, 'airudderredduria');
    assert.deepEqual(options.accounts, [{ appKey: 'a', appSecret: 'b' }]);
    assert.deepEqual(options.scenarios, [
      join(dir, 'x.yaml'),
      shippedScenarios().find((f) => f.endsWith('/telemarketing.yaml')),
    ]);
  });

  it('--config faults and requestLogSize become options, and the emulator applies the faults', async () => {
    const cfg = join(dir, 'faults.yaml');
    writeFileSync(
      cfg,
      'requestLogSize: 10\nmaxRowsPerWorkflow: 20000\nfaults:\n  - route: POST /service/cloud/workflow/createinstance\n    code: 10813\n    times: 1\n',
    );
    const { options } = serveOptions(['--config', cfg], { ...processIO(), env: {} });
    assert.equal(options.requestLogSize, 10);
    assert.equal(options.maxRowsPerWorkflow, 20_000);
    const rule = { route: 'POST /service/cloud/workflow/createinstance', code: 10813, times: 1 };
    assert.deepEqual(options.faults, [rule]);
    const emu = buildEmulator({
      faults: options.faults,
      requestLogSize: options.requestLogSize,
      scenarios: [],
    });
    try {
      assert.deepEqual(emu.faults.list(), [{ id: 'fault-1', ...rule, remaining: 1 }]);
      const res = await request(emu.app).post('/service/cloud/workflow/createinstance').send({});
      assert.deepEqual([res.status, res.body.code], [401, 10813]);
      assert.deepEqual(emu.faults.list(), []);
    } finally {
      await emu.close();
    }
  });

  it("--timeout-ms is --config's delivery.timeoutMs (the flag wins), as run's --timeout-ms", () => {
    const cfg = join(dir, 'timeout.yaml');
    writeFileSync(cfg, 'delivery:\n  timeoutMs: 2000\n  maxRetries: 1\n');
    const io = { ...processIO(), cwd: dir, env: {} };
    assert.deepEqual(serveOptions(['--config', cfg], io).options.delivery, {
      timeoutMs: 2000,
      maxRetries: 1,
    });
    assert.deepEqual(serveOptions(['--config', cfg, '--timeout-ms', '50'], io).options.delivery, {
      timeoutMs: 50,
      maxRetries: 1,
    });
    assert.deepEqual(serveOptions(['--timeout-ms', '50'], io).options.delivery, { timeoutMs: 50 });
    assert.throws(
      () => serveOptions(['--timeout-ms', '0'], io),
      /--timeout-ms must be an integer from 1 to 600000 \(got "0"\)/,
    );
  });

  it('bad flags exit 2 with a message', async () => {
    const io = { ...processIO(), env: {}, stdout: { write: () => true }, stderr: { write: () => true } };
    for (const argv of [['--port', '99999'], ['--clock', 'fast'], ['--target', 'ftp://x'], ['--nope']]) {
      assert.equal(await run(argv, io), 2, argv.join(' '));
    }
    assert.equal(await run(['--help'], io), 0);
  });
});
