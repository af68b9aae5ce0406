/**
 * The package's public types stand on their own: the declarations `npm run build` emits for
 * `airudder-emulator` and `airudder-emulator/receiver` reach no package a consumer does not get
 * with it (express's types are a devDependency), and a strict consumer compiling with
 * `skipLibCheck: false` type-checks against them.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import ts from 'typescript';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ENTRIES = ['index', 'receiver'];
/** Bare imports the public declarations may have: dependencies that ship their own types, and Node. */
const ALLOWED = /^(node:.*|yaml|ajv(\/.*)?|ajv-formats|@faker-js\/faker)$/;

function diagnostics(list: readonly ts.Diagnostic[]): string {
  return ts.formatDiagnostics(list, {
    getCanonicalFileName: (f) => f,
    getCurrentDirectory: () => ROOT,
    getNewLine: () => '\n',
  });
}

/** Every relative and bare import of the declaration graph from the entry files. */
function walk(entries: string[]): { files: Set<string>; bare: Map<string, string[]> } {
  const files = new Set<string>();
  const bare = new Map<string, string[]>();
  const queue = [...entries];
  while (queue.length > 0) {
    const file = queue.shift()!;
    if (files.has(file)) continue;
    files.add(file);
    const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    for (const { fileName: spec } of info.importedFiles) {
      if (spec.startsWith('.')) {
        const base = resolve(dirname(file), spec).replace(/\.(ts|js)$/, '');
        queue.push(existsSync(`${base}.d.ts`) ? `${base}.d.ts` : join(base, 'index.d.ts'));
      } else {
        bare.set(spec, [...(bare.get(spec) ?? []), file]);
      }
    }
  }
  return { files, bare };
}

describe('public types', () => {
  let dir: string;
  before(() => {
    // Inside the repository, so yaml / ajv / faker resolve from its node_modules as they would
    // from a consumer's (express's types would too: the graph check below keeps them out).
    mkdirSync(join(ROOT, 'node_modules', '.cache'), { recursive: true });
    dir = mkdtempSync(join(ROOT, 'node_modules', '.cache', 'public-types-'));
    const config = ts.getParsedCommandLineOfConfigFile(
      join(ROOT, 'tsconfig.build.json'),
      {},
      {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: (d) => assert.fail(diagnostics([d])),
      },
    )!;
    const program = ts.createProgram(
      ENTRIES.map((e) => join(ROOT, 'src', `${e}.ts`)),
      {
        ...config.options,
        outDir: join(dir, 'dist'),
        emitDeclarationOnly: true,
        declarationMap: false,
        sourceMap: false,
        incremental: false,
        tsBuildInfoFile: undefined,
      },
    );
    const emitted = program.emit();
    assert.deepEqual(emitted.diagnostics, [], diagnostics(emitted.diagnostics));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reach no package outside the dependencies that ship types', () => {
    const { files, bare } = walk(ENTRIES.map((e) => join(dir, 'dist', `${e}.d.ts`)));
    assert.ok(files.size > 10, `walked ${files.size} declaration files`);
    const leaks = [...bare].filter(([spec]) => !ALLOWED.test(spec));
    assert.deepEqual(
      leaks.map(([spec, from]) => `${spec} ← ${from.map((f) => relative(dir, f)).join(', ')}`),
      [],
    );
  });

  it('type-check in a strict consumer with skipLibCheck false', () => {
    writeFileSync(join(dir, 'package.json'), '{"type":"module"}\n');
    const consumer = join(dir, 'consumer.ts');
    writeFileSync(
      consumer,
      `import { createEmulator, runScenario, type DeliveryRecord, type EmulatorOptions, type Sink } from './dist/index.js';
import { airudderCallback } from './dist/receiver.js';

const options: EmulatorOptions = {
  scenarios: ['collection-ptp'],
  delivery: { maxRetries: 2, retryIntervalMs: 1_000, chaos: { duplicateRate: 0.1 } },
  sink: { mode: 'fail', failStatus: 503, failFirst: 1 },
};
export async function main(): Promise<number | undefined> {
  const emu = await createEmulator(options);
  const sink: Sink = emu.sink;
  sink.configure({ mode: 'ok' });
  const { workflowId } = emu.trigger('collection-ptp');
  const list: DeliveryRecord[] = emu.deliveries({ workflow: workflowId });
  await emu.close();
  const report = await runScenario({ scenario: 'telemarketing' });
  const at: number | undefined = report.deliveries[0]?.attempts[0]?.at;
  return typeof airudderCallback === 'function' ? (list[0]?.firstAt ?? at) : undefined;
}
`,
    );
    const program = ts.createProgram([consumer], {
      strict: true,
      noEmit: true,
      skipLibCheck: false,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      target: ts.ScriptTarget.ES2022,
      types: ['node'],
    });
    const problems = ts.getPreEmitDiagnostics(program);
    assert.equal(diagnostics(problems), '');
  });
});
