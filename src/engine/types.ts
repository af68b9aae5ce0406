/**
 * The engine's public surface, agreed between the engine (pure simulation), delivery/runner and
 * the REST API. The engine owns this file; it may add fields, not break them.
 */
import type { CallbackType } from '../contract/callbacks.ts';
import type { ContactInput, Scenario } from '../scenario/types.ts';

export { CALLBACK_TYPES, type CallbackType } from '../contract/callbacks.ts';

/** One vendor message the engine wants sent (a *delivery* once handed to the delivery service). */
export interface OutboundMessage {
  /** Deterministic id, unique within a run (same seed ⇒ same ids). */
  id: string;
  type: CallbackType;
  workflowId: string;
  /** Template-configured URL and signing KEY (the runner may override the URL with --target). */
  url: string;
  key: string;
  /** The vendor payload, already valid against schemas/<type>.schema.json. */
  payload: Record<string, unknown>;
  /** Clock time (epoch ms) at which the vendor would send it. */
  at: number;
}

export type CampaignEventKind =
  | 'workflow.created'
  | 'workflow.status'
  | 'dial.started'
  | 'dial.finished'
  | 'number.finished'
  /** A row passed an API node (carries the custom-api-node-push message). */
  | 'node.passed'
  | 'contact.finished';

export interface CampaignEvent {
  at: number;
  kind: CampaignEventKind;
  workflowId: string;
  caseId?: string;
  callee?: string;
  callId?: string;
  /** Kind-specific record (e.g. the call record of a finished dial). */
  data?: unknown;
  /** Messages due at `at` because of this event (may be empty). */
  messages: OutboundMessage[];
}

export type { ContactInput } from '../scenario/types.ts';

/** Workflow status as the status-change notice reports it (`Created` before the first step). */
export type CampaignStatus = 'Created' | 'Running' | 'Stopped' | 'Finished';

/** Options of `createCampaign` / `simulate` (src/engine/campaign.ts). */
export interface CampaignOptions {
  /** A validated scenario (src/scenario/load.ts). */
  scenario: Scenario;
  /** Template to run (default: the scenario's first). */
  templateId?: string;
  /** Run seed (default: scenario.seed). */
  seed?: number;
  /** Clock time the workflow is created, epoch ms (default: scenario.start_time). */
  startTime?: number;
  workflowName?: string;
  /** Use this workflow_id instead of a generated one (32 lowercase hex). */
  workflowId?: string;
  /** List rows to run instead of the scenario's contacts (createinstance `details`). */
  contacts?: ContactInput[];
  /** Info Check question_content with the vendor's literal \uXXXX text (default true). */
  questionContentEscape?: boolean;
  /** Workflow end time (createinstance end_time), reported as schedule_end_time; default: end of the calling window. */
  endTime?: number;
  /**
   * Finish the workflow (status Finished) once every row is done (default true). A workflow
   * created with no rows waits for addContacts either way.
   */
  autoFinish?: boolean;
}

/** A running workflow instance, stepped in clock time. Pure: no timers, no I/O. */
export interface Campaign {
  readonly workflowId: string;
  readonly workflowName: string;
  readonly templateId: string;
  /** Current workflow status. */
  status(): CampaignStatus;
  /** Earliest pending event time, or null when the campaign has nothing left to do. */
  nextTime(): number | null;
  /** Pop and return every event with `at <= t`, in (time, sequence) order. */
  advanceTo(t: number): CampaignEvent[];
  /** Add list rows at clock time `at` (uploaddetails). Throws once the workflow is stopped or finished. */
  addContacts(rows: ContactInput[], at: number): void;
  /** Cancel the remaining processes of matching rows at `at`; returns how many rows matched. */
  cancel(match: { case_id?: string; callee?: string }, at: number): number;
  /**
   * Update matching rows' data at `at` (updatedetail). From then on the row's payloads not yet
   * built carry the new values, and dials that start after `at` use them (robot lines, Info Check
   * answers against the new `variables`); a call-completion callback reports the row data its
   * last dial was made with, so its `Variables` agree with its `question_answer`. `variables` is
   * replaced as a whole. Finished rows are not changed. `callee` and `case_id` identify the row
   * and cannot be updated (throws; cancel the row and upload a new one instead). Returns how many
   * unfinished rows matched.
   */
  update(match: { case_id?: string; callee?: string }, fields: Partial<ContactInput>, at: number): number;
  /** Stop the workflow at `at`: pending dials are cancelled. */
  stop(at: number): void;
}
