#!/usr/bin/env node
// `npm run build` (also `prepare`, so `npm ci` on a clone and `npm pack` build): compile src/ into
// dist/ (JavaScript, .d.ts and source maps) and copy beside it the runtime files tsc does not emit.
import { spawnSync } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = new URL('../dist/', import.meta.url);

rmSync(dist, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const { status } = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], {
  cwd: root,
  stdio: 'inherit',
});
if (status !== 0) process.exit(status ?? 1);
// The dashboard's page, stylesheet and script are read at run time (src/assets.ts).
cpSync(new URL('../src/dashboard/', import.meta.url), new URL('dashboard/', dist), { recursive: true });
// The precompiled validators (scripts/gen-validators.ts): CommonJS modules src/contract/registry.ts
// loads by a path relative to itself, so they sit at the same place under dist/ as under src/.
cpSync(new URL('../src/generated/validators/', import.meta.url), new URL('generated/validators/', dist), {
  recursive: true,
  filter: (src) => !src.endsWith('.ts'),
});
// The shipped scenarios, parsed (scripts/gen-scenarios.ts), read at run time (src/assets.ts).
cpSync(
  new URL('../src/generated/scenarios.json', import.meta.url),
  new URL('generated/scenarios.json', dist),
);
