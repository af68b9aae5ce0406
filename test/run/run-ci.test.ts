/**
 * `run` in CI: it fails fast at a target nobody listens on, stops a run that can say nothing new,
 * and a failing handler's report names the callback type, the status and the answer body — on
 * stdout, in JUnit and in the JSON report.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, type CliResult } from '../helpers/cli.ts';
import { startReceiver, type Receiver } from '../helpers/receiver.ts';
import { scenarioYaml } from '../delivery/scenario-fixture.ts';
import type { RunReport } from '../../src/run/report.ts';
import { runScenario } from '../../src/run/run-scenario.ts';
import { parseScenario } from '../../src/scenario/load.ts';

const cli = (args: string[]): Promise<CliResult> => runCli(['run', ...args]);

/** A loopback port nothing listens on (bound, then released). */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** What a handler with a bug in its call-completion branch answers. */
const CRASH = `KeyError: 'CaseID' in handle_call_completion ${'x'.repeat(500)}`;

describe('run in CI', () => {
  let dir: string;
  let tiny: string;
  let dead: string;
  let buggy: Receiver;
  let hanging: Receiver;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'run-ci-'));
    tiny = join(dir, 'tiny.yaml');
    writeFileSync(tiny, scenarioYaml({ url: 'http://127.0.0.1:9/unused' }));
    dead = `http://127.0.0.1:${await deadPort()}/cb`;
    // 500 with a body for every call-completion (the only type whose payload has `details`).
    buggy = await startReceiver({
      respond: (req) => (req.body.includes('"details"') ? { status: 500, body: CRASH } : 200),
    });
    hanging = await startReceiver({ respond: 'hang' });
  });
  after(async () => {
    await buggy.close();
    await hanging.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('nothing listening: exit 2 before the campaign, saying so, nothing sent', async () => {
    const report = join(dir, 'none.json');
    const r = await cli([tiny, '--target', dead, '--report', report]);
    assert.equal(r.code, 2);
    assert.equal(
      r.stderr,
      `airudder-emulator run: preflight: cannot reach the target (nothing was sent; --no-preflight skips this check)\n` +
        `  ${dead}: connection refused (ECONNREFUSED): nothing is listening there\n`,
    );
    assert.equal(r.stdout, '');
  });

  it('a host name that does not resolve: exit 2 before the campaign', async () => {
    const r = await cli([tiny, '--target', 'http://no-such-host.invalid/cb', '--quiet']);
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /preflight: cannot reach the target[^\n]*\n {2}http:\/\/no-such-host\.invalid\/cb: host name not found \((ENOTFOUND|EAI_AGAIN)\): check the host name\n$/,
    );
  });

  it('without preflight: stops after 5 consecutive connection failures, exit 2, every delivery accounted for', async () => {
    const report = join(dir, 'aborted.json');
    const junit = join(dir, 'aborted.xml');
    const r = await cli([
      tiny,
      '--target',
      dead,
      '--no-preflight',
      '--quiet',
      '--report',
      report,
      '--junit',
      junit,
    ]);
    assert.equal(r.code, 2);
    const reason = `5 consecutive connection failures to ${dead}: connection refused (ECONNREFUSED): nothing is listening there`;
    assert.equal(r.stderr, `airudder-emulator run: aborted: ${reason}\n`);
    const json = JSON.parse(readFileSync(report, 'utf8')) as RunReport;
    assert.equal(json.aborted, reason);
    assert.equal(json.ok, false);
    // Far from the 6 attempts × every delivery a full run would have made against nobody.
    assert.ok(json.summary.attempts < json.summary.deliveries * 6, JSON.stringify(json.summary));
    assert.equal(json.deliveries.length, json.summary.deliveries);
    for (const d of json.deliveries) {
      assert.ok(['delivered', 'exhausted', 'stopped', 'not-attempted'].includes(d.outcome), d.outcome);
      assert.equal(d.outcome === 'not-attempted', d.attempts.length === 0);
    }
    const s = json.summary;
    assert.equal(s.delivered + s.exhausted + s.stopped + s.notAttempted, s.deliveries);
    assert.equal(s.stopped + s.notAttempted, s.pending);
    assert.ok(json.contacts.finished < json.contacts.planned, JSON.stringify(json.contacts));
    assert.equal(json.contacts.planned, 6);
    assert.match(
      r.stdout,
      new RegExp(`^aborted: ${reason.replace(/[()]/g, '\\$&')} \\(\\d of 6 contacts finished\\)$`, 'm'),
    );
    assert.match(
      readFileSync(junit, 'utf8'),
      /<testcase [^>]*name="run" time="0">\n {6}<failure message="aborted: 5 consecutive/,
    );
  });

  it('a DNS failure without preflight stops the same way', async () => {
    const r = await cli([tiny, '--target', 'http://no-such-host.invalid/cb', '--no-preflight', '--quiet']);
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /^airudder-emulator run: aborted: 5 consecutive connection failures to http:\/\/no-such-host\.invalid\/cb: host name not found/,
    );
  });

  it('a handler that answers 500 for one type: the type, status and body on stdout, in JUnit and the JSON report', async () => {
    const file = join(dir, 'buggy.yaml');
    writeFileSync(
      file,
      scenarioYaml({
        url: buggy.url,
        delivery: 'delivery:\n  max_retries: 1',
        expectations: 'expectations:\n  counts:\n    call-completion: 6\n    custom-api-node-push: 6',
      }),
    );
    const report = join(dir, 'buggy.json');
    const junit = join(dir, 'buggy.xml');
    const r = await cli([file, '--quiet', '--report', report, '--junit', junit]);
    assert.equal(r.code, 1, r.stderr);
    const json = JSON.parse(readFileSync(report, 'utf8')) as RunReport;
    const first = json.deliveries.find((d) => d.type === 'call-completion')!;
    const body = `${CRASH.slice(0, 300)}…`;
    const line = `6 of 6 not delivered; first: ${first.id} to ${buggy.url}, 2 attempt(s), last: HTTP 500, body: ${JSON.stringify(body)}`;
    assert.ok(r.stdout.includes(`  FAIL delivery.call-completion: ${line}\n`), r.stdout);
    assert.ok(
      r.stdout.includes(`       request: POST ${buggy.url} {"workflow_id":"${first.workflowId}"`),
      r.stdout,
    );
    assert.doesNotMatch(r.stdout, /FAIL delivery\.custom-api-node-push/);
    assert.match(
      r.stdout,
      /FAIL counts\.call-completion: expected 6 delivered, got 0 delivered \(of 6 made\)/,
    );
    assert.match(
      r.stdout,
      /ok {3}counts\.custom-api-node-push: expected 6 delivered, got 6 delivered \(of 6 made\)/,
    );

    const xml = readFileSync(junit, 'utf8');
    assert.match(xml, /<testsuite name="airudder-emulator.tiny" tests="4" failures="2"/);
    assert.match(
      xml,
      /<testcase classname="airudder-emulator.tiny" name="delivery.custom-api-node-push" time="0"><\/testcase>/,
    );
    const failure =
      /name="delivery.call-completion" time="0">\n {6}<failure message="([^"]*)" type="delivery">([^<]*)<\/failure>/.exec(
        xml,
      );
    assert.ok(failure, xml);
    assert.match(
      failure[1]!,
      /HTTP 500, body: &quot;KeyError: &apos;CaseID&apos; in handle_call_completion x+…&quot;$/,
    );
    assert.match(failure[2]!, /\nrequest: POST [^\n]+\nresponse: KeyError: &apos;CaseID&apos;/);

    assert.deepEqual(
      first.attempts.map((a) => [a.status, a.response]),
      [
        [500, body],
        [500, body],
      ],
    );
    assert.equal(json.failures.length, 1);
    assert.equal(json.failures[0]!.type, 'call-completion');
    assert.equal(json.failures[0]!.first.response, body);
  });

  it('progress in a CI log: one exhausted line per callback type, with the answer, not one per delivery', async () => {
    const file = join(dir, 'buggy-log.yaml');
    writeFileSync(file, scenarioYaml({ url: buggy.url, delivery: 'delivery:\n  max_retries: 0' }));
    const r = await cli([file]);
    assert.equal(r.code, 1);
    const lines = r.stderr.split('\n').filter((l) => l.startsWith('exhausted '));
    assert.equal(lines.length, 1, r.stderr);
    assert.match(
      lines[0]!,
      /^exhausted \S+ \(call-completion\) after 1 attempts, last: HTTP 500 "KeyError: 'CaseID' in handle_call_completion x+…" \(further exhausted call-completion deliveries are counted, not listed\)$/,
    );
    assert.match(r.stderr, /6\/6 contacts, 12\/12 deliveries settled \(6 delivered, 6 exhausted\)/);
  });

  it('--response-chars sets how much of each body the reports keep', async () => {
    const file = join(dir, 'short.yaml');
    writeFileSync(file, scenarioYaml({ url: buggy.url, delivery: 'delivery:\n  max_retries: 0' }));
    const report = join(dir, 'short.json');
    const r = await cli([file, '--quiet', '--report', report, '--response-chars', '8']);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /last: HTTP 500, body: "KeyError…"\n/);
    const json = JSON.parse(readFileSync(report, 'utf8')) as RunReport;
    assert.equal(
      json.deliveries.find((d) => d.type === 'call-completion')!.attempts[0]!.response,
      'KeyError…',
    );
  });

  it('--timeout-ms is the per-attempt deadline (a hanging receiver fails each attempt with it)', async () => {
    const file = join(dir, 'hang.yaml');
    writeFileSync(file, scenarioYaml({ url: hanging.url, delivery: 'delivery:\n  max_retries: 0' }));
    const report = join(dir, 'hang.json');
    const r = await cli([file, '--quiet', '--timeout-ms', '50', '--report', report]);
    assert.equal(r.code, 1, r.stderr);
    const json = JSON.parse(readFileSync(report, 'utf8')) as RunReport;
    assert.equal(json.summary.exhausted, 12);
    for (const d of json.deliveries) {
      assert.deepEqual(
        d.attempts.map((a) => [a.error, a.message]),
        [['timeout', 'no complete answer within 50 ms']],
      );
    }
    assert.match(r.stdout, /last: no answer \(no complete answer within 50 ms\)/);
  });

  it("--timeout-ms, the scenario's delivery.timeout_ms and the library's timeoutMs are one setting", async () => {
    const inYaml = join(dir, 'hang-yaml.yaml');
    writeFileSync(
      inYaml,
      scenarioYaml({ url: hanging.url, delivery: 'delivery:\n  max_retries: 0\n  timeout_ms: 40' }),
    );
    const report = join(dir, 'hang-yaml.json');
    assert.equal((await cli([inYaml, '--quiet', '--report', report])).code, 1);
    const fromYaml = JSON.parse(readFileSync(report, 'utf8')) as RunReport;
    // The flag wins over the file.
    assert.equal((await cli([inYaml, '--quiet', '--report', report, '--timeout-ms', '30'])).code, 1);
    const fromFlag = JSON.parse(readFileSync(report, 'utf8')) as RunReport;
    const lib = await runScenario({
      scenario: parseScenario(scenarioYaml({ url: hanging.url, delivery: 'delivery:\n  max_retries: 0' })),
      timeoutMs: 30,
    });
    const messages = (r: RunReport) => [
      ...new Set(r.deliveries.flatMap((d) => d.attempts.map((a) => a.message))),
    ];
    assert.deepEqual(messages(fromYaml), ['no complete answer within 40 ms']);
    assert.deepEqual(messages(fromFlag), ['no complete answer within 30 ms']);
    assert.deepEqual(messages(lib), ['no complete answer within 30 ms']);
  });

  it('--max-duration stops a run in real time: exit 2, the report says why', async () => {
    const file = join(dir, 'long.yaml');
    writeFileSync(file, scenarioYaml({ url: hanging.url }));
    const report = join(dir, 'long.json');
    const r = await cli([file, '--quiet', '--max-duration', '200ms', '--report', report]);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, 'airudder-emulator run: aborted: max duration reached (200 ms of real time)\n');
    const json = JSON.parse(readFileSync(report, 'utf8')) as RunReport;
    assert.equal(json.aborted, 'max duration reached (200 ms of real time)');
    assert.equal(json.summary.delivered, 0);
  });

  it('flags are checked', async () => {
    for (const [args, message] of [
      [['--timeout-ms', '0'], '--timeout-ms must be an integer from 1 to 600000 (got "0")'],
      [['--abort-after', '-1'], '--abort-after needs a value (to pass "-1", write --abort-after=-1)'],
      [['--max-duration', 'soon'], '--max-duration must be a duration such as 90s, 5m or 1h (got "soon")'],
      [['--response-chars', '5000'], '--response-chars must be an integer from 0 to 1024 (got "5000")'],
    ] as [string[], string][]) {
      const r = await cli([tiny, ...args]);
      assert.equal(r.code, 2);
      assert.equal(r.stderr.split('\n')[0], `airudder-emulator run: ${message}`);
    }
  });
});
