/**
 * Runs campaigns on the clock. Each campaign has at most one timer, set for its `nextTime()`;
 * when it fires, the campaign is advanced to that planned instant (not to now()), what it produced is committed to the store (one
 * `events` entry) and its messages are handed to delivery. Commands (upload, update, cancel, stop) first
 * advance the campaign to now, so the order "advance, then command" is the same live and on replay.
 */
import type { Clock, TimerHandle } from '../core/clock.ts';
import type { Campaign, CampaignEvent, ContactInput, OutboundMessage } from '../engine/types.ts';
import type { StoreEntry } from '../store/entries.ts';
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
  addContacts(workflowId: string, rows: ContactInput[]): void;
  /** updatedetail: the row's later calls and callbacks use the new values. */
  update(
    workflowId: string,
    match: { case_id?: string; callee?: string },
    fields: Partial<ContactInput>,
  ): number;
  cancel(workflowId: string, match: { case_id?: string; callee?: string }): number;
  stop(workflowId: string): void;
  /**
   * Rebuild campaigns from journal entries (the store has already applied them): the same calls
   * in the same order as live, outputs discarded (the store has them). Then schedule them all.
   */
  restore(entries: StoreEntry[]): void;
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
    store.commit({ k: 'events', workflowId: id, to, events });
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
    addContacts(id, rows) {
      advance(id, clock.now());
      must(id).addContacts(rows, clock.now());
      schedule(id);
    },
    update(id, match, fields) {
      advance(id, clock.now());
      const n = must(id).update(match, fields, clock.now());
      schedule(id);
      return n;
    },
    cancel(id, match) {
      advance(id, clock.now());
      const n = must(id).cancel(match, clock.now());
      schedule(id);
      return n;
    },
    stop(id) {
      advance(id, clock.now());
      must(id).stop(clock.now());
      schedule(id);
    },
    restore(entries) {
      // Live, a command first advanced its campaign to now; an advance that produced no events
      // left no entry, so reach the command's time again before replaying it (same step order).
      const at = (id: string, t: number): Campaign | undefined => {
        const c = campaigns.get(id);
        c?.advanceTo(t);
        return c;
      };
      for (const e of entries) {
        switch (e.k) {
          case 'workflow':
            campaigns.set(e.workflowId, opts.build(e.campaign));
            break;
          case 'rows':
            at(e.workflowId, e.at)?.addContacts(e.rows, e.at);
            break;
          case 'update':
            at(e.workflowId, e.at)?.update(e.match, e.fields, e.at);
            break;
          case 'cancel':
            at(e.workflowId, e.at)?.cancel(e.match, e.at);
            break;
          case 'stop':
            at(e.workflowId, e.at)?.stop(e.at);
            break;
          case 'events':
            campaigns.get(e.workflowId)?.advanceTo(e.to);
            break;
          case 'reset':
            campaigns.clear();
            break;
        }
      }
      for (const id of campaigns.keys()) schedule(id);
    },
    scheduled: () => timers.size,
    clear() {
      for (const t of timers.values()) clock.clearTimer(t);
      timers.clear();
      campaigns.clear();
    },
  };
}
