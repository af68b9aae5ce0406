/**
 * Compaction: the shortest list of journal entries that replays to the same state. What it drops
 * is history, never live state:
 *
 * - everything before the last reset (loading already forgets it);
 * - an `advance` that a later advance or command of the same workflow reaches anyway (a campaign
 *   runs every step due by the instant it is advanced to, so one advance to t does what several
 *   up to t did; a command is replayed after an advance to its own instant);
 * - a token entry that a later entry for the same token replaces;
 * - a delivery's `sending` and `schedule` entries that a later delta of the same delivery
 *   overrides (its attempts all stay: they are what the admin API shows);
 * - deltas of a delivery the journal never created (they change nothing).
 *
 * Deliveries follow the other entries, in creation order (a replay follows the delivery it
 * replays): restoring reads the deliveries only after every campaign is rebuilt.
 */
import type { JournalEntry } from './entries.ts';

type DeliveryDelta = Extract<JournalEntry, { k: 'sending' | 'attempt' | 'schedule' }>;

const COMMANDS = new Set(['rows', 'update', 'cancel', 'stop']);

export function compactEntries(entries: readonly JournalEntry[]): JournalEntry[] {
  const start = entries.findLastIndex((e) => e.k === 'reset');
  const live = start === -1 ? entries : entries.slice(start);
  return [...compactInputs(live), ...compactDeliveries(live)];
}

function compactInputs(entries: readonly JournalEntry[]): JournalEntry[] {
  const keep = new Array<boolean>(entries.length).fill(true);
  // Walk backwards: per workflow, the instant its next advance or command reaches; per token,
  // whether a later entry replaces it.
  const reachedLater = new Map<string, number>();
  const laterToken = new Set<string>();
  for (let i = entries.length - 1; i >= 0; i--) {
    const e = entries[i]!;
    if (e.k === 'delivery' || e.k === 'sending' || e.k === 'attempt' || e.k === 'schedule') {
      keep[i] = false;
    } else if (e.k === 'advance') {
      const later = reachedLater.get(e.workflowId);
      if (later !== undefined && later >= e.to) keep[i] = false;
      else reachedLater.set(e.workflowId, e.to);
    } else if (COMMANDS.has(e.k)) {
      const c = e as Extract<JournalEntry, { at: number; workflowId: string }>;
      reachedLater.set(c.workflowId, c.at);
    } else if (e.k === 'token') {
      if (laterToken.has(e.token)) keep[i] = false;
      laterToken.add(e.token);
    }
  }
  return entries.filter((_, i) => keep[i]);
}

function compactDeliveries(entries: readonly JournalEntry[]): JournalEntry[] {
  const created = new Map<string, { entry: JournalEntry; attempts: DeliveryDelta[]; last?: DeliveryDelta }>();
  for (const e of entries) {
    if (e.k === 'delivery') created.set(e.id, { entry: e, attempts: [] });
    else if (e.k === 'sending' || e.k === 'attempt' || e.k === 'schedule') {
      const d = created.get(e.id);
      if (!d) continue;
      if (e.k === 'attempt') {
        d.attempts.push(e);
        delete d.last;
      } else {
        d.last = e;
      }
    }
  }
  const out: JournalEntry[] = [];
  for (const d of created.values()) {
    out.push(d.entry, ...d.attempts);
    if (d.last) out.push(d.last);
  }
  return out;
}
