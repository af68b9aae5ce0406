/**
 * The append-only JSONL journal behind `--data-dir`: one journal entry per line (inputs and
 * deltas, never payloads: see entries.ts), each with its checksum (journal-line.ts), written with
 * synchronous write(2) before the entry is applied, so a process killed at any point (kill -9)
 * leaves at most a torn last line, which loading drops and opening cuts off.
 *
 * A bad line anywhere else (checksum mismatch, not JSON, unknown kind) is damage: loading stops
 * with `JournalDamagedError` naming the file, the line and what it held, unless asked to repair
 * (journal-repair.ts). The file is read through a fixed buffer (journal-read.ts), so its size has
 * no ceiling, and compacted (compact.ts) by rewriting it whole: into a temporary file, flushed,
 * then renamed over the journal, so a kill at any point leaves either the old or the new journal.
 *
 * A write that fails (a full disk: ENOSPC, EIO…) does not crash anything: the entry waits in
 * memory, the journal says it is degraded (`health()`), the partial line is cut off, and later
 * writes try again; the waiting entries are written, in order, as soon as one succeeds.
 */
import {
  closeSync,
  copyFileSync,
  existsSync,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  openSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { makeDirs } from '../core/make-dirs.ts';
import { compactEntries } from './compact.ts';
import type { JournalEntry } from './entries.ts';
import { legacyUpgrader, type LegacyEntry } from './journal-legacy.ts';
import { decodeLine, encodeLine, excerpt, lineHints, type LineHints } from './journal-line.ts';
import { DEFAULT_READ_LIMITS, readLines, type ReadLimits } from './journal-read.ts';
import type { EntrySink } from './memory-store.ts';

export const JOURNAL_FILE = 'journal.jsonl';
/** Compact while running once this many lines were appended since the last compaction. */
export const DEFAULT_COMPACT_AFTER_LINES = 200_000;

export function journalPath(dataDir: string): string {
  return join(dataDir, JOURNAL_FILE);
}

/** A bad line, as repair reports it. */
export interface JournalDamage {
  line: number;
  problem: string;
  /** What the line held (truncated). */
  excerpt: string;
  /** Its kind and ids, as far as the raw text tells. */
  hints: LineHints;
}

export interface LoadedJournal {
  entries: JournalEntry[];
  /** Lines that could not be read at the end of the file (a torn last line after a crash): 0 or 1. */
  skipped: number;
  /** Entry lines in the file (the torn one and damaged ones not counted). */
  lines?: number;
  /** Some line had no checksum (a journal from before checksums). */
  legacy?: boolean;
  /** Byte offset where the torn last line starts (opening cuts the file there). */
  tornAt?: number;
  /** Damaged lines dropped (only when loading with `repair`), in file order. */
  damaged?: JournalDamage[];
  /** Wall time of the journal's last write (the file's mtime), epoch ms; undefined without a file. */
  writtenAt?: number;
}

/** A damaged line in the middle of the journal: the start stops here (or `--repair`). */
export class JournalDamagedError extends Error {
  readonly file: string;
  readonly line: number;
  readonly problem: string;
  /** What the line held (truncated). */
  readonly held: string;
  constructor(file: string, line: number, problem: string, held: string) {
    super(
      `journal ${file} is damaged at line ${line} (${problem}): ${held}\n` +
        'Nothing was changed. Start with --repair (library: repairJournal: true) to rebuild what ' +
        'can be read and see what is lost, or move the file away to start empty.',
    );
    this.name = 'JournalDamagedError';
    this.file = file;
    this.line = line;
    this.problem = problem;
    this.held = held;
  }
}

export interface LoadOptions {
  /** Drop damaged lines instead of stopping (their consequences: journal-repair.ts). */
  repair?: boolean;
  limits?: ReadLimits;
}

/** Read the journal: the entries after the last reset, in order. */
export function loadJournal(dataDir: string, opts: LoadOptions = {}): LoadedJournal {
  const file = journalPath(dataDir);
  if (!existsSync(file)) return { entries: [], skipped: 0 };
  const entries: JournalEntry[] = [];
  const damaged: JournalDamage[] = [];
  const upgrade = legacyUpgrader();
  let checked = false;
  let legacy = false;
  let lines = 0;
  // A bad line is damage only once another line follows it: the last one is torn.
  let suspect: (JournalDamage & { start: number }) | undefined;
  for (const raw of readLines(file, opts.limits ?? DEFAULT_READ_LIMITS)) {
    if (suspect) {
      if (!opts.repair) throw new JournalDamagedError(file, suspect.line, suspect.problem, suspect.excerpt);
      damaged.push(suspect);
      if (suspect.hints.kind === 'reset') entries.length = 0;
      suspect = undefined;
    }
    const decoded = raw.tooLong
      ? ({
          ok: false,
          problem: `longer than ${opts.limits?.maxLineBytes ?? DEFAULT_READ_LIMITS.maxLineBytes} bytes`,
        } as const)
      : decodeLine(raw.text, checked);
    if (!decoded.ok) {
      suspect = {
        line: raw.n,
        start: raw.start,
        problem: decoded.problem,
        excerpt: excerpt(raw.text),
        hints: lineHints(raw.text),
      };
      continue;
    }
    lines++;
    if (decoded.checked) checked = true;
    else legacy = true;
    const entry = decoded.entry as JournalEntry | LegacyEntry;
    if (entry.k === 'reset') {
      entries.length = 0;
      damaged.length = 0;
    }
    for (const e of upgrade(entry)) entries.push(e);
  }
  const loaded: LoadedJournal = {
    entries,
    skipped: suspect ? 1 : 0,
    lines,
    legacy,
    writtenAt: statSync(file).mtimeMs,
  };
  if (suspect) loaded.tornAt = suspect.start;
  if (opts.repair) loaded.damaged = damaged;
  return loaded;
}

/**
 * Replace the journal with `entries`, crash-safe: written to a temporary file, flushed, renamed
 * over the journal (atomic), and the folder flushed. A kill before the rename leaves the old
 * journal (and a temporary file the next rewrite replaces); after it, the new one.
 */
export function rewriteJournal(
  dataDir: string,
  entries: readonly JournalEntry[],
  /** Keep this modification time (epoch ms): the last write's, which a scaled clock resumes from. */
  writtenAt?: number,
): void {
  const file = journalPath(dataDir);
  const tmp = `${file}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    const batch: string[] = [];
    const flush = () => {
      writeAll(fd, Buffer.from(batch.join('')));
      batch.length = 0;
    };
    for (const e of entries) {
      batch.push(`${encodeLine(e)}\n`);
      if (batch.length >= 4096) flush();
    }
    flush();
    fsyncSync(fd);
  } catch (err) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw err;
  }
  closeSync(fd);
  if (writtenAt !== undefined) utimesSync(tmp, new Date(writtenAt), new Date(writtenAt));
  renameSync(tmp, file);
  syncFolder(dataDir);
}

/** Keep a copy of the journal before repair rewrites it; returns the copy's path. */
export function backupJournal(dataDir: string): string {
  let n = 1;
  const name = () =>
    join(dataDir, n === 1 ? 'journal.before-repair.jsonl' : `journal.before-repair-${n}.jsonl`);
  while (existsSync(name())) n++;
  copyFileSync(journalPath(dataDir), name());
  return name();
}

function writeAll(fd: number, buf: Buffer): void {
  let off = 0;
  while (off < buf.length) off += writeSync(fd, buf, off);
}

function syncFolder(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Not every platform can flush a folder (Windows): the rename is still atomic.
  }
}

/** The file calls the journal makes when appending (a test injects failures: ENOSPC, EIO). */
export interface JournalFs {
  /** Open for appending. */
  open(file: string): number;
  /** Write from `buf`; returns the bytes written (maybe fewer); throws on a write error. */
  write(fd: number, buf: Buffer): number;
  truncate(fd: number, length: number): void;
  size(fd: number): number;
  close(fd: number): void;
}

export const nodeJournalFs: JournalFs = {
  open: (file) => openSync(file, 'a'),
  write: (fd, buf) => writeSync(fd, buf),
  truncate: (fd, length) => ftruncateSync(fd, length),
  size: (fd) => fstatSync(fd).size,
  close: (fd) => closeSync(fd),
};

export interface JournalHealth {
  state: 'ok' | 'degraded';
  /** Why writes fail (the error's code and message), while degraded. */
  reason?: string;
  /** Entries applied in memory, waiting to be written. */
  waiting: number;
}

export interface Journal extends EntrySink {
  /** Whether entries reach the disk; tries the waiting entries again first. */
  health(): JournalHealth;
  close(): void;
}

/** How the journal is read and written (tests inject failures and small limits). */
export interface JournalSettings {
  /** The file calls appends make (default: node:fs). */
  fs?: JournalFs;
  /** Read buffer and longest line (default 1 MiB and 64 MiB). */
  readLimits?: ReadLimits;
  /** Compact while running after this many appended lines (default 200,000). */
  compactAfterLines?: number;
  /** Told when journal writes start failing and when they succeed again. */
  onHealth?: (health: JournalHealth, err?: unknown) => void;
}

export interface OpenOptions {
  fs?: JournalFs;
  /** Where the loaded journal ends in a torn line (cut off before appending). */
  tornAt?: number;
  /** Lines already in the file (what the next compaction is counted from). */
  lines?: number;
  compactAfterLines?: number;
  /** Told when writes start failing (once) and when they succeed again. */
  onHealth?: (health: JournalHealth, err?: unknown) => void;
}

export function openJournal(dataDir: string, opts: OpenOptions = {}): Journal {
  makeDirs(dataDir);
  const file = journalPath(dataDir);
  const fs = opts.fs ?? nodeJournalFs;
  // A torn last line from a crash must not swallow the next entry: cut it off.
  const cut = opts.tornAt ?? unterminatedTail(file);
  let fd: number | null = fs.open(file);
  if (cut !== undefined) fs.truncate(fd, cut);
  let good = fs.size(fd);
  /** Part of a line may follow `good` (a failed write that could not be cut off). */
  let torn = false;
  const waiting: string[] = [];
  let failure: unknown;
  let lines = opts.lines ?? 0;
  let compactedAt = lines;
  const compactAfter = opts.compactAfterLines ?? DEFAULT_COMPACT_AFTER_LINES;

  const health = (): JournalHealth =>
    failure === undefined
      ? { state: 'ok', waiting: waiting.length }
      : { state: 'degraded', reason: describe(failure), waiting: waiting.length };

  /** Write what waits, as one write; on failure cut off what part of it went out. */
  function flush(): void {
    if (fd === null || waiting.length === 0) return;
    const buf = Buffer.from(waiting.join(''));
    try {
      if (torn) fs.truncate(fd, good);
      torn = false;
      let off = 0;
      while (off < buf.length) {
        const n = fs.write(fd, buf.subarray(off));
        if (n <= 0) throw Object.assign(new Error('write wrote nothing'), { code: 'EIO' });
        off += n;
      }
    } catch (err) {
      try {
        fs.truncate(fd, good);
      } catch {
        // Cut off on the next try (flush truncates first), or by loading as a torn line.
        torn = true;
      }
      const first = failure === undefined;
      failure = err;
      if (first) opts.onHealth?.(health(), err);
      return;
    }
    good += buf.length;
    lines += waiting.length;
    waiting.length = 0;
    if (failure !== undefined) {
      failure = undefined;
      opts.onHealth?.(health());
    }
    if (lines - compactedAt >= compactAfter) compact();
  }

  /** Rewrite the file compacted; on any failure keep appending to the one there is. */
  function compact(): void {
    try {
      fs.close(fd!);
      fd = null;
      const { entries } = loadJournal(dataDir);
      const compacted = compactEntries(entries);
      rewriteJournal(dataDir, compacted);
      lines = compacted.length;
    } catch {
      // Damage or a write error: the journal as it is stays valid; try again N lines later.
    }
    fd = fs.open(file);
    good = fs.size(fd);
    compactedAt = lines;
  }

  return {
    append(entry) {
      if (fd === null) throw new Error('journal is closed');
      waiting.push(`${encodeLine(entry)}\n`);
      // While degraded, an append retries every 64th entry (each retry writes all that waits);
      // health() and the vendor-write check retry every time.
      if (failure === undefined || waiting.length % 64 === 0) flush();
    },
    health() {
      flush();
      return health();
    },
    close() {
      if (fd === null) return;
      flush();
      if (waiting.length > 0) {
        const reason = `closed with ${waiting.length} entries unwritten (${describe(failure)}): they are lost`;
        opts.onHealth?.({ state: 'degraded', reason, waiting: waiting.length }, failure);
      }
      fs.close(fd);
      fd = null;
    },
  };
}

/** Where a last line without its newline starts (a write cut short), or undefined. */
function unterminatedTail(file: string): number | undefined {
  if (!existsSync(file)) return undefined;
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(64 * 1024);
    let end = fstatSync(fd).size;
    if (end === 0) return undefined;
    readSync(fd, buf, 0, 1, end - 1);
    if (buf[0] === 0x0a) return undefined;
    while (end > 0) {
      const from = Math.max(0, end - buf.length);
      const got = readSync(fd, buf, 0, end - from, from);
      const nl = buf.subarray(0, got).lastIndexOf(0x0a);
      if (nl !== -1) return from + nl + 1;
      end = from;
    }
    return 0;
  } finally {
    closeSync(fd);
  }
}

function describe(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  const message = e?.message ?? String(err);
  return e?.code && !message.startsWith(e.code) ? `${e.code}: ${message}` : message;
}
