/**
 * Stoplight Prism's validation proxy in front of a listening emulator, as a user runs it
 * (`prism proxy openapi.json <url> --errors`): the client flow played through the proxy gets
 * the emulator's answers unchanged, with no request or response violation (with `--errors`, Prism
 * answers a violation itself with application/problem+json).
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, it } from 'node:test';
import type { Emulator } from '../../src/server/emulator.ts';
import { startEmulator } from '../http/fixture.ts';
import { playClientFlow, type Exchange } from './client-flow.ts';
import { exportedDocument } from './openapi-check.ts';

const require = createRequire(import.meta.url);
const PRISM = join(dirname(require.resolve('@stoplight/prism-cli/package.json')), 'dist', 'index.js');

const dir = mkdtempSync(join(tmpdir(), 'openapi-prism-'));
let emu: Emulator;
let prism: ChildProcess;
let output = '';

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

/** Prism's URL once it says it listens; rejects if it exits first. */
function untilListening(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const m = /Prism is listening on (http:\/\/\S+)/.exec(output);
      if (m) resolve(m[1]!);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`prism exited (${code}):\n${output}`)));
  });
}

let url: string;
before(async () => {
  emu = await startEmulator({ delivery: { send: async () => ({ status: 200, response: 'ok' }) } });
  const file = join(dir, 'openapi.json');
  writeFileSync(file, JSON.stringify(exportedDocument()));
  const port = await freePort();
  prism = spawn(
    process.execPath,
    [PRISM, 'proxy', file, emu.url, '--errors', '--host', '127.0.0.1', '--port', String(port)],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  url = await untilListening(prism);
});
after(async () => {
  prism?.kill();
  await emu?.close();
  rmSync(dir, { recursive: true, force: true });
});

it("Prism's validation proxy finds no violation in a client flow", async () => {
  // Prism checks requests too, so the flow sends only requests the document allows.
  const answers = await playClientFlow(url, emu, { invalidRequests: false });
  const flagged = (a: Exchange) =>
    /problem\+json/.test(String(a.headers['content-type'])) || a.headers['sl-violations'] !== undefined;
  assert.deepEqual(
    answers.filter(flagged).map((a) => `${a.method} ${a.path} ${a.status}: ${a.raw.toString('utf8')}`),
    [],
  );
  assert.ok(answers.length >= 30, String(answers.length));
  assert.doesNotMatch(output, /violation/i);
});
