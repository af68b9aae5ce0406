/** `airudder-emulator run` in-process (through main()): exit codes, reports, progress output. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifySignature } from '../../src/core/signing.ts';
import { shippedScenarioNames } from '../../src/scenario/catalog.ts';
import { runCli, type CliOptions, type CliResult } from '../helpers/cli.ts';
import { startReceiver, type Receiver } from '../helpers/receiver.ts';
import { scenarioYaml } from '../delivery/scenario-fixture.ts';

const cli = (args: string[], opts?: CliOptions): Promise<CliResult> => runCli(['run', ...args], opts);
const HINT = 'Run "airudder-emulator run --help" for the options.\n';

describe('airudder-emulator run', () => {
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
    assert.match(r.stderr, /6\/6 contacts, 12\/12 deliveries settled/, 'plain progress lines when not a TTY');
    const json = JSON.parse(readFileSync(report, 'utf8'));
    assert.equal(json.seed, 5);
    assert.equal(json.clock, 'virtual');
    assert.equal(json.deliveries.length, 12);
    const d = json.deliveries[0];
    assert.deepEqual(Object.keys(d.attempts[0]).sort(), [
      'at',
      'error',
      'latencyMs',
      'n',
      'response',
      'status',
    ]);
    assert.equal(d.attempts[0].response, '{"error":"status 500"}');
    assert.equal(d.attempts[1].at - d.attempts[0].at, 60_000);
    assert.equal(typeof json.start.clock, 'number');
    assert.match(
      readFileSync(junit, 'utf8'),
      /<testsuite name="airudder-emulator.tiny" tests="3" failures="0" errors="0" skipped="0" time="\d+\.\d{3}" timestamp="\d{4}-\d\d-\d\dT[\d:.]+Z"/,
    );
    const got = ok.requests.at(-1)!;
    assert.equal(got.headers['user-agent'], 'Airudder');
    // Call completions are signed with the default KEY; the other callbacks go out unsigned.
    const completion = ok.requests.findLast((q) => 'nodetask_id' in JSON.parse(q.body))!;
    assert.ok(verifySignature(completion.raw, completion.headers, 'airudder'));
    const notice = ok.requests.findLast((q) => !('nodetask_id' in JSON.parse(q.body)))!;
    assert.equal(notice.headers['x-airudder-sign'], undefined);
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

  it('a terminal gets one redrawn progress bar; relative paths are from the working directory', async () => {
    writeFileSync(join(dir, 'tty.yaml'), scenarioYaml({ url: 'http://127.0.0.1:9/unused' }));
    const r = await cli(['tty.yaml', '--target', ok.url, '--report', 'out/tty.json'], {
      cwd: dir,
      tty: true,
    });
    assert.equal(r.code, 0, r.stderr);
    // Each redraw clears the line (CR, erase line) instead of adding one; the last one stays.
    const draws = r.stderr.split('\r\u001b[2K');
    assert.ok(draws.length > 2, JSON.stringify(r.stderr));
    assert.equal(draws[0], '');
    assert.ok(
      draws
        .slice(1, -1)
        .every(
          (d) => /^\[[#-]{24}\] \d+\/6 contacts, \d+\/\d+ deliveries settled [^\n]*$/.test(d) || d === '',
        ),
      JSON.stringify(r.stderr),
    );
    assert.match(
      draws.at(-1)!,
      /^\[#{24}\] 6\/6 contacts, 12\/12 deliveries settled \(12 delivered, 0 exhausted\), 24 attempts, clock 2024-03-11 \d\d:\d\d:\d\d\n$/,
    );
    assert.equal(JSON.parse(readFileSync(join(dir, 'out', 'tty.json'), 'utf8')).file, 'tty.yaml');
  });

  it('exits 2 on usage and scenario errors, with one clear message', async () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'seed: 1\naccount:\n  timezone: Asia/Jakarta\n');
    const good = join(dir, 'tiny.yaml');
    const shipped = shippedScenarioNames().join(', ');
    const usage = (message: string) => `airudder-emulator run: ${message}\n${HINT}`;
    const cases: [string[], string | RegExp][] = [
      [[], usage('missing <scenario>')],
      [[good, good], usage('one scenario at a time')],
      [
        [good, '--clock', 'warp'],
        usage(
          '--clock must be one of real | scaled:<scale> (e.g. scaled:60) | virtual | virtual:manual (got "warp")',
        ),
      ],
      [[good, '--seed', '1.5'], usage('--seed must be an integer from 0 to 4294967295 (got "1.5")')],
      [[good, '--seed=-1'], usage('--seed must be an integer from 0 to 4294967295 (got "-1")')],
      [[good, '--seed', '-1'], usage('--seed needs a value (to pass "-1", write --seed=-1)')],
      [[good, '--target', 'ftp://x'], usage('--target must be an http(s) URL (got "ftp://x")')],
      [
        [good, '--target-call-completion', 'nope'],
        usage('--target-call-completion must be an http(s) URL (got "nope")'),
      ],
      [
        [good, '--start-time', 'yesterday'],
        usage('--start-time: invalid start time "yesterday" (expected "YYYY-MM-DD HH:mm:ss" or ISO-8601)'),
      ],
      [[good, '--bogus'], usage('unknown option --bogus')],
      [[good, '--clok', 'virtual'], usage('unknown option --clok (did you mean --clock?)')],
      [[good, '--taget', 'http://x'], usage('unknown option --taget (did you mean --target?)')],
      [[good, '--quiet=yes'], usage('--quiet takes no value')],
      [[good, '--seed'], usage('--seed needs a value')],
      [
        [good, '--report', join(bad, 'r.json')],
        usage(`cannot write --report ${join(bad, 'r.json')} (ENOTDIR)`),
      ],
      [
        ['bad.yaml'],
        'bad.yaml:1:1: templates is required (missing property "templates")\n' +
          'bad.yaml:1:1: contacts is required (missing property "contacts")\n' +
          'bad.yaml:3:3: account.locale is required (missing property "locale")\n',
      ],
      [
        ['missing.yaml'],
        `unknown scenario "missing.yaml": no such file, and no shipped scenario by that name (shipped: ${shipped})\n`,
      ],
      [
        ['telemarketin'],
        `unknown scenario "telemarketin": no such file, and no shipped scenario by that name (shipped: ${shipped})\n`,
      ],
    ];
    for (const [args, message] of cases) {
      const r = await cli([...args], { cwd: dir });
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      if (typeof message === 'string') assert.equal(r.stderr, message, args.join(' '));
      else assert.match(r.stderr, message, args.join(' '));
      assert.equal(r.stdout, '', args.join(' '));
    }
  });

  it('--help: the options, exit 0', async () => {
    const r = await cli(['--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^Usage: airudder-emulator run <scenario\.yaml \| shipped name> \[options\]/);
    assert.equal(r.stderr, '');
  });
});
