/**
 * Everything that changes the emulator's state is one of these entries. The store applies them
 * (and only them), and the journal writes them one JSON line each, so a restart replays exactly
 * what happened: the commands (create, upload, update, cancel, stop), what each campaign produced
 * when it was advanced, tokens, and every delivery attempt.
 */
import type { DeliveryRecord } from '../delivery/types.ts';
import type { CampaignEvent, ContactInput } from '../engine/types.ts';
import type { TokenRecord } from '../core/accounts.ts';

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

/** One `Campaign.advanceTo(to)` and what it returned. */
export interface AdvancedEntry {
  k: 'events';
  workflowId: string;
  to: number;
  events: CampaignEvent[];
}

export interface TokenEntry extends TokenRecord {
  k: 'token';
}

/** A delivery was created (`record`), or changed (`patch`: its attempts, outcome, schedule). */
export interface DeliveryEntry {
  k: 'delivery';
  id: string;
  record?: DeliveryRecord;
  patch?: Pick<DeliveryRecord, 'attempts' | 'outcome' | 'nextAttemptAt' | 'replays'>;
}

/** Back to the started state: everything before it is forgotten on replay. */
export interface ResetEntry {
  k: 'reset';
  at: number;
}

export type StoreEntry =
  | WorkflowCreatedEntry
  | RowsAddedEntry
  | RowUpdatedEntry
  | RowsCancelledEntry
  | WorkflowStoppedEntry
  | AdvancedEntry
  | TokenEntry
  | DeliveryEntry
  | ResetEntry;

/** The latest clock time an entry mentions (a restarted virtual clock resumes from the max). */
export function entryTime(e: StoreEntry): number | undefined {
  switch (e.k) {
    case 'events':
      return e.to;
    case 'token':
    case 'delivery':
      return undefined;
    default:
      return e.at;
  }
}
