/**
 * The import rules of src/ (docs/design.md, "Layers"): no import cycle between files, and every
 * import points to the importer's own layer or a lower one. Type-only imports, `export … from` and
 * dynamic `import()` count like any other import. `LAYERS` below is the one table of the order.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { LAYERS } from './layers.ts';

export { LAYERS };

const root = fileURLToPath(new URL('../..', import.meta.url));
const src = join(root, 'src');

export interface ImportEdge {
  from: string;
  to: string;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return e.name.endsWith('.ts') ? [path] : [];
  });
}

/** src-relative path with forward slashes. */
function rel(path: string): string {
  return relative(src, path).split(sep).join('/');
}

/** Every relative import of every .ts file under `dir` (type-only and dynamic included). */
export function importEdges(dir: string = src): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const file of sourceFiles(dir)) {
    const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    for (const { fileName } of info.importedFiles) {
      if (!fileName.startsWith('.')) continue;
      let target = resolve(dirname(file), fileName);
      if (target.endsWith('.js')) target = target.slice(0, -3) + '.ts';
      if (!existsSync(target) && existsSync(join(target, 'index.ts'))) target = join(target, 'index.ts');
      edges.push({ from: rel(file), to: rel(target) });
    }
  }
  return edges;
}

/** The LAYERS index of a src-relative file, or -1 when it is in no layer. */
export function layerOf(file: string): number {
  return LAYERS.findIndex((entry) => file === entry || file.startsWith(`${entry}/`));
}

/** Imports that point to a higher layer than their importer's. */
export function backArrows(edges: readonly ImportEdge[]): ImportEdge[] {
  return edges.filter((e) => layerOf(e.to) > layerOf(e.from));
}

/** Every file cycle (strongly connected component of two or more files, or a self-import). */
export function importCycles(edges: readonly ImportEdge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const { from, to } of edges) {
    next.set(from, [...(next.get(from) ?? []), to]);
    if (!next.has(to)) next.set(to, []);
  }
  // Tarjan's algorithm.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  let counter = 0;
  const visit = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter);
    counter += 1;
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (next.get(v) ?? []).includes(v)) cycles.push(component.sort());
    }
  };
  for (const v of [...next.keys()].sort()) if (!index.has(v)) visit(v);
  return cycles;
}

const show = (edges: readonly ImportEdge[]): string => edges.map((e) => `  ${e.from} -> ${e.to}`).join('\n');

describe('src/ import rules', () => {
  const edges = importEdges();

  it('finds the imports (the scan itself works)', () => {
    assert.ok(edges.length > 100, `only ${edges.length} imports found`);
    assert.ok(edges.some((e) => e.from === 'index.ts' && e.to === 'server/emulator.ts'));
    // type-only imports are seen
    assert.ok(edges.some((e) => e.from === 'store/entries.ts' && e.to.startsWith('delivery/')));
  });

  it('every file is in a layer', () => {
    const files = sourceFiles(src).map(rel);
    const unplaced = files.filter((f) => layerOf(f) < 0);
    assert.deepEqual(
      unplaced,
      [],
      `add these to LAYERS in test/arch/imports.test.ts:\n${unplaced.join('\n')}`,
    );
  });

  it('no import points to a higher layer', () => {
    const back = backArrows(edges);
    assert.deepEqual(back, [], `imports against the layer order (${LAYERS.join(' < ')}):\n${show(back)}`);
  });

  it('no import cycle', () => {
    const cycles = importCycles(edges);
    assert.deepEqual(cycles, [], `import cycles:\n${cycles.map((c) => `  ${c.join(' <-> ')}`).join('\n')}`);
  });

  it('the checks fail on a bad import (self-test on synthetic edges)', () => {
    assert.deepEqual(backArrows([{ from: 'core/ids.ts', to: 'http/app.ts' }]).length, 1);
    assert.deepEqual(backArrows([{ from: 'http/app.ts', to: 'core/ids.ts' }]).length, 0);
    assert.deepEqual(
      importCycles([
        { from: 'a.ts', to: 'b.ts' },
        { from: 'b.ts', to: 'c.ts' },
        { from: 'c.ts', to: 'a.ts' },
        { from: 'c.ts', to: 'd.ts' },
      ]),
      [['a.ts', 'b.ts', 'c.ts']],
    );
  });
});
