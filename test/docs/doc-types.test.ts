/**
 * The TypeScript blocks of README.md and docs/*.md compile under the repository's strict
 * settings against src/ (`'airudder-emulator'` is src/index.ts): doc-blocks.test.ts runs them,
 * which strips types without checking them, so a block calling an option by a wrong name or with
 * a wrong type would otherwise pass.
 */
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import ts from 'typescript';
import { codeBlocks, docFiles, ROOT } from './markdown.ts';

const DIR = join(ROOT, 'node_modules', '.cache', 'doc-types');

/** The block with the package's imports pointed at src/, relative to where it is written. */
function localImports(code: string): string {
  const src = (path: string) => relative(DIR, join(ROOT, path)).replace(/\\/g, '/');
  return code
    .replace(/from 'airudder-emulator'/g, `from '${src('src/index.ts')}'`)
    .replace(/from 'airudder-emulator\/receiver'/g, `from '${src('src/receiver.ts')}'`);
}

function compilerOptions(): ts.CompilerOptions {
  const config = ts.readConfigFile(join(ROOT, 'tsconfig.json'), (p) => ts.sys.readFile(p));
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT);
  return { ...parsed.options, noEmit: true };
}

describe('TypeScript blocks in the docs', () => {
  it('every ts block type-checks against src/ under tsconfig.json (strict)', () => {
    rmSync(DIR, { recursive: true, force: true });
    mkdirSync(DIR, { recursive: true });
    const files = new Map<string, string>();
    for (const b of docFiles().flatMap(codeBlocks)) {
      if (b.lang !== 'ts' && b.lang !== 'typescript') continue;
      if (b.directives.some((d) => d.startsWith('syntax-only'))) continue;
      const file = join(DIR, `${b.file.replace(/\W/g, '_')}-${b.line}.ts`);
      // Each block is a module of its own (its top-level names do not meet the others').
      writeFileSync(file, `${localImports(b.code)}\nexport {};\n`);
      files.set(file, `${b.file}:${b.line}`);
    }
    assert.ok(files.size >= 5, `${files.size} TypeScript blocks found`);
    const program = ts.createProgram([...files.keys()], compilerOptions());
    const problems = ts
      .getPreEmitDiagnostics(program)
      .filter((d) => d.file && files.has(d.file.fileName))
      .map((d) => {
        const { line } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
        // Lines count from the block's first line (the fence is one line above).
        const [doc, fence] = files.get(d.file!.fileName)!.split(':') as [string, string];
        return `${doc}:${Number(fence) + line + 1}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
      });
    rmSync(DIR, { recursive: true, force: true });
    assert.deepEqual(problems, []);
  });
});
