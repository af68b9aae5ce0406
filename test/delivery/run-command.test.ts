import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { verifySignature } from '../../src/core/signing.ts';
import { startReceiver, type Receiver } from '../helpers/receiver.ts';
import { scenarioYaml } from './scenario-fixture.ts';

const BIN = fileURLToPath(new URL('../../bin/airudder-emulator.js', import.meta.url));

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, 'run', ...args],
      { env: { ...process.env, NO_COLOR: '1' } },
      (err, stdout, stderr) => {
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

describe('airudder-emulator run (child process)', () => {
  let dir: string;
  let ok: Receiver;
  let failing: Receiver;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'run-cmd-'));
    ok = await startReceiver({ failFirst: 1 });
    failing = await startReceiver({ respond: 500 });
  });
  after(async () => {
    await ok.close();
    await failing.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('exits 0 when expectations hold and writes the JSON and JUnit reports', async () => {
    const file = join(dir, 'tiny.yaml');
    writeFileSync(file, scenarioYaml({ url: 'http://127.0.0.1:9/unused' }));
    const report = join(dir, 'report.json');
    const junit = join(dir, 'junit.xml');
    const r = await cli([file, '--target', ok.url, '--report', report, '--junit', junit, '--seed', '5']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /tiny: 12 deliveries, 12 delivered, 0 exhausted, 24 attempts/);
    assert.match(r.stdout, /expectations hold/);
    assert.match(r.stderr, /12\/12 settled/, 'plain progress lines when not a TTY');
    const json = JSON.parse(readFileSync(report, 'utf8'));
    assert.equal(json.seed, 5);
    assert.equal(json.clock, 'virtual');
    assert.equal(json.deliveries.length, 12);
    const d = json.deliveries[0];
    assert.deepEqual(Object.keys(d.attempts[0]).sort(), ['at', 'error', 'latencyMs', 'n', 'status']);
    assert.equal(d.attempts[1].at - d.attempts[0].at, 60_000);
    assert.equal(typeof json.start.clock, 'number');
    assert.match(
      readFileSync(junit, 'utf8'),
      /<testsuite name="airudder-emulator.tiny" tests="1" failures="0" errors="0" skipped="0" time="\d+\.\d{3}" timestamp="\d{4}-\d\d-\d\dT[\d:.]+Z"/,
    );
    const got = ok.requests.at(-1)!;
    assert.equal(got.headers['user-agent'], 'Airudder');
    assert.ok(verifySignature(got.raw, got.headers, 'airudder'));
  });

  it('exits 1 and prints each failed expectation when the endpoint keeps failing', async () => {
    const file = join(dir, 'fail.yaml');
    writeFileSync(
      file,
      scenarioYaml({
        url: failing.url,
        delivery: 'delivery:\n  max_retries: 2',
        expectations: 'expectations:\n  all_delivered: true\n  total_attempts: 36',
      }),
    );
    const r = await cli([file, '--quiet', '--no-debug-headers']);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /FAIL all_delivered: expected every delivery delivered, got 0 of 12 delivered/);
    assert.match(r.stdout, /ok {3}total_attempts: expected 36, got 36/);
    assert.equal(r.stderr, '', '--quiet prints no progress');
    assert.equal(failing.requests.at(-1)!.headers['x-emulator-attempt'], undefined);
  });

  it('exits 2 on usage and scenario errors', async () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'seed: 1\naccount:\n  timezone: Asia/Jakarta\n');
    const good = join(dir, 'tiny.yaml');
    const cases = [
      [[], /missing <scenario>/],
      [[good, '--clock', 'warp'], /invalid clock "warp"/],
      [[good, '--target', 'ftp://x'], /--target: must be http/],
      [[good, '--start-time', 'yesterday'], /invalid start time/],
      [[good, '--bogus'], /Unknown option '--bogus'/],
      [[bad], /bad\.yaml:\d+:\d+/],
      [
        [join(dir, 'missing.yaml')],
        /unknown scenario ".*missing\.yaml": no such file.*shipped: all-unreachable/,
      ],
    ] as const;
    for (const [args, message] of cases) {
      const r = await cli([...args]);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message);
    }
  });
});
