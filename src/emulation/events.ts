/**
 * The core's typed event stream: what happened, as it happens, for every adapter that shows or
 * keeps it (the `serve` activity log, the `run` progress bar and report, the dashboard's live
 * view, the library's `onEvent`). One discriminated union on `type`; listeners are called
 * synchronously, in order, and must not throw (a throwing listener is detached and reported).
 */
import type { DeliveryEvent } from '../delivery/types.ts';
import type { CampaignEvent } from '../engine/types.ts';
import type { WorkflowStatus } from '../generated/types.ts';

interface WorkflowRef {
  workflowId: string;
  workflowName: string;
  /** Clock time (epoch ms). */
  at: number;
  /** The workflow's account time zone (the zone of its payloads' timestamps). */
  timeZone: string;
}

/** A workflow was created (createinstance, a scenario trigger, `run`). */
export interface WorkflowCreatedEvent extends WorkflowRef {
  type: 'workflow:created';
  templateId: number;
}

/** A workflow's status as its status-change notice reports it (Running, Stopped, Finished). */
export interface WorkflowStatusEvent extends WorkflowRef {
  type: 'workflow:status';
  status: WorkflowStatus;
}

/**
 * A running workflow can do nothing until a calling window opens (at `until`, clock ms): said
 * once per wait, so a campaign triggered at night does not look stuck.
 */
export interface WorkflowWaitingEvent extends WorkflowRef {
  type: 'workflow:waiting';
  reason: 'calling_window';
  until: number;
}

/** A dial started or finished (one call to one number of one list row). */
export interface CallEvent extends WorkflowRef {
  type: 'call:started' | 'call:finished';
  callId?: string;
  callee?: string;
  caseId?: string;
}

/** A list row went through the whole workflow. */
export interface ContactFinishedEvent extends WorkflowRef {
  type: 'contact:finished';
  callee?: string;
  caseId?: string;
}

export type EmulationEvent =
  | WorkflowCreatedEvent
  | WorkflowStatusEvent
  | WorkflowWaitingEvent
  | CallEvent
  | ContactFinishedEvent
  | DeliveryEvent;

export type EmulationEventType = EmulationEvent['type'];

export type EventListener = (event: EmulationEvent) => void;

export interface EventBus {
  /** Returns the function that detaches the listener. */
  subscribe(listener: EventListener): () => void;
  publish(event: EmulationEvent): void;
  /** Whether anyone listens (a publisher may skip building events nobody would get). */
  listened(): boolean;
}

export function createEventBus(onListenerError: (err: unknown) => void = () => undefined): EventBus {
  const listeners = new Set<EventListener>();
  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    listened: () => listeners.size > 0,
    publish(event) {
      for (const l of listeners) {
        try {
          l(event);
        } catch (err) {
          // A broken display must not stop the emulation it displays.
          listeners.delete(l);
          onListenerError(err);
        }
      }
    },
  };
}

/** The stream events a campaign event stands for (none for the engine's internal steps). */
export function campaignEventToStream(
  e: CampaignEvent,
  wf: { workflowName: string; timeZone: string; templateId: number },
): EmulationEvent | undefined {
  const ref = { workflowId: e.workflowId, workflowName: wf.workflowName, at: e.at, timeZone: wf.timeZone };
  const who = {
    ...(e.callee !== undefined ? { callee: e.callee } : {}),
    ...(e.caseId !== undefined ? { caseId: e.caseId } : {}),
  };
  switch (e.kind) {
    case 'workflow.created':
      return { type: 'workflow:created', ...ref, templateId: wf.templateId };
    case 'workflow.status':
      return { type: 'workflow:status', ...ref, status: e.data.status };
    case 'dial.started':
    case 'dial.finished':
      return {
        type: e.kind === 'dial.started' ? 'call:started' : 'call:finished',
        ...ref,
        ...(e.callId !== undefined ? { callId: e.callId } : {}),
        ...who,
      };
    case 'contact.finished':
      return { type: 'contact:finished', ...ref, ...who };
    default:
      return undefined;
  }
}

/**
 * An event as plain JSON for a live view (the admin API's `GET /__emulator/events`): workflow and
 * call events as they are; a delivery event names its delivery without the payload and body
 * (`GET /__emulator/deliveries/:id` has them).
 */
export type EventSummary =
  | Exclude<EmulationEvent, DeliveryEvent>
  | {
      type: DeliveryEvent['type'];
      delivery: {
        id: string;
        type: string;
        workflowId?: string;
        url: string;
        outcome: string;
        attempts: number;
      };
      attempt?: { n: number; at: number; ok: boolean; status?: number; error?: string };
    };

export function summarizeEvent(e: EmulationEvent): EventSummary {
  if (!e.type.startsWith('delivery:')) return e as Exclude<EmulationEvent, DeliveryEvent>;
  const d = e as DeliveryEvent;
  const r = d.delivery;
  return {
    type: d.type,
    delivery: {
      id: r.id,
      type: r.type,
      ...(r.workflowId !== undefined ? { workflowId: r.workflowId } : {}),
      url: r.url,
      outcome: r.outcome,
      attempts: r.attempts.length,
    },
    ...(d.type === 'delivery:attempt'
      ? {
          attempt: {
            n: d.attempt.n,
            at: d.attempt.at,
            ok: d.attempt.ok,
            ...(d.attempt.status !== undefined ? { status: d.attempt.status } : {}),
            ...(d.attempt.error !== undefined ? { error: d.attempt.error } : {}),
          },
        }
      : {}),
  };
}
