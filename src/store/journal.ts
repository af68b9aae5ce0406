/**
 * The append-only JSONL journal behind `--data-dir`: one journal entry per line (inputs and
 * deltas, never payloads: see entries.ts), written with one synchronous write(2) before the entry
 * is applied, so a process killed at any point (kill -9) leaves at most a torn last line, which
 * loading skips. Nothing is ever rewritten in place; a reset is itself an entry, and loading
 * starts after the last one.
 */
import { closeSync, existsSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { makeDirs } from '../core/make-dirs.ts';
import { join } from 'node:path';
import type { AttemptRecord, DeliveryRecord } from '../delivery/types.ts';
import type { DeliveryCreatedEntry, JournalEntry } from './entries.ts';
import type { EntrySink } from './memory-store.ts';

export const JOURNAL_FILE = 'journal.jsonl';

export interface LoadedJournal {
  entries: JournalEntry[];
  /** Lines that could not be read (a torn last line after a crash). */
  skipped: number;
  /** Wall time of the journal's last write (the file's mtime), epoch ms; undefined without a file. */
  writtenAt?: number;
}

export function journalPath(dataDir: string): string {
  return join(dataDir, JOURNAL_FILE);
}

/** Read the journal: the entries after the last reset, in order. */
export function loadJournal(dataDir: string): LoadedJournal {
  const file = journalPath(dataDir);
  if (!existsSync(file)) return { entries: [], skipped: 0 };
  const entries: JournalEntry[] = [];
  let skipped = 0;
  const upgrade = legacyUpgrader();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    let entry: JournalEntry | LegacyEntry;
    try {
      entry = JSON.parse(line) as JournalEntry | LegacyEntry;
    } catch {
      skipped++;
      continue;
    }
    if (entry.k === 'reset') entries.length = 0;
    for (const e of upgrade(entry)) entries.push(e);
  }
  return { entries, skipped, writtenAt: statSync(file).mtimeMs };
}

/** Entries as versions before the lean journal wrote them: whole events and delivery records. */
type LegacyEntry =
  | { k: 'events'; workflowId: string; to: number; events?: unknown }
  | {
      k: 'delivery';
      id: string;
      record?: DeliveryRecord;
      patch?: Pick<DeliveryRecord, 'attempts' | 'outcome' | 'nextAttemptAt'>;
    };

/**
 * Reads journals written by older versions: an `events` entry is an advance (its events are
 * derived again), a whole delivery record is its metadata plus its attempts, a record patch is the
 * attempts it adds and its schedule; a retry policy's `intervalMs` is `retryIntervalMs` now.
 */
function legacyUpgrader(): (e: JournalEntry | LegacyEntry) => JournalEntry[] {
  const progress = new Map<string, { attempts: number; next: number | null; outcome: string }>();
  function deltas(
    id: string,
    attempts: AttemptRecord[],
    next: number | null,
    outcome: DeliveryRecord['outcome'],
  ): JournalEntry[] {
    const seen = progress.get(id) ?? { attempts: 0, next: null, outcome: 'pending' };
    const out: JournalEntry[] = [];
    const added = attempts.slice(seen.attempts);
    added.forEach((a, i) => {
      const last = i === added.length - 1;
      out.push({ k: 'attempt', id, ...a, next: last ? next : null, outcome: last ? outcome : 'pending' });
    });
    if (added.length === 0 && (next !== seen.next || outcome !== seen.outcome)) {
      out.push(
        next === null && outcome === 'pending'
          ? { k: 'sending', id, n: attempts.length + 1 }
          : { k: 'schedule', id, next, outcome },
      );
    }
    progress.set(id, { attempts: attempts.length, next, outcome });
    return out;
  }
  return (e) => {
    if (e.k === 'events') return [{ k: 'advance', workflowId: e.workflowId, to: e.to }];
    if (e.k !== 'delivery' || !('record' in e || 'patch' in e)) return [e as JournalEntry];
    const legacy = e as Extract<LegacyEntry, { k: 'delivery' }>;
    if (legacy.record) {
      const {
        payload: _payload,
        body: _body,
        headers: _headers,
        attempts,
        outcome,
        replays: _replays,
        ...meta
      } = legacy.record;
      const policy = meta.policy as unknown as Record<string, unknown>;
      if ('intervalMs' in policy && !('retryIntervalMs' in policy)) {
        meta.policy = { ...meta.policy, retryIntervalMs: policy.intervalMs as number };
        delete (meta.policy as unknown as Record<string, unknown>).intervalMs;
      }
      const created: DeliveryCreatedEntry = { k: 'delivery', ...meta };
      progress.set(meta.id, { attempts: 0, next: meta.nextAttemptAt, outcome: 'pending' });
      return [created, ...deltas(meta.id, attempts, meta.nextAttemptAt, outcome)];
    }
    const p = legacy.patch!;
    return deltas(legacy.id, p.attempts, p.nextAttemptAt, p.outcome);
  };
}

export interface Journal extends EntrySink {
  close(): void;
}

export function openJournal(dataDir: string): Journal {
  makeDirs(dataDir);
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
