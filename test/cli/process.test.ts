/**
 * What only a real process shows: the installed bin (dist/, built by `npm ci` / `npm run build`)
 * answers --version about as fast as node starts, and `serve` stops cleanly on SIGINT / SIGTERM
 * with exit code 0. Everything else about the CLI is tested in-process.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ROOT, spawnCli } from '../helpers/cli.ts';

const BIN = join(ROOT, 'bin', 'airudder-emulator.js');
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

function node(args: string[]): Promise<{ code: number; stdout: string; stderr: string; ms: number }> {
  const t0 = performance.now();
  return new Promise((resolve) => {
    execFile(process.execPath, args, { cwd: ROOT }, (err, stdout, stderr) => {
      const code = err ? Number((err as { code?: unknown }).code ?? 1) : 0;
      resolve({ code, stdout, stderr, ms: performance.now() - t0 });
    });
  });
}

describe('the bin', () => {
  it('--version: the package version, exit 0, within 3x the start of a bare node', async () => {
    const r = await node([BIN, '--version']);
    assert.deepEqual([r.code, r.stdout, r.stderr], [0, `${VERSION}\n`, ''], r.stderr);
    // Best of several, alternating, so a busy machine slows both sides alike.
    let bare = Infinity;
    let version = Infinity;
    for (let i = 0; i < 5; i++) {
      bare = Math.min(bare, (await node(['-e', '0'])).ms);
      version = Math.min(version, (await node([BIN, '--version'])).ms);
    }
    assert.ok(
      version <= 3 * bare,
      `--version took ${version.toFixed(0)} ms, node -e 0 ${bare.toFixed(0)} ms`,
    );
  });
});

describe('serve in a process', { concurrency: true }, () => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`stops on ${signal}: exit 0`, async () => {
      const child = spawnCli(['serve', '--port', '0', '--quiet', '--clock', 'virtual:manual']);
      let out = '';
      let err = '';
      child.stderr.on('data', (c: Buffer) => (err += c.toString()));
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (c: Buffer) => {
          out += c.toString();
          if (out.includes('Ctrl-C stops')) resolve();
        });
        void exited.then((code) => reject(new Error(`serve exited (${code}) before listening: ${err}`)));
      });
      child.kill(signal);
      assert.equal(await exited, 0, err);
      assert.ok(out.endsWith(`\n${signal}: stopping…\n`), out);
      assert.equal(err, '');
    });
  }
});
