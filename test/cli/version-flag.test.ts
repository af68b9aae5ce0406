/** `airudder-emulator --version` / `-v`: the package.json version, exit 0, through the real bin. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'airudder-emulator.js');
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

for (const flag of ['--version', '-v']) {
  test(`${flag} prints the package version`, () => {
    assert.equal(execFileSync(process.execPath, [BIN, flag], { encoding: 'utf8' }), `${VERSION}\n`);
  });
}
