/**
 * Journals written before the lean format (issue 10) journaled whole events and whole delivery
 * records; they are read as the entries they stand for.
 */
import type { AttemptRecord, DeliveryRecord } from '../delivery/types.ts';
import type { DeliveryCreatedEntry, JournalEntry } from './entries.ts';

/** Entries as versions before the lean journal wrote them: whole events and delivery records. */
export type LegacyEntry =
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
export function legacyUpgrader(): (e: JournalEntry | LegacyEntry) => JournalEntry[] {
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
