/**
 * Comments and docs that name a repository file name one that exists: a stale path (a file moved
 * or gone) fails here instead of sending a reader to nothing.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const SCANNED = ['src', 'bench', 'scripts', 'docs', 'README.md'];
const PATH =
  /\b((?:src|test|bench|scripts|docs|schemas|scenarios)\/[\w./-]*\w\.(?:ts|js|mjs|json|md|yaml|css|html))\b/g;

function files(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path).flatMap((e) => (e === 'generated' ? [] : files(join(path, e))));
}

describe('paths named in comments and docs', () => {
  it('every named repository file exists', () => {
    const missing: string[] = [];
    let named = 0;
    for (const file of SCANNED.flatMap((p) => files(join(root, p)))) {
      if (!/\.(ts|mjs|js|md)$/.test(file)) continue;
      for (const m of readFileSync(file, 'utf8').matchAll(PATH)) {
        named++;
        if (!existsSync(join(root, m[1]!))) missing.push(`${relative(root, file)}: ${m[1]}`);
      }
    }
    assert.ok(named > 50, `the scan finds paths (${named})`);
    assert.deepEqual(missing, []);
  });
});
