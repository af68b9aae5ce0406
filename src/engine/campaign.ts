/**
 * The campaign: a seeded discrete-event simulation of one workflow instance. Steps wait in a
 * priority queue on (time, sequence); `advanceTo(t)` runs every step due by `t` and returns the
 * resulting events, each carrying the vendor callbacks due at that moment. No timers, no I/O,
 * no wall clock: the caller (runner, REST server) drives time.
 *
 * Randomness: one small generator per run (src/engine/rng.ts), re-seeded per unit of work with
 * `streamSeed(seed, STREAM.<kind>, ...indices)` (workflow; row generation; dial <row, node, n>;
 * API node <row, node>; detail id <row, node> + number), so a row's data never depends on how
 * other rows interleave, and appended rows never shift earlier ones.
 *
 * The parts: campaign-setup.ts resolves the options (template, start, node tasks, initial list),
 * campaign-run.ts runs the steps, contact-state.ts keeps each row, dial-plan.ts decides what
 * follows a dial, campaign-outbox.ts addresses the messages the payload builders (payloads/) make.
 */
import { CampaignRun } from './campaign-run.ts';
import { setupCampaign } from './campaign-setup.ts';
import type { CallbackType, Campaign, CampaignEvent, CampaignOptions, OutboundMessage } from './types.ts';

export function createCampaign(opts: CampaignOptions): Campaign {
  const run = new CampaignRun(setupCampaign(opts));
  const { workflowId, workflowName, template } = run.setup;
  // The Campaign surface only: the run's state stays out of reach of callers.
  return {
    workflowId,
    workflowName,
    templateId: template.id,
    status: () => run.status(),
    nextTime: () => run.nextTime(),
    advanceTo: (t) => run.advanceTo(t),
    waiting: (now) => run.waiting(now),
    addContacts: (rows, at) => run.addContacts(rows, at),
    cancel: (match, at) => run.cancel(match, at),
    update: (match, fields, at) => run.update(match, fields, at),
    stop: (at) => run.stop(at),
  };
}

/** Run a campaign to completion and return every event in order. */
export function simulate(opts: CampaignOptions): CampaignEvent[] {
  const campaign = createCampaign(opts);
  const events: CampaignEvent[] = [];
  for (let t = campaign.nextTime(); t !== null; t = campaign.nextTime()) {
    for (const e of campaign.advanceTo(t)) events.push(e);
  }
  return events;
}

/** Every message of a list of events, in order; given a `type`, only that type's messages. */
export function messagesOf(events: CampaignEvent[]): OutboundMessage[];
export function messagesOf<T extends CallbackType>(events: CampaignEvent[], type: T): OutboundMessage<T>[];
export function messagesOf(events: CampaignEvent[], type?: CallbackType): OutboundMessage[] {
  const out: OutboundMessage[] = [];
  for (const e of events) {
    for (const m of e.messages) if (type === undefined || m.type === type) out.push(m);
  }
  return out;
}
