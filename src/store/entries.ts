/**
 * Everything that changes the emulator's state is one of these entries, and the store applies
 * them (and only them). Two kinds:
 *
 * - **Journal entries** (`JournalEntry`) are what the JSONL journal writes, one line each: the
 *   inputs (workflow created with its campaign spec, rows, updates, cancels, stops, tokens, reset),
 *   how far each campaign was advanced, and per delivery a small creation entry and its attempt
 *   deltas. No payload, body or header is journaled.
 * - **Derived entries** (`DerivedEntry`) are what the inputs determine: the events a campaign
 *   produced when it was advanced (with their vendor messages), and a delivery's content (payload,
 *   exact body, headers). They are applied live but never journaled; a restart recomputes them by
 *   replaying the journaled inputs (campaigns and message serialisation are deterministic).
 */
import type { AttemptRecord, DeliveryOutcome, DeliveryRecord } from '../delivery/types.ts';
import type { CampaignEvent, ContactInput } from '../engine/types.ts';
import { TOKEN_LIFETIME_MS, type TokenRecord } from '../core/accounts.ts';

export interface WorkflowCreatedEntry {
  k: 'workflow';
  at: number;
  workflowId: string;
  workflowName: string;
  templateId: number;
  templateName: string;
  endTime: number;
  autoFinish: number;
  timeZone: string;
  /** What the campaign was built from (JSON), so a restart can rebuild it identically. */
  campaign: unknown;
}

export interface RowsAddedEntry {
  k: 'rows';
  at: number;
  workflowId: string;
  rows: ContactInput[];
}

export interface RowUpdatedEntry {
  k: 'update';
  at: number;
  workflowId: string;
  match: { case_id?: string; callee?: string };
  fields: Partial<ContactInput>;
}

export interface RowsCancelledEntry {
  k: 'cancel';
  at: number;
  workflowId: string;
  match: { case_id?: string; callee?: string };
}

export interface WorkflowStoppedEntry {
  k: 'stop';
  at: number;
  workflowId: string;
}

/**
 * A `Campaign.advanceTo(to)` that produced events (journaled; the events are derived). It is also
 * how far the clock had come: a restarted virtual clock resumes from the latest one.
 */
export interface AdvancedEntry {
  k: 'advance';
  workflowId: string;
  to: number;
}

export interface TokenEntry extends TokenRecord {
  k: 'token';
}

/** What a delivery record holds besides its content and its progress (attempts, outcome). */
export type DeliveryMeta = Omit<
  DeliveryRecord,
  'payload' | 'body' | 'headers' | 'attempts' | 'outcome' | 'replays'
>;

/**
 * A delivery was created: its metadata and the first planned instant (`nextAttemptAt`). A replay
 * (`replayOf`) or a chaos duplicate (`duplicateOf`) sends the content of the delivery it names;
 * any other sends the message of the same id.
 */
export interface DeliveryCreatedEntry extends DeliveryMeta {
  k: 'delivery';
}

/** Attempt `n` of a delivery went out (no answer yet): after a crash it counts as interrupted. */
export interface AttemptSentEntry {
  k: 'sending';
  id: string;
  n: number;
}

/** An attempt ended (answered, failed, or recorded as interrupted on resume), and what is next. */
export interface AttemptEntry extends AttemptRecord {
  k: 'attempt';
  id: string;
  /** The next planned attempt, or null (settled, or the delivery is resumed right after). */
  next: number | null;
  outcome: DeliveryOutcome;
}

/** A delivery's schedule or outcome changed without a new attempt (e.g. on resume). */
export interface DeliveryScheduleEntry {
  k: 'schedule';
  id: string;
  next: number | null;
  outcome: DeliveryOutcome;
}

/** Back to the started state: everything before it is forgotten on replay. */
export interface ResetEntry {
  k: 'reset';
  at: number;
}

export type JournalEntry =
  | WorkflowCreatedEntry
  | RowsAddedEntry
  | RowUpdatedEntry
  | RowsCancelledEntry
  | WorkflowStoppedEntry
  | AdvancedEntry
  | TokenEntry
  | DeliveryCreatedEntry
  | AttemptSentEntry
  | AttemptEntry
  | DeliveryScheduleEntry
  | ResetEntry;

/** What one `advanceTo` returned (derived from the journaled inputs and advances). */
export interface EventsEntry {
  k: 'events';
  workflowId: string;
  to: number;
  events: CampaignEvent[];
}

/** A delivery's content: the message payload, and the exact body and headers every attempt sends. */
export interface DeliveryContentEntry {
  k: 'content';
  id: string;
  payload: DeliveryRecord['payload'];
  body: string;
  headers: Record<string, string>;
}

export type DerivedEntry = EventsEntry | DeliveryContentEntry;

export type StoreEntry = JournalEntry | DerivedEntry;

/** The latest clock time an entry mentions (a restarted virtual clock resumes from the max). */
export function entryTime(e: StoreEntry): number | undefined {
  switch (e.k) {
    case 'advance':
    case 'events':
      return e.to;
    case 'workflow':
    case 'rows':
    case 'update':
    case 'cancel':
    case 'stop':
    case 'reset':
      return e.at;
    default:
      return undefined;
  }
}

/** The latest clock time a journal reached, or undefined when no entry tells one. */
export function journalTime(entries: readonly JournalEntry[]): number | undefined {
  let t: number | undefined;
  for (const e of entries) {
    const at = entryTime(e) ?? knownInstant(e);
    if (at !== undefined && (t === undefined || at > t)) t = at;
  }
  return t;
}

/**
 * Clock instants the other entries reveal: an attempt's planned instant, and a token's issue (or
 * re-auth) time — its expiry less the lifetime — so a journal holding only a token still says
 * when it was written (a restart must not go back to 1970 and revive an expired token).
 */
function knownInstant(e: JournalEntry): number | undefined {
  if (e.k === 'attempt') return e.at;
  if (e.k === 'token') return e.expiresAt - TOKEN_LIFETIME_MS;
  return undefined;
}
