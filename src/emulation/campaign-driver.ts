/**
 * Runs campaigns on the clock. Each campaign has at most one timer, set for its `nextTime()`;
 * when it fires, the campaign is advanced to that planned instant (not to now()): the advance is
 * journaled (one `advance` entry), what it produced is derived into the store (an `events` entry,
 * not journaled) and its messages are handed to delivery. Commands (upload, update, cancel, stop)
 * first advance the campaign to now, so the order "advance, then command" is the same live and
 * on replay — which is what lets a restart recompute every event instead of reading it back.
 */
import type { Clock, TimerHandle } from '../core/clock.ts';
import type { Campaign, CampaignEvent, ContactInput, OutboundMessage } from '../engine/types.ts';
import type { JournalEntry } from '../store/entries.ts';
import type { MemoryStore } from '../store/memory-store.ts';

export interface CampaignDriverOptions {
  clock: Clock;
  store: MemoryStore;
  /** Builds a campaign from the JSON spec kept in the workflow's journal entry. */
  build: (spec: unknown) => Campaign;
  /** Hands messages to the delivery service. */
  deliver: (messages: OutboundMessage[]) => void;
  /** What a live advance produced, after it is committed (not called on restore). */
  onEvents?: (events: CampaignEvent[]) => void;
  /** A campaign step threw (an emulator bug): its campaign stops being scheduled. */
  onError?: (err: unknown) => void;
}

export interface CampaignDriver {
  /** Build, register and schedule a new campaign (its `workflow` entry is committed by the caller). */
  start(spec: unknown): Campaign;
  get(workflowId: string): Campaign | undefined;
  /** Advance a campaign to the clock's now (before a command), committing what it produced. */
  catchUp(workflowId: string): void;
  /**
   * The commands, at clock time `at` (the caller's now, read once: the command's journal entry
   * carries the same instant, so a restart replays it exactly where it happened).
   */
  addContacts(workflowId: string, rows: ContactInput[], at: number): void;
  /** updatedetail: the row's later calls and callbacks use the new values. */
  update(
    workflowId: string,
    match: { case_id?: string; callee?: string },
    fields: Partial<ContactInput>,
    at: number,
  ): number;
  cancel(workflowId: string, match: { case_id?: string; callee?: string }, at: number): number;
  stop(workflowId: string, at: number): void;
  /**
   * Rebuild the state a journal describes: apply its entries to the store (without journaling
   * them again) and make the same calls on rebuilt campaigns in the same order as live, deriving
   * what they produce into the store at the same points. Then schedule every campaign. Returns
   * the messages the campaigns produced, in order (their deliveries are resumed from them).
   */
  restore(entries: JournalEntry[]): OutboundMessage[];
  /** Forget every campaign and cancel their timers (reset / close). */
  clear(): void;
  /** Campaigns with a step still scheduled. */
  scheduled(): number;
}

export function createCampaignDriver(opts: CampaignDriverOptions): CampaignDriver {
  const { clock, store } = opts;
  const campaigns = new Map<string, Campaign>();
  const timers = new Map<string, TimerHandle>();

  function advance(id: string, to: number): void {
    const c = campaigns.get(id);
    if (!c) return;
    const events = c.advanceTo(to);
    if (events.length === 0) return;
    store.commit({ k: 'advance', workflowId: id, to });
    store.derive({ k: 'events', workflowId: id, to, events });
    opts.onEvents?.(events);
    const messages = events.flatMap<OutboundMessage>((e) => e.messages);
    if (messages.length > 0) opts.deliver(messages);
  }

  function schedule(id: string): void {
    const old = timers.get(id);
    if (old) clock.clearTimer(old);
    timers.delete(id);
    const c = campaigns.get(id);
    const next = c?.nextTime();
    if (next === null || next === undefined) return;
    timers.set(
      id,
      clock.setTimer(
        () => {
          timers.delete(id);
          // To the planned instant, not to now(): a clock that flowed past it (a virtual clock
          // during requests, a busy real one) must not change what is journaled or sent. Steps
          // due meanwhile fire on the next timer, which is due at once.
          try {
            advance(id, next);
          } catch (err) {
            if (!opts.onError) throw err;
            opts.onError(err);
            return;
          }
          schedule(id);
        },
        Math.max(0, next - clock.now()),
      ),
    );
  }

  function must(id: string): Campaign {
    const c = campaigns.get(id);
    if (!c) throw new Error(`no campaign for workflow ${id}`);
    return c;
  }

  return {
    start(spec) {
      const c = opts.build(spec);
      campaigns.set(c.workflowId, c);
      // Its first events fire on the timer, after the caller has committed the workflow entry.
      schedule(c.workflowId);
      return c;
    },
    get: (id) => campaigns.get(id),
    catchUp(id) {
      advance(id, clock.now());
    },
    addContacts(id, rows, at) {
      advance(id, at);
      must(id).addContacts(rows, at);
      schedule(id);
    },
    update(id, match, fields, at) {
      advance(id, at);
      const n = must(id).update(match, fields, at);
      schedule(id);
      return n;
    },
    cancel(id, match, at) {
      advance(id, at);
      const n = must(id).cancel(match, at);
      schedule(id);
      return n;
    },
    stop(id, at) {
      advance(id, at);
      must(id).stop(at);
      schedule(id);
    },
    restore(entries) {
      const messages: OutboundMessage[] = [];
      const advance = (id: string, to: number): Campaign | undefined => {
        const c = campaigns.get(id);
        if (!c) return undefined;
        const events = c.advanceTo(to);
        if (events.length > 0) {
          store.derive({ k: 'events', workflowId: id, to, events });
          for (const e of events) for (const m of e.messages) messages.push(m);
        }
        return c;
      };
      for (const e of entries) {
        // Live, a command first advanced its campaign to now; an advance that produced no events
        // left no entry, so reach the command's time again before replaying it (same step order).
        if (e.k === 'rows' || e.k === 'update' || e.k === 'cancel' || e.k === 'stop') {
          advance(e.workflowId, e.at);
        }
        store.apply(e);
        switch (e.k) {
          case 'workflow':
            campaigns.set(e.workflowId, opts.build(e.campaign));
            break;
          case 'rows':
            campaigns.get(e.workflowId)?.addContacts(e.rows, e.at);
            break;
          case 'update':
            campaigns.get(e.workflowId)?.update(e.match, e.fields, e.at);
            break;
          case 'cancel':
            campaigns.get(e.workflowId)?.cancel(e.match, e.at);
            break;
          case 'stop':
            campaigns.get(e.workflowId)?.stop(e.at);
            break;
          case 'advance':
            advance(e.workflowId, e.to);
            break;
          case 'reset':
            campaigns.clear();
            messages.length = 0;
            break;
        }
      }
      for (const id of campaigns.keys()) schedule(id);
      return messages;
    },
    scheduled: () => timers.size,
    clear() {
      for (const t of timers.values()) clock.clearTimer(t);
      timers.clear();
      campaigns.clear();
    },
  };
}
