/**
 * The package as a user's project gets it: packed like a release, installed from the tarball into
 * fresh projects offline, then used from ESM, CommonJS, strict TypeScript (NodeNext,
 * skipLibCheck off) and through its bin. Nothing of this repository is on those projects' path.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  createConsumer,
  packPackage,
  ROOT,
  runIn,
  type ConsumerOptions,
  type PackedPackage,
} from './pack.ts';

/** The library example of docs/library.md, exactly as written (the fenced block after its marker). */
function libraryExample(): string {
  const readme = readFileSync(join(ROOT, 'docs', 'library.md'), 'utf8');
  const at = readme.indexOf('<!-- library-example:');
  assert.ok(at >= 0, 'docs/library.md marks its library example');
  const m = /```js\n([\s\S]*?)```/.exec(readme.slice(at));
  assert.ok(m, 'a js block follows the marker');
  return m[1]!;
}

const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

/** A library consumer: a receiver on a free port, the emulator with a shipped scenario by name. */
const LIBRARY_SCRIPT = (imports: string) => `${imports}
const received = [];
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    received.push({ url: req.url, ua: req.headers['user-agent'], body: Buffer.concat(chunks).toString('utf8') });
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"code":0}');
  });
});
server.listen(0, '127.0.0.1', async () => {
  const target = 'http://127.0.0.1:' + server.address().port + '/airudder/callback';
  const emu = await createEmulator({ scenarios: ['info-check-redials'], target });
  try {
    const started = emu.trigger('info-check-redials');
    await emu.idle();
    const deliveries = emu.deliveries();
    const page = await fetch(emu.url + '/__emulator/');
    const html = await page.text();
    const health = await fetch(emu.url + '/__emulator/health');
    console.log(JSON.stringify({
      workflow: started.workflowId,
      deliveries: deliveries.length,
      delivered: deliveries.filter((d) => d.outcome === 'delivered').length,
      received: received.length,
      types: [...new Set(deliveries.map((d) => d.type))].sort(),
      userAgents: [...new Set(received.map((r) => r.ua))],
      firstBody: received[0] && JSON.parse(received[0].body),
      dashboard: { status: page.status, type: page.headers.get('content-type'), html },
      health: health.status,
    }));
  } finally {
    await emu.close();
    server.close();
  }
});
`;

interface LibraryResult {
  workflow: string;
  deliveries: number;
  delivered: number;
  received: number;
  types: string[];
  userAgents: string[];
  firstBody: Record<string, unknown>;
  dashboard: { status: number; type: string; html: string };
  health: number;
}

function checkLibraryRun(out: { code: number; stdout: string; stderr: string }): void {
  assert.equal(out.code, 0, out.stderr);
  const r = JSON.parse(out.stdout.trim().split('\n').at(-1)!) as LibraryResult;
  assert.match(r.workflow, /^[0-9a-f]{32}$/);
  assert.ok(r.deliveries > 0, 'the campaign produced callbacks');
  assert.equal(r.delivered, r.deliveries, 'every callback delivered to the local receiver');
  assert.equal(r.received, r.deliveries, 'the receiver got each delivery once');
  assert.ok(r.types.includes('call-completion-info-check'), r.types.join(','));
  assert.deepEqual(r.userAgents, ['Airudder']);
  assert.equal(typeof r.firstBody, 'object');
  assert.equal(r.health, 200);
  assert.equal(r.dashboard.status, 200);
  assert.match(r.dashboard.type, /^text\/html/);
  assert.match(r.dashboard.html, /<title>[^<]*AIRUDDER[^<]*<\/title>/i);
  const script = readFileSync(join(ROOT, 'src', 'dashboard', 'dashboard.js'), 'utf8');
  assert.ok(
    r.dashboard.html.includes(`<script>${script}</script>`),
    'the dashboard script, inlined from the package',
  );
}

const TS_CONSUMER = `import { createEmulator, type DeliveryRecord, type Emulator, type EmulatorOptions } from 'airudder-emulator';
import {
  airudderCallback,
  decryptCallback,
  verifySignature,
  type CallbackRequest,
  type CallCompletionInfoCheck,
  type CustomApiNodePush,
  type ReceivedCallback,
} from 'airudder-emulator/receiver';
import http from 'node:http';

const handle = airudderCallback({ key: 'airudder', encryption: { key: 'airudderredduria' } });

export function summarize(cb: ReceivedCallback): string {
  switch (cb.type) {
    case 'custom-api-node-push': {
      const push: CustomApiNodePush = cb.payload;
      return push.callee.callee_number;
    }
    case 'call-completion-info-check': {
      const done: CallCompletionInfoCheck = cb.payload;
      return done.details.map((d) => d.callee).join(',');
    }
    default:
      return cb.type;
  }
}

export const server = http.createServer((req, res) => {
  handle(req, res, (err?: unknown) => {
    if (err) {
      res.statusCode = 400;
      res.end();
      return;
    }
    const cb = (req as CallbackRequest).airudder!;
    res.end(JSON.stringify({ ok: cb.signature.valid, what: summarize(cb) }));
  });
});

export async function play(target: string): Promise<DeliveryRecord[]> {
  const opts: EmulatorOptions = { scenarios: ['collection-ptp'], target };
  const emu: Emulator = await createEmulator(opts);
  emu.trigger('collection-ptp');
  await emu.idle();
  const all = emu.deliveries({ outcome: 'delivered' });
  await emu.close();
  return all;
}

export const ok: boolean = verifySignature('{}', { 'x-airudder-sign': 'x' }, 'airudder');
export const text: string = decryptCallback('{}', {}, 'k').text;
`;

describe('the packed package in consumer projects', { timeout: 600_000 }, () => {
  let pack: PackedPackage;
  // The four projects install concurrently (npm ci is mostly waiting on the disk); each test
  // awaits its own. Settled up front so a failed install fails its test, not the process.
  const installs = new Map<string, Promise<{ dir: string } | { error: unknown }>>();
  const installed = async (name: string): Promise<string> => {
    const r = await installs.get(name)!;
    if ('error' in r) throw r.error;
    return r.dir;
  };
  before(async () => {
    pack = await packPackage();
    const projects: Record<string, ConsumerOptions> = {
      'esm-consumer': {
        type: 'module',
        files: {
          'main.js': LIBRARY_SCRIPT(
            `import http from 'node:http';\nimport { createEmulator } from 'airudder-emulator';`,
          ),
          'example.mjs': libraryExample(),
        },
      },
      'cjs-consumer': {
        type: 'commonjs',
        files: {
          'main.js': LIBRARY_SCRIPT(
            `const http = require('node:http');\nconst { createEmulator } = require('airudder-emulator');`,
          ),
        },
      },
      'ts-consumer': {
        type: 'module',
        devDependencies: ['typescript', '@types/node'],
        files: {
          'tsconfig.json': JSON.stringify({
            compilerOptions: {
              strict: true,
              module: 'nodenext',
              moduleResolution: 'nodenext',
              target: 'es2022',
              skipLibCheck: false,
              noEmit: true,
              types: ['node'],
            },
            files: ['main.ts'],
          }),
          'main.ts': TS_CONSUMER,
        },
      },
      'bin-consumer': { type: 'commonjs' },
    };
    for (const [name, opts] of Object.entries(projects)) {
      installs.set(
        name,
        createConsumer(pack, name, opts).then(
          (dir) => ({ dir }),
          (error: unknown) => ({ error }),
        ),
      );
    }
  });
  after(() => pack?.cleanup());

  it('ships compiled JavaScript with types and source maps, and no TypeScript sources', () => {
    const files = new Set(pack.files);
    for (const f of [
      'dist/index.js',
      'dist/index.d.ts',
      'dist/index.js.map',
      'dist/receiver.js',
      'dist/receiver.d.ts',
      'dist/cli/main.js',
      'dist/dashboard/index.html',
      'dist/dashboard/dashboard.js',
      'dist/dashboard/dashboard.css',
      'bin/airudder-emulator.js',
      'scenarios/collection-ptp.yaml',
      'schemas/custom-api-node-push.schema.json',
      'package.json',
    ]) {
      assert.ok(files.has(f), `${f} is in the tarball`);
    }
    const ts = pack.files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'));
    assert.deepEqual(ts, [], 'no .ts sources');
    assert.deepEqual(
      pack.files.filter((f) => f.startsWith('test/') || f.startsWith('bench/')),
      [],
      'no tests or benches',
    );
    assert.equal(pack.manifest.dependencies.tsx, undefined, 'tsx is not a runtime dependency');
  });

  it('ESM: import { createEmulator } plays a shipped scenario by name against a local receiver; the dashboard loads', async () => {
    const dir = await installed('esm-consumer');
    checkLibraryRun(await runIn(dir, process.execPath, ['main.js']));
    const example = await runIn(dir, process.execPath, ['example.mjs']);
    assert.equal(example.code, 0, example.stderr);
    assert.match(example.stdout, /^[0-9a-f]{32}: [1-9]\d* callbacks delivered\n$/);
    const entry = await runIn(dir, process.execPath, [
      '--input-type=module',
      '-e',
      `import * as r from 'airudder-emulator/receiver';
       const pkg = (await import('airudder-emulator/package.json', { with: { type: 'json' } })).default;
       console.log(JSON.stringify({ receiver: Object.keys(r).sort(), pkg: pkg.version }));`,
    ]);
    assert.equal(entry.code, 0, entry.stderr);
    const got = JSON.parse(entry.stdout) as { receiver: string[]; pkg: string };
    assert.equal(got.pkg, VERSION);
    for (const name of [
      'airudderCallback',
      'decryptCallback',
      'verifySignature',
      'receiveCallback',
      'idempotencyKey',
    ]) {
      assert.ok(got.receiver.includes(name), name);
    }
    const resolved = await runIn(dir, process.execPath, [
      '--input-type=module',
      '-e',
      `import { readFileSync } from 'node:fs';
       import { fileURLToPath } from 'node:url';
       const f = fileURLToPath(import.meta.resolve('airudder-emulator/scenarios/collection-ptp.yaml'));
       const s = fileURLToPath(import.meta.resolve('airudder-emulator/schemas/custom-api-node-push.schema.json'));
       console.log(JSON.stringify({ yaml: readFileSync(f, 'utf8').includes('name: collection-ptp'), schema: JSON.parse(readFileSync(s, 'utf8')).$id }));`,
    ]);
    assert.equal(resolved.code, 0, resolved.stderr);
    const paths = JSON.parse(resolved.stdout) as { yaml: boolean; schema: string };
    assert.equal(paths.yaml, true);
    assert.match(paths.schema, /custom-api-node-push/);
  });

  it('CommonJS: require("airudder-emulator") does the same', async () => {
    const dir = await installed('cjs-consumer');
    checkLibraryRun(await runIn(dir, process.execPath, ['main.js']));
    const receiver = await runIn(dir, process.execPath, [
      '-e',
      `const r = require('airudder-emulator/receiver'); const sig = r.signBody('{}', 'airudder');
       console.log(JSON.stringify({ ok: r.verifySignature('{}', { 'X-AIRudder-Sign': sig }), mw: typeof r.airudderCallback() }));`,
    ]);
    assert.equal(receiver.code, 0, receiver.stderr);
    assert.deepEqual(JSON.parse(receiver.stdout), { ok: true, mw: 'function' });
  });

  it('TypeScript (strict, nodenext, skipLibCheck false): the library and the receiver entry type-check', async () => {
    const dir = await installed('ts-consumer');
    const tsc = await runIn(dir, process.execPath, [
      join(dir, 'node_modules', 'typescript', 'bin', 'tsc'),
      '-p',
      '.',
    ]);
    assert.equal(tsc.code, 0, `${tsc.stdout}\n${tsc.stderr}`);
  });

  it('the bin from the consumer: npx airudder-emulator --version, and run <shipped> --sink', async () => {
    const dir = await installed('bin-consumer');
    const version = await runIn(dir, 'npx', ['airudder-emulator', '--version']);
    assert.equal(version.code, 0, version.stderr);
    assert.equal(version.stdout.trim(), VERSION);
    const run = await runIn(dir, 'npx', ['airudder-emulator', 'run', 'info-check-redials', '--sink']);
    assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
    assert.match(run.stdout, /expectations hold/);
  });
});
