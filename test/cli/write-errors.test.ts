/**
 * Every CLI write error exits 2 with one line, at once: `schemas --out` / `--openapi` into a
 * special or unwritable path (a recursive mkdir under /proc used to spin for minutes), and
 * `run --report` / `--junit` into a folder that cannot be made.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { makeDirs } from '../../src/core/make-dirs.ts';
import { runCli } from '../helpers/cli.ts';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'write-errors-'));
  writeFileSync(join(dir, 'a-file'), 'x');
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('CLI write errors', () => {
  it('schemas --out /proc/foo: exit 2 with one line (no spinning)', async () => {
    const r = await runCli(['schemas', '--out', '/proc/foo']);
    assert.deepEqual(r, {
      code: 2,
      stdout: '',
      stderr: 'airudder-emulator schemas: cannot write --out /proc/foo (ENOENT)\n',
    });
  });

  it('schemas --openapi under a file: exit 2 naming the flag', async () => {
    const target = join(dir, 'a-file', 'openapi.json');
    const r = await runCli(['schemas', '--openapi', target]);
    assert.deepEqual(r, {
      code: 2,
      stdout: '',
      stderr: `airudder-emulator schemas: cannot write --openapi ${target} (ENOTDIR)\n`,
    });
  });

  it('run --junit into /proc: exit 2 before the run', async () => {
    const r = await runCli(['run', 'endpoint-misbehaving', '--sink', '--junit', '/proc/foo/junit.xml']);
    assert.equal(r.code, 2);
    assert.equal(
      r.stderr.split('\n')[0],
      'airudder-emulator run: cannot write --junit /proc/foo/junit.xml (ENOENT)',
    );
    assert.equal(r.stdout, '');
  });

  it('makeDirs makes missing folders top down and leaves existing ones', () => {
    const deep = join(dir, 'x', 'y', 'z');
    makeDirs(deep);
    makeDirs(deep);
    assert.throws(() => makeDirs(join(dir, 'a-file', 'sub')), { code: 'ENOTDIR' });
    assert.throws(() => makeDirs('/proc/foo/bar'), { code: 'ENOENT' });
  });
});
