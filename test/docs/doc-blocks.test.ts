/**
 * Every code block of README.md and docs/*.md does what it says, so the docs cannot go stale:
 *
 * - `bash` blocks run (`set -euo pipefail`) against an emulator started in-process for the block:
 *   `serve --demo`, as `npm start`, or the `serve` arguments a `<!-- doc-test: serve ARGS -->`
 *   comment before the block names. `localhost:4010` points at it, `localhost:3000` at a stand-in
 *   for the reader's receiver (it enforces the signature, keeps one record per idempotency key and
 *   answers verify's `--check-url` count at `/test/records`), and `airudder-emulator` (or
 *   `npx airudder-emulator`) runs the CLI in this process. curl fails on an HTTP error answer
 *   unless the comment says `http-errors`; the block must exit 0 (or `exit N`).
 * - `ts` / `js` blocks run against src/ (`'airudder-emulator'` is src/index.ts): imported here, or,
 *   when they use node:test, in a child `node --test`.
 * - `json`, `jsonc` and `yaml` blocks parse; `text` blocks are output and synopses, not code.
 * - `<!-- doc-test: syntax-only (why) -->`: a block that cannot run here is only checked for
 *   syntax (`bash -n`, a TypeScript parse, the parser).
 * - `<!-- doc-test: starts-server (why) -->`: `npm start` or `airudder-emulator serve …` lines,
 *   each started in-process on a free port, health-checked and stopped.
 * - `<!-- doc-test: npm-start (why) -->`: the README's two commands; `npm start` is spawned,
 *   health-checked and stopped, `npm ci` and `npm test` are .ci/run's.
 */
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import ts from 'typescript';
import { parse as parseYaml } from 'yaml';
import { runCli, startCli, type RunningCli } from '../helpers/cli.ts';
import { airudderCallback, idempotencyKey, type CallbackRequest } from '../../src/receiver.ts';
import { codeBlocks, docFiles, ROOT, type CodeBlock } from './markdown.ts';

const exec = promisify(execFile);
const SHELL = new Set(['bash', 'sh', 'shell']);
const CODE = new Set(['ts', 'typescript', 'js', 'javascript']);
const DATA = new Set(['json', 'jsonc', 'yaml', 'yml']);
const TEXT = new Set(['text']);
const SCRATCH = join(ROOT, 'node_modules', '.cache', 'doc-blocks');
const RECORDED_SAMPLE = join(ROOT, 'test', 'fixtures', 'recorded-collection.jsonl');

interface Plan {
  serve: string[];
  syntaxOnly: boolean;
  npmStart: boolean;
  startsServer: boolean;
  httpErrors: boolean;
  exit: number;
}

/** The directives that switch something on, each with its reason in parentheses. */
const FLAGS: Record<string, 'syntaxOnly' | 'npmStart' | 'startsServer' | 'httpErrors'> = {
  'syntax-only': 'syntaxOnly',
  'npm-start': 'npmStart',
  'starts-server': 'startsServer',
  'http-errors': 'httpErrors',
};

/** `a (x; y); b` → `a (x; y)`, `b`: parts split on semicolons outside parentheses. */
function splitParts(directive: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let part = '';
  for (const ch of directive) {
    if (ch === ';' && depth === 0) {
      parts.push(part.trim());
      part = '';
      continue;
    }
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    part += ch;
  }
  return [...parts, part.trim()].filter(Boolean);
}

/** What the block's `doc-test:` comments ask; an unknown one, or a reason left out, is an error. */
function plan(b: CodeBlock): Plan {
  const p: Plan = {
    serve: ['--demo'],
    syntaxOnly: false,
    npmStart: false,
    startsServer: false,
    httpErrors: false,
    exit: 0,
  };
  for (const part of b.directives.flatMap(splitParts)) {
    const [word, ...rest] = part.split(/\s+/);
    const flag = FLAGS[word ?? ''];
    if (word === 'serve') p.serve = rest;
    else if (word === 'exit') p.exit = Number(rest[0]);
    else if (flag) {
      assert.match(part, /\(.+\)$/, `${b.file}:${b.line}: "${word}" says why, in parentheses`);
      p[flag] = true;
    } else assert.fail(`${b.file}:${b.line}: unknown doc-test directive "${part}"`);
  }
  return p;
}

// ---------------------------------------------------------------- the reader's receiver, stood in

/** Callbacks kept by type and idempotency key, as a hardened receiver stores them. */
const records = new Set<string>();
const acceptCallback = airudderCallback({ enforceSignature: true });

function receiver(req: http.IncomingMessage, res: http.ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://x');
  if (req.method === 'GET' && url.pathname === '/test/records') {
    const count = records.has(`${url.searchParams.get('type')}\n${url.searchParams.get('key')}`) ? 1 : 0;
    res.setHeader('content-type', 'application/json').end(JSON.stringify({ count }));
    return;
  }
  acceptCallback(req, res, (err?: unknown) => {
    if (err) {
      res.statusCode = (err as { status?: number }).status ?? 400;
      res.end(JSON.stringify({ error: (err as Error).message }));
      return;
    }
    const cb = (req as CallbackRequest).airudder!;
    records.add(`${cb.type}\n${idempotencyKey(cb.type, cb.payload as never)}`);
    res.setHeader('content-type', 'application/json').end('{"code":0}');
  });
}

// ---------------------------------------------------------------- the CLI, in this process

/** `airudder-emulator` for the shells: test/docs/cli-shim.mjs posts `{argv, cwd}` here. */
function cliServer(req: http.IncomingMessage, res: http.ServerResponse): void {
  let body = '';
  req.on('data', (c: Buffer) => (body += c.toString('utf8')));
  req.on('end', () => {
    const { argv, cwd } = JSON.parse(body) as { argv: string[]; cwd: string };
    // A server inside a shell block would keep the block (and this file) waiting for ever.
    const refused = argv[0] === 'serve' && !argv.includes('--help');
    const result = refused
      ? Promise.resolve({ code: 64, stdout: '', stderr: 'serve runs until stopped: mark the block starts-server\n' })
      : runCli(argv, { cwd });
    result.then(
      (r) => res.setHeader('content-type', 'application/json').end(JSON.stringify(r)),
      (err: unknown) => res.end(JSON.stringify({ code: 70, stdout: '', stderr: `${String(err)}\n` })),
    );
  });
}

async function listen(handler: http.RequestListener): Promise<http.Server> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}
const portOf = (s: http.Server) => (s.address() as AddressInfo).port;

let receiverServer: http.Server;
let cli: http.Server;
let work: string;

before(async () => {
  // The docs' shell examples use them, as a reader's shell would have them.
  for (const tool of ['bash', 'curl', 'jq']) {
    await exec(tool, ['--version']).catch(() => assert.fail(`the doc test needs ${tool} on the PATH`));
  }
  receiverServer = await listen(receiver);
  cli = await listen(cliServer);
  work = mkdtempSync(join(tmpdir(), 'doc-blocks-'));
  mkdirSync(SCRATCH, { recursive: true });
});
after(async () => {
  receiverServer.closeAllConnections();
  await new Promise((resolve) => receiverServer.close(resolve));
  await new Promise((resolve) => cli.close(resolve));
  rmSync(work, { recursive: true, force: true });
});

// ---------------------------------------------------------------- shell blocks

const PRELUDE = (httpErrors: boolean) => `set -euo pipefail
airudder-emulator() { node "$DOC_TEST_SHIM" "$@"; }
npx() { if [ "\${1:-}" = airudder-emulator ]; then shift; airudder-emulator "$@"; else command npx "$@"; fi; }
curl() { command curl ${httpErrors ? '' : '--fail-with-body '}--show-error --max-time 30 "$@"; }
`;

/** `serve ARGS` on a free port, in this process; resolves once it listens. */
async function startServe(args: string[]): Promise<{ run: RunningCli; port: number }> {
  const run = startCli(['serve', '--port', '0', '--quiet', ...args]);
  const listening = /listening on http:\/\/127\.0\.0\.1:(\d+)/;
  await run.waitFor((out) => listening.test(out));
  return { run, port: Number(listening.exec(run.output())![1]) };
}

async function runShell(b: CodeBlock, p: Plan): Promise<void> {
  const needsServer = /(localhost|127\.0\.0\.1):4010/.test(b.code);
  const server = needsServer ? await startServe(p.serve) : undefined;
  const dir = mkdtempSync(join(work, 'block-'));
  // "Your recorded callbacks" for the calibrate blocks: a sample the emulator recorded.
  mkdirSync(join(dir, 'callbacks'));
  copyFileSync(RECORDED_SAMPLE, join(dir, 'callbacks', 'recorded.jsonl'));
  const script = join(dir, '.block.sh');
  const code = b.code
    .replace(/(localhost|127\.0\.0\.1):4010/g, `127.0.0.1:${server?.port ?? 4010}`)
    .replace(/localhost:3000/g, `127.0.0.1:${portOf(receiverServer)}`);
  writeFileSync(script, PRELUDE(p.httpErrors) + code);
  try {
    const r = await exec('bash', [script], {
      cwd: dir,
      timeout: 60_000,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        DOC_TEST_CLI: `http://127.0.0.1:${portOf(cli)}/`,
        DOC_TEST_SHIM: join(import.meta.dirname, 'cli-shim.mjs'),
      },
    }).then(
      (out) => ({ code: 0, ...out }),
      (err: { code?: number; stdout?: string; stderr?: string }) => ({
        code: err.code ?? -1,
        stdout: err.stdout ?? '',
        stderr: err.stderr ?? '',
      }),
    );
    assert.equal(r.code, p.exit, `${b.file}:${b.line} exited ${r.code}:\n${r.stdout}\n${r.stderr}`);
  } finally {
    await server?.run.stop('SIGINT');
  }
}

/**
 * A block that starts a server and leaves it running (`npm start`, `npx airudder-emulator serve
 * …`): each command is started in-process on a free port, answers its health check, and stops.
 */
async function startsServer(b: CodeBlock): Promise<void> {
  const commands = b.code
    .split('\n')
    .map((l) => l.replace(/#.*$/, '').trim())
    .filter(Boolean);
  assert.ok(commands.length > 0, `${b.file}:${b.line}: no command`);
  for (const command of commands) {
    const m = /^(?:npx )?airudder-emulator serve\b(.*)$/.exec(command);
    assert.ok(command === 'npm start' || m, `${b.file}:${b.line}: "${command}" is not npm start or serve`);
    const args = command === 'npm start' ? ['--demo'] : m![1]!.trim().split(/\s+/).filter(Boolean);
    const server = await startServe(args);
    try {
      const health = await fetch(`http://127.0.0.1:${server.port}/__emulator/health`);
      assert.equal(health.status, 200, `${b.file}:${b.line}: ${command}`);
    } finally {
      await server.run.stop('SIGINT');
    }
  }
}

// ---------------------------------------------------------------- code blocks

/** The block with the package's and the repository's imports pointed at src/. */
function localImports(code: string): string {
  const src = (path: string) => pathToFileURL(join(ROOT, path)).href;
  return code
    .replace(/from 'airudder-emulator'/g, `from '${src('src/index.ts')}'`)
    .replace(/from 'airudder-emulator\/receiver'/g, `from '${src('src/receiver.ts')}'`)
    .replace(/from '\.\/(src\/[^']+)'/g, (_m, path: string) => `from '${src(path)}'`);
}

async function runCode(b: CodeBlock): Promise<void> {
  const ext = b.lang.startsWith('t') ? 'ts' : 'mjs';
  const name = `${b.file.replace(/\W/g, '_')}-${b.line}`;
  if (b.code.includes("from 'node:test'")) {
    const file = join(SCRATCH, `${name}.${ext}`);
    writeFileSync(file, localImports(b.code));
    // Not a subtest of this run: the child is a test run of its own.
    const env = { ...process.env };
    delete env.NODE_TEST_CONTEXT;
    const r = await exec(process.execPath, ['--import', 'tsx', '--test', file], {
      cwd: ROOT,
      env,
      timeout: 60_000,
    })
      .catch((err: { stdout?: string; stderr?: string }) => ({ stdout: err.stdout ?? '', stderr: err.stderr ?? '' }))
      .finally(() => rmSync(file, { force: true }));
    assert.match(r.stdout, /^# fail 0$/m, `${b.file}:${b.line}:\n${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, /^# pass [1-9]/m);
    return;
  }
  // A fresh file name per run: a module is imported once per process.
  const file = join(SCRATCH, `${name}-${process.pid}-${Date.now()}.${ext}`);
  writeFileSync(file, localImports(b.code));
  const saved = { log: console.log, warn: console.warn };
  const printed: string[] = [];
  console.log = console.warn = (...args: unknown[]) => void printed.push(args.map(String).join(' '));
  try {
    await import(pathToFileURL(file).href);
  } finally {
    Object.assign(console, saved);
    rmSync(file, { force: true });
  }
}

// ---------------------------------------------------------------- syntax

function checkSyntax(b: CodeBlock): Promise<void> | void {
  const where = `${b.file}:${b.line}`;
  if (SHELL.has(b.lang)) return exec('bash', ['-n', '-c', b.code]).then(() => undefined);
  if (CODE.has(b.lang)) {
    const out = ts.transpileModule(b.code, {
      reportDiagnostics: true,
      fileName: b.lang.startsWith('t') ? 'block.ts' : 'block.js',
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    });
    const problems = (out.diagnostics ?? []).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    assert.deepEqual(problems, [], where);
    return;
  }
  if (b.lang === 'json') JSON.parse(b.code);
  else if (b.lang === 'jsonc') parseJsonSequence(b.code.replace(/\/\/.*$/gm, ''), where);
  else if (b.lang === 'yaml' || b.lang === 'yml') parseYaml(b.code);
}

/** JSON values one after another (a jsonc block of sample answers). */
function parseJsonSequence(text: string, where: string): void {
  let rest = text.trim();
  let n = 0;
  while (rest.length > 0) {
    let end = rest.length;
    // The shortest prefix that parses as a whole value.
    for (let i = 1; i <= rest.length; i++) {
      if (rest[i - 1] !== '}' && rest[i - 1] !== ']') continue;
      try {
        JSON.parse(rest.slice(0, i));
        end = i;
        break;
      } catch {
        // not yet a whole value
      }
    }
    JSON.parse(rest.slice(0, end)); // throws with the position when nothing parses
    rest = rest.slice(end).trim();
    n++;
  }
  assert.ok(n > 0, `${where}: an empty block`);
}

// ---------------------------------------------------------------- the README's two commands

async function npmStart(b: CodeBlock): Promise<void> {
  const commands = b.code
    .split('\n')
    .map((l) => l.replace(/#.*$/, '').trim())
    .filter(Boolean);
  assert.deepEqual(commands, ['npm ci && npm start', 'npm ci && npm test']);
  const ci = readFileSync(join(ROOT, '.ci', 'run'), 'utf8');
  assert.match(ci, /^npm ci\b/m, '.ci/run installs with npm ci');
  assert.match(ci, /\bnpm test\b/, ".ci/run runs the README's npm test");
  const child = spawn('npm', ['start'], {
    cwd: ROOT,
    detached: true,
    env: { ...process.env, AIRUDDER_EMULATOR_PORT: '0' },
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  try {
    let out = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString('utf8');
        const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (m) resolve(m[1]!);
      });
      child.stderr.resume();
      void exited.then(() => reject(new Error(`npm start exited before listening:\n${out}`)));
    });
    assert.match(out, /Demo: workflow "endpoint-misbehaving" is running/);
    const health = await fetch(`${url}/__emulator/health`);
    assert.equal(health.status, 200);
    assert.equal(((await health.json()) as { clock: string }).clock, 'scaled:60');
  } finally {
    if (child.exitCode === null) process.kill(-child.pid!, 'SIGINT');
    await exited;
  }
}

// ---------------------------------------------------------------- the blocks

describe('code blocks in the docs', () => {
  for (const file of docFiles()) {
    describe(file, () => {
      for (const b of codeBlocks(file)) {
        it(`line ${b.line} (${b.lang || 'no language'})`, async () => {
          const known = SHELL.has(b.lang) || CODE.has(b.lang) || DATA.has(b.lang) || TEXT.has(b.lang);
          assert.ok(known, `${file}:${b.line}: give the block a language (bash, ts, js, json, jsonc, yaml, text)`);
          const p = plan(b);
          if (TEXT.has(b.lang)) return;
          await checkSyntax(b);
          if (p.syntaxOnly || DATA.has(b.lang)) return;
          if (p.npmStart) return npmStart(b);
          if (p.startsServer) return startsServer(b);
          if (SHELL.has(b.lang)) return runShell(b, p);
          return runCode(b);
        });
      }
    });
  }
});
