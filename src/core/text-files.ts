/**
 * Reading and parsing the files users hand us (scenarios, config files) within bounds: a size cap
 * (a scenario is kilobytes; `/dev/zero` or a multi-gigabyte file must not fill memory), and YAML
 * whose aliases may not expand past a cap (a "billion laughs" file). Every failure is a message
 * with a line and column, never an exception with a stack.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import type { Document, LineCounter } from 'yaml';
import { yaml } from './lazy-packages.ts';

/** Largest scenario or config file read (bytes). */
export const MAX_TEXT_FILE_BYTES = 16 * 1024 * 1024;
/** Most alias expansions in one YAML file (yaml's own default is 100 as well). */
export const MAX_YAML_ALIASES = 100;

export class TextFileTooLarge extends Error {}

/**
 * The file as UTF-8, read in chunks and stopped once it passes `maxBytes` (so a device or a pipe
 * that never ends is refused too). Throws TextFileTooLarge, or the fs error.
 */
export function readTextFile(path: string, maxBytes = MAX_TEXT_FILE_BYTES): string {
  const fd = openSync(path, 'r');
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(1024 * 1024, maxBytes + 1 - total));
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      chunks.push(chunk.subarray(0, n));
      total += n;
      if (total > maxBytes) {
        throw new TextFileTooLarge(
          `is larger than ${formatBytes(maxBytes)} (the most a scenario or config file may be)`,
        );
      }
    }
    return Buffer.concat(chunks, total).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

const formatBytes = (n: number): string =>
  n >= 1024 * 1024 ? `${n / (1024 * 1024)} MiB` : n >= 1024 ? `${n / 1024} KiB` : `${n} bytes`;

export interface YamlProblem {
  line: number;
  col: number;
  message: string;
}

export interface ParsedYaml {
  doc: Document;
  lineCounter: LineCounter;
}

/** A YAML document with its line counter, or its syntax errors (`YAML <code>: …`). */
export function parseYamlDocument(text: string, label = 'YAML'): ParsedYaml | { problems: YamlProblem[] } {
  const { LineCounter, parseDocument } = yaml();
  const lineCounter = new LineCounter();
  const doc: Document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length === 0) return { doc, lineCounter };
  return {
    problems: doc.errors.map((e) => {
      const pos = e.linePos?.[0] ?? lineCounter.linePos(e.pos[0]);
      return { line: pos.line, col: pos.col, message: `${label} ${e.code}: ${e.message.split('\n')[0]}` };
    }),
  };
}

/**
 * The document as plain values, or where alias expansion went past the cap: the first alias's
 * position (yaml throws a ReferenceError there; it must not reach the user as a stack trace).
 */
export function yamlValue(
  { doc, lineCounter }: ParsedYaml,
  maxAliasCount = MAX_YAML_ALIASES,
): { ok: true; value: unknown } | { ok: false; problem: YamlProblem } {
  try {
    return { ok: true, value: doc.toJS({ maxAliasCount }) as unknown };
  } catch (err) {
    if (!(err instanceof ReferenceError)) throw err;
    const at = firstAliasOffset(doc);
    const pos = lineCounter.linePos(at);
    return {
      ok: false,
      problem: {
        line: pos.line,
        col: pos.col,
        message: `YAML aliases expand too much (more than ${maxAliasCount} expansions): refused as a resource exhaustion attack`,
      },
    };
  }
}

function firstAliasOffset(doc: Document): number {
  const { visit, isAlias } = yaml();
  let offset = 0;
  visit(doc, {
    Alias(_key, node) {
      if (isAlias(node) && node.range) {
        offset = node.range[0];
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return offset;
}
