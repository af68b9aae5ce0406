/**
 * The journal read line by line through a fixed buffer: never the whole file as one string (V8
 * caps a string at 512 MiB, which capped the journal), so its size has no ceiling. Only one line
 * must fit in memory: a longer one is reported as too long (damage), not read.
 */
import { closeSync, openSync, readSync } from 'node:fs';

export interface ReadLimits {
  /** Bytes read per call. */
  chunkBytes: number;
  /** The longest line read (a longer one is damage: no entry is that long). */
  maxLineBytes: number;
}

export const DEFAULT_READ_LIMITS: ReadLimits = { chunkBytes: 1 << 20, maxLineBytes: 64 << 20 };

export interface RawLine {
  /** 1-based line number. */
  n: number;
  /** Byte offset of the line's first byte. */
  start: number;
  /** The line (no newline); for a line over the limit, its first bytes only. */
  text: string;
  tooLong: boolean;
  /** Ended by a newline (false: the file ends inside it). */
  terminated: boolean;
}

/** The lines of `file`, in order; empty lines are skipped (their numbers still count). */
export function* readLines(file: string, limits: ReadLimits = DEFAULT_READ_LIMITS): Generator<RawLine> {
  const fd = openSync(file, 'r');
  try {
    const chunk = Buffer.allocUnsafe(limits.chunkBytes);
    let parts: Buffer[] = [];
    let held = 0;
    let tooLong = false;
    let lineStart = 0;
    let pos = 0;
    let n = 0;
    const take = (terminated: boolean): RawLine | null => {
      n++;
      const line = Buffer.concat(parts, held);
      const raw: RawLine = { n, start: lineStart, text: line.toString('utf8'), tooLong, terminated };
      parts = [];
      held = 0;
      tooLong = false;
      return raw.text.trim() === '' && !raw.tooLong ? null : raw;
    };
    for (;;) {
      const got = readSync(fd, chunk, 0, chunk.length, pos);
      if (got === 0) break;
      let from = 0;
      while (from < got) {
        const nl = chunk.indexOf(0x0a, from);
        const end = nl === -1 || nl >= got ? got : nl;
        // Keep at most maxLineBytes of a line (its head, for the message); drop the rest.
        const room = limits.maxLineBytes - held;
        if (end - from > room) tooLong = true;
        const keep = Math.max(0, Math.min(end - from, room));
        if (keep > 0) {
          parts.push(Buffer.from(chunk.subarray(from, from + keep)));
          held += keep;
        }
        if (end === got) break;
        const line = take(true);
        if (line) yield line;
        from = end + 1;
        lineStart = pos + from;
      }
      pos += got;
    }
    if (held > 0 || tooLong) {
      const line = take(false);
      if (line) yield line;
    }
  } finally {
    closeSync(fd);
  }
}
