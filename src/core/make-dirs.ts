/**
 * `mkdir -p` that always ends: Node's `mkdirSync(dir, { recursive: true })` loops for ever on a
 * path under /proc (it keeps retrying ENOENT), so a CLI `--out /proc/foo` spun a core for minutes.
 * Here each missing folder is made once, top down, and the first failure is thrown as it is.
 */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

export function makeDirs(dir: string): void {
  const missing: string[] = [];
  let d = resolve(dir);
  while (!existsSync(d)) {
    missing.unshift(d);
    const parent = dirname(d);
    if (parent === d) break;
    d = parent;
  }
  if (existsSync(d) && !statSync(d).isDirectory()) {
    throw Object.assign(new Error(`${d} is not a folder`), { code: 'ENOTDIR' });
  }
  for (const m of missing) mkdirSync(m);
}
