/**
 * Stoplight Prism for bench/views.ts (issue 14: the emulator stays >= 2x Prism mocking the same
 * endpoints). The emulator's OpenAPI document is written as `airudder-emulator schemas --openapi`
 * writes it, and `prism mock` serves it as a user runs it: static mode (the document's examples),
 * its default log level (`PRISM_LOG=silent` turns its logging off, its fastest setting). Prism is the devDependency when installed, else it is
 * installed on first use into the git-ignored bench/.cache/prism (`npm install --no-save`).
 * Anything that fails is returned as a reason to print: the bench then skips the Prism rows.
 * This module exports no `bench()`, so bench/index.ts does not run it on its own.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run as schemasCommand } from '../src/cli/commands/schemas.ts';
import { processIO } from '../src/cli/io.ts';

const PRISM_VERSION = '5.14.2';
const CACHE = fileURLToPath(new URL('./.cache/prism', import.meta.url));
const READY_MS = 90_000;
/** Prism's log level: its default (`info`, as a user runs it); PRISM_LOG=silent is its fastest. */
export const PRISM_LOG = process.env.PRISM_LOG ?? 'info';

export interface Prism {
  url: string;
  close(): Promise<void>;
}

/** prism-cli's entry point: the project's devDependency, else the bench cache (installed now). */
function prismEntry(): string {
  const fromHere = (base: string) => {
    try {
      const pkg = createRequire(base).resolve('@stoplight/prism-cli/package.json');
      return join(dirname(pkg), 'dist', 'index.js');
    } catch {
      return undefined;
    }
  };
  const own = fromHere(import.meta.url);
  if (own) return own;
  const cached = () => fromHere(join(CACHE, 'package.json'));
  if (!cached()) {
    mkdirSync(CACHE, { recursive: true });
    process.stderr.write(`bench/prism: installing @stoplight/prism-cli@${PRISM_VERSION} into ${CACHE}\n`);
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const r = spawnSync(
      npm,
      [
        'install',
        '--no-save',
        '--no-audit',
        '--no-fund',
        '--prefix',
        CACHE,
        `@stoplight/prism-cli@${PRISM_VERSION}`,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' },
    );
    if (r.status !== 0) throw new Error(`npm install failed (${r.status}): ${(r.stderr ?? '').slice(-400)}`);
  }
  const entry = cached();
  if (!entry || !existsSync(entry)) throw new Error('@stoplight/prism-cli is not resolvable after install');
  return entry;
}

/** A port free right now (Prism takes no port 0). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** Resolves once `url` answers anything (Prism prints nothing with `-v silent`). */
async function untilAnswering(url: string, child: ChildProcess, log: () => string): Promise<void> {
  let exited: number | null | undefined;
  child.once('exit', (code) => (exited = code));
  const deadline = Date.now() + READY_MS;
  while (Date.now() < deadline) {
    if (exited !== undefined) throw new Error(`prism exited (${exited}): ${log().slice(-400)}`);
    const up = await new Promise<boolean>((resolve) => {
      const req = http.get(url, (res) => {
        res.resume();
        resolve(true);
      });
      req.on('error', () => resolve(false));
    });
    if (up) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`prism did not answer within ${READY_MS / 1000} s: ${log().slice(-400)}`);
}

/** Export the OpenAPI document and start `prism mock` on it; throws with the reason it cannot. */
export async function startPrism(): Promise<Prism> {
  const entry = prismEntry();
  const dir = mkdtempSync(join(tmpdir(), 'bench-prism-'));
  const file = join(dir, 'openapi.json');
  const code = await schemasCommand(['--openapi', file], { ...processIO(), stderr: { write: () => true } });
  if (code !== 0) throw new Error(`schemas --openapi exited ${code}`);
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [entry, 'mock', file, '--host', '127.0.0.1', '--port', String(port), '-v', PRISM_LOG],
    // Its log lines go nowhere (not through this process), its errors are kept for the reason.
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let output = '';
  child.stderr!.on('data', (c: Buffer) => (output = (output + c.toString('utf8')).slice(-4000)));
  const url = `http://127.0.0.1:${port}`;
  try {
    await untilAnswering(url, child, () => output);
  } catch (err) {
    child.kill();
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    url,
    close: async () => {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill();
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
