/**
 * Start-up cost, whole processes, of the built package (dist/; built first when missing or older
 * than src/), each next to a baseline process measured in the same run, rounds interleaved (this
 * kind of machine is shared and noisy), best and median of ROUNDS:
 *
 * 1. `airudder-emulator serve --port 0 --quiet`: spawn → first 200 on /__emulator/health, vs a bare
 *    express 5 app (one route) started and polled the same way. Goal: ratio <= 2.
 * 2. `airudder-emulator --version`: spawn → exit, vs `node -e 0`. Goal: ratio <= 3.
 * 3. `import('airudder-emulator/receiver')` (the package self-reference → dist/receiver.js): spawn →
 *    exit, vs `import('node:crypto')`. Goal: ratio <= 1.5. And what it imports: the static import
 *    graph of dist/receiver.js, which must name no package (only `node:` built-ins).
 * 4. For context (no goal): `serve` with one scenario file instead of all 8 shipped ones, and
 *    `airudder-emulator validate <the seed push>` vs `node -e 0`.
 *
 * Run alone with `tsx bench/startup.ts [rounds]`, or through `npm run bench` (bench/index.ts).
 */
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { dirname, join, relative, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BenchResult } from './index.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = join(ROOT, 'dist');
const BIN = join(ROOT, 'bin', 'airudder-emulator.js');
const ROUNDS = 15;
const WARMUP = 2;
const GOALS = { serve: 2, version: 3, receiver: 1.5 };

/** Children run plain node: no loader inherited from tsx, no NODE_OPTIONS from the caller. */
const ENV = { ...process.env, NODE_OPTIONS: '' };

/** Newest modification time (ms) of the files under `dir`. */
function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

/** `npm run build` when dist/ is missing or older than src/. */
function ensureBuilt(): void {
  let built: number;
  try {
    built = statSync(join(DIST, 'cli', 'main.js')).mtimeMs;
  } catch {
    built = 0;
  }
  if (built >= newest(join(ROOT, 'src'))) return;
  process.stderr.write('bench/startup: building dist/ (npm run build) ...\n');
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], {
    cwd: ROOT,
    stdio: 'inherit',
    env: ENV,
  });
  if (r.status !== 0) throw new Error('bench/startup: the build failed');
}

/** Wall ms from spawn to exit of `node ...args` (stdout checked by `expect` when given). */
export function timeExit(args: string[], expect?: (stdout: string) => boolean): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      env: ENV,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.on('error', reject);
    child.on('exit', (code) => {
      const ms = performance.now() - t0;
      if (code !== 0) reject(new Error(`bench/startup: node ${args.join(' ')} exited ${code}`));
      else if (expect && !expect(out))
        reject(new Error(`bench/startup: node ${args.join(' ')} printed ${JSON.stringify(out)}`));
      else resolvePromise(ms);
    });
  });
}

function get(url: string): Promise<number> {
  return new Promise((res, rej) => {
    http
      .get(url, { agent: false }, (r) => {
        r.resume();
        r.on('end', () => res(r.statusCode ?? 0));
      })
      .on('error', rej);
  });
}

/**
 * Wall ms from spawning `node ...args` to the first 200 on `path` of the port it prints
 * (`http://127.0.0.1:<port>`), polling every 2 ms until then; the server is stopped afterwards.
 */
export function timeFirst200(args: string[], path: string): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      env: ENV,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let exitCode: number | null | undefined;
    const exited = new Promise<void>((r) =>
      child.once('exit', (code) => {
        exitCode = code;
        r();
      }),
    );
    let done = false;
    /** Stop the server (if it still runs), then answer. */
    const finish = async (err: Error | null, ms = 0) => {
      if (done) return;
      done = true;
      if (exitCode === undefined) {
        const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
        child.kill('SIGTERM');
        await exited;
        clearTimeout(kill);
      }
      if (err) reject(err);
      else resolvePromise(ms);
    };
    const poll = (url: string) => {
      if (done) return;
      get(url).then(
        (status) => (status === 200 ? void finish(null, performance.now() - t0) : setTimeout(poll, 2, url)),
        () => setTimeout(poll, 2, url),
      );
    };
    let out = '';
    let polling = false;
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      if (polling) return;
      out += d;
      const m = /http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (m) {
        polling = true;
        poll(`http://127.0.0.1:${m[1]}${path}`);
      }
    });
    child.on('error', (e) => void finish(e));
    void exited.then(() => {
      if (!done)
        void finish(new Error(`bench/startup: node ${args.join(' ')} exited ${exitCode} before answering`));
    });
  });
}

const EXPRESS_APP = `import express from 'express';
const app = express();
app.get('/__emulator/health', (_req, res) => res.json({ ok: true }));
const server = app.listen(0, '127.0.0.1', () => process.stdout.write(\`listening on http://127.0.0.1:\${server.address().port}\\n\`));
process.once('SIGTERM', () => server.close(() => process.exit(0)));
`;

interface Pair {
  name: string;
  /** Measured process (ms). */
  subject: () => Promise<number>;
  baseline: () => Promise<number>;
  /** On the best-of ratio; none for a context row. */
  goal?: number;
  baselineName: string;
}

const best = (xs: number[]) => Math.min(...xs);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

async function measurePair(p: Pair, rounds: number): Promise<BenchResult[]> {
  for (let i = 0; i < WARMUP; i++) {
    await p.subject();
    await p.baseline();
  }
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < rounds; i++) {
    // Alternate which goes first, so neither always runs on the other's warm caches.
    if (i % 2 === 0) {
      a.push(await p.subject());
      b.push(await p.baseline());
    } else {
      b.push(await p.baseline());
      a.push(await p.subject());
    }
  }
  const rows: BenchResult[] = [
    {
      name: `startup: ${p.name} vs ${p.baselineName}, best of ${rounds}`,
      value: Number(best(a).toFixed(1)),
      unit: 'ms',
      baseline: Number(best(b).toFixed(1)),
      ratio: best(a) / best(b),
      ...(p.goal === undefined ? {} : { goal: `<= ${p.goal}` }),
    },
    {
      name: `  median of ${rounds}`,
      value: Number(median(a).toFixed(1)),
      unit: 'ms',
      baseline: Number(median(b).toFixed(1)),
      ratio: median(a) / median(b),
    },
  ];
  for (const r of rows) {
    process.stderr.write(
      `${r.name.trim()}: ${r.value} ms vs ${r.baseline} ms = ${r.ratio!.toFixed(2)}${r.goal ? ` (goal ${r.goal})` : ''}\n`,
    );
  }
  return rows;
}

/**
 * The static import graph of an ES module of dist/: every module it reaches through relative
 * imports (`import`/`export ... from`, `import()` with a literal), and every other specifier named
 * on the way (packages and `node:` built-ins).
 */
export function importGraph(entry: string): { modules: string[]; external: string[] } {
  const modules = new Set<string>();
  const external = new Set<string>();
  const visit = (file: string) => {
    if (modules.has(file)) return;
    modules.add(file);
    const code = readFileSync(file, 'utf8');
    const specifiers = [
      ...code.matchAll(/(?:^|[;\s])(?:import|export)\s*(?:[^'"`;]*?\bfrom\s*)?['"]([^'"]+)['"]/g),
      ...code.matchAll(/\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g),
      ...code.matchAll(/\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g),
    ].map((m) => m[1]!);
    for (const s of specifiers) {
      if (s.startsWith('.')) visit(resolve(dirname(file), s));
      else external.add(s);
    }
  };
  visit(entry);
  return { modules: [...modules].map((m) => relative(ROOT, m)).sort(), external: [...external].sort() };
}

export async function bench(rounds = ROUNDS): Promise<BenchResult[]> {
  ensureBuilt();
  const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string })
    .version;
  const expressApp = join(ROOT, `.bench-startup-express-${process.pid}.mjs`);
  writeFileSync(expressApp, EXPRESS_APP);
  try {
    const rows: BenchResult[] = [];
    rows.push(
      ...(await measurePair(
        {
          name: 'serve --port 0 --quiet, spawn to first 200 on /__emulator/health',
          subject: () => timeFirst200([BIN, 'serve', '--port', '0', '--quiet'], '/__emulator/health'),
          baselineName: 'bare express 5 app',
          baseline: () => timeFirst200([expressApp], '/__emulator/health'),
          goal: GOALS.serve,
        },
        rounds,
      )),
    );
    // Context (no goal): the same with one scenario instead of every shipped one, which serve
    // parses (YAML), validates and checks (time zone, cron) at start to build its templates.
    const one = join(ROOT, 'scenarios', 'endpoint-misbehaving.yaml');
    rows.push(
      ...(await measurePair(
        {
          name: 'serve --scenario <one shipped file> (context: serve loads all 8)',
          subject: () =>
            timeFirst200([BIN, 'serve', '--port', '0', '--quiet', '--scenario', one], '/__emulator/health'),
          baselineName: 'bare express 5 app',
          baseline: () => timeFirst200([expressApp], '/__emulator/health'),
        },
        rounds,
      )),
    );
    rows.push(
      ...(await measurePair(
        {
          name: 'airudder-emulator --version',
          subject: () => timeExit([BIN, '--version'], (out) => out === `${version}\n`),
          baselineName: 'node -e 0',
          baseline: () => timeExit(['-e', '0']),
          goal: GOALS.version,
        },
        rounds,
      )),
    );
    rows.push(
      ...(await measurePair(
        {
          name: "import('airudder-emulator/receiver')",
          subject: () =>
            timeExit([
              '--input-type=module',
              '-e',
              "const m = await import('airudder-emulator/receiver'); if (typeof m.verifySignature !== 'function') process.exit(3);",
            ]),
          baselineName: "import('node:crypto')",
          baseline: () =>
            timeExit([
              '--input-type=module',
              '-e',
              "const m = await import('node:crypto'); if (typeof m.createHash !== 'function') process.exit(3);",
            ]),
          goal: GOALS.receiver,
        },
        rounds,
      )),
    );
    const seed = join(ROOT, 'test', 'fixtures', 'seed-custom-api-node-push.json');
    // Context (no goal): a command that loads one schema's validator, not express.
    const validateRows = await measurePair(
      {
        name: 'airudder-emulator validate <seed push>',
        subject: () => timeExit([BIN, 'validate', seed], (out) => out.includes(': ok custom-api-node-push')),
        baselineName: 'node -e 0',
        baseline: () => timeExit(['-e', '0']),
      },
      rounds,
    );
    rows.push(...validateRows);
    const graph = importGraph(join(DIST, 'receiver.js'));
    const packages = graph.external.filter((s) => !s.startsWith('node:'));
    process.stderr.write(
      `receiver import graph: ${graph.modules.length} modules of dist/, imports ${graph.external.join(', ')}` +
        `${packages.length ? `; PACKAGES: ${packages.join(', ')}` : '; no package'}\n`,
    );
    rows.push({
      name: `startup: receiver imports packages (${graph.modules.length} dist modules, only node: built-ins)`,
      value: packages.length,
      unit: 'packages',
      goal: '<= 0 packages',
    });
    return rows;
  } finally {
    rmSync(expressApp, { force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const rows = await bench(Number(process.argv[2] ?? ROUNDS));
  for (const r of rows)
    process.stdout.write(
      `${r.name}: ${r.value} ${r.unit}${r.baseline !== undefined ? ` vs ${r.baseline} ${r.unit} = ${r.ratio!.toFixed(2)}` : ''}${r.goal ? ` (goal ${r.goal})` : ''}\n`,
    );
}
