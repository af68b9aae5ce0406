#!/usr/bin/env node
// `npm test`: every test/**/*.test.ts through node:test and tsx. Node 20's runner neither expands
// globs nor picks up .ts files by itself (it would report 0 tests and exit 0), so the list is
// built here. Arguments that are not flags replace the list: `npm test -- test/engine/*.test.ts`.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

function testFiles(dir) {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => {
      const path = join(dir, e.name);
      if (e.isDirectory()) return e.name === 'fixtures' || e.name === 'node_modules' ? [] : testFiles(path);
      return e.name.endsWith('.test.ts') ? [path] : [];
    })
    .sort();
}

const args = process.argv.slice(2);
const flags = args.filter((a) => a.startsWith('-'));
const named = args.filter((a) => !a.startsWith('-'));
const files = named.length > 0 ? named : testFiles(join(root, 'test')).map((f) => relative(root, f));
if (files.length === 0) {
  process.stderr.write('npm test: no test files found under test/\n');
  process.exit(1);
}
// Test files mostly wait on sockets and child processes, so run a few more than there are cores.
const concurrency = Math.max(2, availableParallelism());
const result = spawnSync(
  process.execPath,
  [
    '--import',
    'tsx',
    '--test',
    `--test-concurrency=${concurrency}`,
    // Node 20 applies this to each test file's process as a whole, and the package tests (pack,
    // four offline installs, tsc) take a few minutes on a busy 2-core machine.
    '--test-timeout=600000',
    '--test-reporter=spec',
    ...flags,
    ...files,
  ],
  { cwd: root, stdio: 'inherit' },
);
process.exit(result.status ?? 1);
