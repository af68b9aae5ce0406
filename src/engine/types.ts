/**
 * The engine's public surface, agreed between the engine (pure simulation), delivery/runner and
 * the REST API. The engine owns this file; it may add fields, not break them.
 */
import type { CallbackPayload, CallbackType } from '../contract/callbacks.ts';
import type { DetailResult, WorkflowStatus } from '../generated/types.ts';
import type { ContactInput, Scenario } from '../scenario/types.ts';
import type { DialRecord } from './dial-record.ts';

export { CALLBACK_TYPES, type CallbackPayload, type CallbackType } from '../contract/callbacks.ts';
export type { DialRecord } from './dial-record.ts';

/**
 * One vendor message the engine wants sent (a *delivery* once handed to the delivery service).
 * A union over `type`: checking `type` narrows `payload` to that callback's generated schema type.
 * `OutboundMessage<'list-completion'>` is one type's message.
 */
export type OutboundMessage<T extends CallbackType = CallbackType> = {
  [K in T]: {
    /** Deterministic id, unique within a run (same seed ⇒ same ids). */
    id: string;
    type: K;
    workflowId: string;
    /** Template-configured URL (the runner may override it with --target). */
    url: string;
    /**
     * The template's signing KEY, when its callback configures one. Absent: signed with the
     * vendor default `airudder` if the callback's page has a KEY (call completion), else unsigned.
     */
    key?: string;
    /** The vendor payload, already valid against schemas/<type>.schema.json. */
    payload: CallbackPayload<K>;
    /** Clock time (epoch ms) at which the vendor would send it. */
    at: number;
  };
}[T];

/** How a row left the workflow: through every node, or cancelled (canceldetail / stop). */
export type ContactResult = Extract<DetailResult, 'finished' | 'cancelled'>;

/**
 * Which row and call an event is about. Workflow events name none; row events name the row's case
 * id ('' when it has none) and the number concerned; call events add the call id. The fields an
 * event does not have are declared absent, so any event can be asked for them.
 */
interface NoRow {
  caseId?: undefined;
  callee?: undefined;
  callId?: undefined;
}
interface RowRef {
  caseId: string;
  callee: string;
  callId?: undefined;
}
interface CallRef {
  caseId: string;
  callee: string;
  callId: string;
}

/** What each kind of campaign event carries. */
interface EventShapes {
  /** The workflow started (its first step). */
  'workflow.created': NoRow & {
    messages: OutboundMessage<never>[];
    data: { template: string; rows: number };
  };
  /** The workflow's status changed (carries the workflow-status-change message). */
  'workflow.status': NoRow & {
    messages: OutboundMessage<'workflow-status-change'>[];
    data: { status: WorkflowStatus };
  };
  /** A dial began. */
  'dial.started': CallRef & {
    messages: OutboundMessage<never>[];
    data: { node: number; attempt: number; number_index: number };
  };
  /** A dial ended: its call record. */
  'dial.finished': CallRef & {
    messages: OutboundMessage<never>[];
    data: DialRecord;
  };
  /** A number is done in a call node (carries its call-completion message). */
  'number.finished': CallRef & {
    messages: OutboundMessage<'call-completion' | 'call-completion-info-check'>[];
    data: { result: DetailResult; call_times: number; node: number; connected: boolean };
  };
  /** A row passed an API node (carries the custom-api-node-push message). */
  'node.passed': RowRef & {
    messages: OutboundMessage<'custom-api-node-push'>[];
    data: { node: number; node_name: string };
  };
  /** A row went through the whole workflow (carries its list-completion message). */
  'contact.finished': RowRef & {
    messages: OutboundMessage<'list-completion'>[];
    data: { result: ContactResult; nodes: number };
  };
}

export type CampaignEventKind = keyof EventShapes;

/**
 * One campaign event: a union over `kind`, each kind with its own `data` and the messages it may
 * carry (the vendor messages due at `at` because of it; may be empty).
 * `CampaignEvent<'dial.finished'>` is one kind's event.
 */
export type CampaignEvent<K extends CampaignEventKind = CampaignEventKind> = {
  [P in K]: { at: number; kind: P; workflowId: string } & EventShapes[P];
}[K];

export type { ContactInput } from '../scenario/types.ts';

/** Workflow status as the status-change notice reports it (`Created` before the first step). */
export type CampaignStatus = 'Created' | WorkflowStatus;

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
  /**
   * Info Check pushes carry `asr_ptp` / `asr_result` (default: the scenario's
   * `info_check_push_asr`, else false — the push page says only non-Info Check workflows have them).
   */
  infoCheckPushAsr?: boolean;
  /** Workflow end time (createinstance end_time), reported as schedule_end_time; default: end of the calling window. */
  endTime?: number;
  /**
   * Finish the workflow (status Finished) once every row is done (default true). A workflow
   * created with no rows waits for addContacts either way.
   */
  autoFinish?: boolean;
}

/** A running workflow instance, stepped in clock time. Pure: no timers, no I/O. */
/** A running campaign held up by its calling windows until `until` (clock ms). */
export interface CampaignWaiting {
  reason: 'calling_window';
  until: number;
}

export interface Campaign {
  readonly workflowId: string;
  readonly workflowName: string;
  readonly templateId: string;
  /** Current workflow status. */
  status(): CampaignStatus;
  /** Earliest pending event time, or null when the campaign has nothing left to do. */
  nextTime(): number | null;
  /**
   * What the campaign is waiting for at clock time `now`: with work left, every call node's
   * calling window is closed, so no new call starts before `until` (the earliest opening). Null
   * when a window is open, or when nothing is left to do.
   */
  waiting(now: number): CampaignWaiting | null;
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
