/**
 * Scenario and config files a user (or an attacker) could hand us: a YAML "billion laughs", an
 * endless device, a huge file. Each ends in exit 2 (or a ScenarioError from the library) with
 * file:line:col and no stack trace, for `run`, `serve` and the library alike.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readTextFile, TextFileTooLarge, MAX_TEXT_FILE_BYTES } from '../../src/core/text-files.ts';
import { loadScenarioFile, ScenarioError } from '../../src/scenario/load.ts';
import { buildEmulator } from '../../src/server/emulator.ts';
import { runCli } from '../helpers/cli.ts';

/** Nine levels of nine aliases each: 9^9 strings once expanded. */
const LAUGHS = [
  'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
  ...'bcdefghi'.split('').map((k, i) => {
    const prev = 'abcdefghi'[i]!;
    return `${k}: &${k} [${Array.from({ length: 9 }, () => `*${prev}`).join(',')}]`;
  }),
  '',
].join('\n');

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'hostile-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

const file = (name: string, text: string): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const ALIAS_MESSAGE =
  'YAML aliases expand too much (more than 100 expansions): refused as a resource exhaustion attack';

describe('a YAML billion laughs', () => {
  it('run: exit 2, file:line:col of the first alias, no stack', async () => {
    const p = file('laughs.yaml', LAUGHS);
    const r = await runCli(['run', p, '--sink']);
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stdout, '');
    assert.ok(r.stderr.startsWith(`${p}:2:8: ${ALIAS_MESSAGE}\n`), r.stderr);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  });

  it('serve --scenario and serve --config: exit 2 with the position', async () => {
    const p = file('laughs-serve.yaml', LAUGHS);
    const scenario = await runCli(['serve', '--port', '0', '--scenario', p]);
    assert.equal(scenario.code, 2);
    assert.match(scenario.stderr, /laughs-serve\.yaml:2:8: YAML aliases expand too much/);
    const config = await runCli(['serve', '--port', '0', '--config', p]);
    assert.equal(config.code, 2);
    assert.match(config.stderr, /laughs-serve\.yaml:2:8: YAML aliases expand too much/);
    assert.doesNotMatch(scenario.stderr + config.stderr, /\n\s+at /);
  });

  it('the library: a ScenarioError naming the place', () => {
    const p = file('laughs-lib.yaml', LAUGHS);
    assert.throws(
      () => loadScenarioFile(p),
      (err: unknown) => {
        assert.ok(err instanceof ScenarioError);
        assert.match(err.message, /laughs-lib\.yaml:2:8: YAML aliases expand too much/);
        return true;
      },
    );
    assert.throws(() => buildEmulator({ scenarios: [p] }), ScenarioError);
  });

  it('a few aliases are still fine', async () => {
    const p = file('aliases.yaml', 'a: &a [1, 2]\nb: [*a, *a]\n');
    const r = await runCli(['serve', '--port', '0', '--config', p]);
    assert.equal(r.code, 2);
    assert.doesNotMatch(r.stderr, /aliases expand too much/, 'only the schema complains');
  });
});

describe('files too large to be a scenario or a config', () => {
  it('readTextFile: a file of exactly the cap reads, one byte more is refused', () => {
    const p = file('cap.yaml', 'x'.repeat(1000));
    assert.equal(readTextFile(p, 1000).length, 1000);
    assert.throws(() => readTextFile(p, 999), TextFileTooLarge);
  });

  it('run /dev/zero: exit 2 at once, never read (not a regular file)', async () => {
    const r = await runCli(['run', '/dev/zero', '--sink']);
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /^unknown scenario "\/dev\/zero": not a regular file \(a folder, device or pipe\)/,
    );
  });

  it('a scenario file past the cap: exit 2 with file:1:1', async () => {
    const p = file('huge.yaml', `# ${'x'.repeat(MAX_TEXT_FILE_BYTES)}\n`);
    const r = await runCli(['run', p, '--sink']);
    assert.equal(r.code, 2);
    assert.equal(
      r.stderr.split('\n')[0],
      `${p}:1:1: is larger than ${MAX_TEXT_FILE_BYTES / (1024 * 1024)} MiB (the most a scenario or config file may be)`,
    );
  });

  it('serve --config /dev/zero: exit 2 with the same message', async () => {
    const r = await runCli(['serve', '--port', '0', '--config', '/dev/zero']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^\/dev\/zero:1:1: is larger than 16 MiB/);
  });
});
