/**
 * The repository's user documentation as the doc tests read it: README.md and docs/*.md, their
 * fenced code blocks with the `<!-- doc-test: … -->` comments just before each, their headings
 * (as GitHub makes anchors of them) and their links.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..', '..');

/** README.md and every docs/*.md, as paths relative to the repository root. */
export function docFiles(): string[] {
  const docs = readdirSync(join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => `docs/${f}`);
  return ['README.md', ...docs];
}

export interface CodeBlock {
  file: string;
  /** 1-based line of the opening fence. */
  line: number;
  /** The info string's first word, '' when the fence has none. */
  lang: string;
  code: string;
  /** The `doc-test:` comments on the lines just before the fence, without the prefix. */
  directives: string[];
  /** Set when a `<!-- library-example: … -->` marker precedes the block. */
  libraryExample: boolean;
}

export function codeBlocks(file: string): CodeBlock[] {
  const lines = readFileSync(join(ROOT, file), 'utf8').split('\n');
  const blocks: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(`{3,})(.*)$/.exec(lines[i]!);
    if (!open) continue;
    const fence = open[1]!;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && lines[i] !== fence; i++) body.push(lines[i]!);
    const directives: string[] = [];
    let libraryExample = false;
    for (let j = start - 1; j >= 0 && /^<!--.*-->$/.test(lines[j]!); j--) {
      const d = /^<!-- doc-test: (.*) -->$/.exec(lines[j]!);
      if (d) directives.unshift(d[1]!);
      if (lines[j]!.startsWith('<!-- library-example:')) libraryExample = true;
    }
    blocks.push({
      file,
      line: start + 1,
      lang: open[2]!.trim().split(/\s+/)[0] ?? '',
      code: `${body.join('\n')}\n`,
      directives,
      libraryExample,
    });
  }
  return blocks;
}

/** The text outside fenced blocks (where headings and links are). */
function prose(file: string): string {
  return readFileSync(join(ROOT, file), 'utf8').replace(/^(`{3,}).*\n[\s\S]*?^\1$/gm, '');
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
export function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** Every anchor the file's headings give (GitHub numbers repeats: `x`, `x-1`, …). */
export function anchors(file: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const m of prose(file).matchAll(/^#{1,6} (.+)$/gm)) {
    const base = slug(m[1]!);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  return out;
}

/** Markdown link targets outside code: `[text](target)`. */
export function links(file: string): string[] {
  const text = prose(file).replace(/`[^`\n]*`/g, '');
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!);
}
