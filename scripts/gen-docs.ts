/**
 * Writes the generated tables of docs/*.md (between `<!-- generated:NAME -->` and
 * `<!-- /generated:NAME -->`) from the code: the vendor routes, the admin routes and the error table
 * (scripts/doctables/tables.ts).
 *   npm run gen:docs       rewrite them
 *   npm run check:docs     exit 1 when a committed table is not what the code generates (CI)
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { renderGenerated } from './doctables/tables.ts';

const ROOT = join(import.meta.dirname, '..');
const DOCS = join(ROOT, 'docs');

/** Every markdown file that may hold a generated block. */
export function docFiles(): string[] {
  return readdirSync(DOCS)
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => join(DOCS, f));
}

/** The files whose generated blocks are out of date: [path, current text, generated text]. */
export function staleDocs(): { file: string; current: string; next: string }[] {
  return docFiles().flatMap((file) => {
    const current = readFileSync(file, 'utf8');
    const next = renderGenerated(current, relative(ROOT, file));
    return next === current ? [] : [{ file, current, next }];
  });
}

function cli(argv: string[]): number {
  const stale = staleDocs();
  if (argv.includes('--check')) {
    for (const s of stale)
      process.stderr.write(
        `${relative(ROOT, s.file)}: a generated table is out of date with the code: run npm run gen:docs\n`,
      );
    return stale.length > 0 ? 1 : 0;
  }
  for (const s of stale) writeFileSync(s.file, s.next);
  process.stdout.write(`gen:docs: ${stale.length} file(s) rewritten\n`);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href)
  process.exitCode = cli(process.argv.slice(2));
