/**
 * The append-only JSONL journal behind `--data-dir`: one store entry per line, written with one
 * synchronous write(2) before the entry is applied, so a process killed at any point (kill -9)
 * leaves at most a torn last line, which loading skips. Nothing is ever rewritten in place; a
 * reset is itself an entry, and loading starts after the last one.
 */
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { StoreEntry } from './entries.ts';
import type { EntrySink } from './memory-store.ts';

export const JOURNAL_FILE = 'journal.jsonl';

export interface LoadedJournal {
  entries: StoreEntry[];
  /** Lines that could not be read (a torn last line after a crash). */
  skipped: number;
}

export function journalPath(dataDir: string): string {
  return join(dataDir, JOURNAL_FILE);
}

/** Read the journal: the entries after the last reset, in order. */
export function loadJournal(dataDir: string): LoadedJournal {
  const file = journalPath(dataDir);
  if (!existsSync(file)) return { entries: [], skipped: 0 };
  const entries: StoreEntry[] = [];
  let skipped = 0;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    let entry: StoreEntry;
    try {
      entry = JSON.parse(line) as StoreEntry;
    } catch {
      skipped++;
      continue;
    }
    if (entry.k === 'reset') entries.length = 0;
    entries.push(upgrade(entry));
  }
  return { entries, skipped };
}

/** Entries written by an older version: the retry policy's `intervalMs` is `retryIntervalMs` now. */
function upgrade(entry: StoreEntry): StoreEntry {
  const policy =
    entry.k === 'delivery' ? (entry.record?.policy as unknown as Record<string, unknown>) : undefined;
  if (policy && 'intervalMs' in policy && !('retryIntervalMs' in policy)) {
    policy.retryIntervalMs = policy.intervalMs;
    delete policy.intervalMs;
  }
  return entry;
}

export interface Journal extends EntrySink {
  close(): void;
}

export function openJournal(dataDir: string): Journal {
  mkdirSync(dataDir, { recursive: true });
  const file = journalPath(dataDir);
  let fd: number | null = openSync(file, 'a');
  // A torn last line from a crash must not swallow the next entry: start on a fresh line.
  const existing = readFileSync(file);
  if (existing.length > 0 && existing[existing.length - 1] !== 0x0a) writeSync(fd, '\n');
  return {
    append(entry) {
      if (fd === null) throw new Error('journal is closed');
      writeSync(fd, `${JSON.stringify(entry)}\n`);
    },
    close() {
      if (fd !== null) closeSync(fd);
      fd = null;
    },
  };
}
