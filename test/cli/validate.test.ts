/**
 * `airudder-emulator validate` (in-process, through main()): exit codes 0 / 1 / 2 and the output
 * lines a user sees.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, runCli, type CliResult } from '../helpers/cli.ts';

const PUSH = join(ROOT, 'test', 'fixtures', 'seed-custom-api-node-push.json');
const INFO = join(ROOT, 'test', 'fixtures', 'seed-call-completion-info-check.json');

const cli = (...args: string[]): Promise<CliResult> => runCli(['validate', ...args]);

let dir: string;
const file = (name: string, content: string) => {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
};

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'validate-cli-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('validate CLI', { concurrency: true }, () => {
  test('both seed examples conform: exit 0, one "ok" line each, with the detected message', async () => {
    const r = await cli(PUSH, INFO);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.stdout.trim().split('\n'), [
      `${PUSH}: ok custom-api-node-push (detected from node_id + callee + call)`,
      `${INFO}: ok call-completion-info-check (detected from details[] with question_answer)`,
    ]);
    assert.equal(r.stderr, '');
  });

  test('a payload that does not conform: exit 1, FAIL and one line per error with its JSON path', async () => {
    const push = JSON.parse(readFileSync(PUSH, 'utf8'));
    push.call.ring_type = 'ringing';
    delete push.callee.case_id;
    push.call.call_start_time = '2024-03-11T15:58:26';
    const bad = file('bad-push.json', JSON.stringify(push, null, 2));
    const r = await cli(bad);
    assert.equal(r.code, 1);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines[0], `${bad}: FAIL custom-api-node-push (detected from node_id + callee + call)`);
    assert.ok(lines.includes(`${bad}: $.callee.case_id is required (missing property "case_id")`), r.stdout);
    assert.ok(
      lines.some((l) => l.startsWith(`${bad}: $.call.ring_type must be one of "busy"`)),
      r.stdout,
    );
    assert.ok(
      lines.some((l) => l.startsWith(`${bad}: $.call.call_start_time must match the pattern`)),
      r.stdout,
    );
  });

  test('--type overrides detection', async () => {
    const ok = await cli('--type', 'custom-api-node-push', PUSH);
    assert.equal(ok.code, 0);
    assert.equal(ok.stdout, `${PUSH}: ok custom-api-node-push\n`);
    const wrong = await cli('-t', 'call-completion-info-check', PUSH);
    assert.equal(wrong.code, 1);
    assert.match(wrong.stdout, /: FAIL call-completion-info-check\n/);
    assert.match(wrong.stdout, /: \$\.details is required/);
  });

  test('a shape no schema matches: exit 1 with a hint to pass --type', async () => {
    const r = await cli(file('odd.json', '{"hello": "world"}'));
    assert.equal(r.code, 1);
    assert.match(r.stdout, /odd\.json: FAIL \(unknown message: .*--type/);
  });

  test('invalid JSON: exit 2 with file:line:column', async () => {
    const bad = file('broken.json', '{\n  "workflow_id": "x",\n  "node_id": tru\n}\n');
    const r = await cli(bad);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, `${bad}:3:17: invalid JSON: unexpected character "\\n"\n`);
  });

  test('relative paths are relative to the working directory', async () => {
    writeFileSync(join(dir, 'rel.json'), readFileSync(PUSH, 'utf8'));
    const r = await runCli(['validate', 'rel.json'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'rel.json: ok custom-api-node-push (detected from node_id + callee + call)\n');
  });

  test('an unreadable file: exit 2, and the other files are still reported', async () => {
    const missing = join(dir, 'missing.json');
    const r = await cli(PUSH, missing);
    assert.equal(r.code, 2);
    assert.match(r.stdout, /seed-custom-api-node-push\.json: ok /);
    assert.equal(r.stderr, `${missing}: cannot read file (ENOENT)\n`);
  });

  test('usage errors: exit 2', async () => {
    const none = await cli();
    assert.equal(none.code, 2);
    assert.equal(
      none.stderr,
      'airudder-emulator validate: no file given\nRun "airudder-emulator validate --help" for the options.\n',
    );
    const unknownType = await cli('--type', 'nope', PUSH);
    assert.equal(unknownType.code, 2);
    assert.match(unknownType.stderr, /unknown --type "nope" \(known: .*custom-api-node-push/);
    const misspeltType = await cli('--type', 'call-completon', PUSH);
    assert.equal(misspeltType.code, 2);
    assert.match(
      misspeltType.stderr,
      /^airudder-emulator validate: unknown --type "call-completon" \(did you mean call-completion\?\) \(known: /,
    );
    const unknownOption = await cli('--frobnicate', PUSH);
    assert.equal(unknownOption.code, 2);
    assert.equal(
      unknownOption.stderr,
      'airudder-emulator validate: unknown option --frobnicate\nRun "airudder-emulator validate --help" for the options.\n',
    );
    const typo = await cli('--tpye', 'x', PUSH);
    assert.equal(typo.code, 2);
    assert.match(
      typo.stderr,
      /^airudder-emulator validate: unknown option --tpye \(did you mean --type\?\)\n/,
    );
    const missingValue = await cli(PUSH, '--type');
    assert.equal(missingValue.code, 2);
    assert.match(missingValue.stderr, /^airudder-emulator validate: --type needs a value\n/);
    assert.equal(none.stdout + unknownOption.stdout, '', 'errors go to stderr only');
  });

  test('--help prints the usage and the message names: exit 0', async () => {
    const r = await cli('--help');
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^Usage: airudder-emulator validate <file\.json>\.\.\. \[--type <message>\]/);
    assert.match(r.stdout, /Messages: .*call-completion-info-check/);
    assert.doesNotMatch(r.stdout, /Messages: .*\bcommon\b/);
    assert.doesNotMatch(r.stdout, /Messages: .*\b(scenario|serve-config)\b/);
  });
});
