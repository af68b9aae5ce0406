/**
 * Real payloads from the engine for tools that need one callback rather than a campaign (the
 * verification pack's bases, `send`): a scenario played with a dozen contacts so it takes
 * milliseconds, with a given seed — the same seed gives the same bytes. The engine sends no
 * chatbot sessions, so callers fall back on the schema's own example for those.
 */
import type { MessageName, MessageOf, SchemaRegistry } from '../contract/registry.ts';
import type { CallbackPayload, CallbackType } from '../contract/callbacks.ts';
import { findScenario } from '../scenario/catalog.ts';
import { loadScenarioFile } from '../scenario/load.ts';
import type { Scenario } from '../scenario/types.ts';
import { messagesOf, simulate } from '../engine/campaign.ts';
import type { CampaignEvent, OutboundMessage } from '../engine/types.ts';

/** Contacts per sample run: enough for every shape to show up, few enough to be instant. */
export const SAMPLE_CONTACTS = 12;

/** Play `scenario` (not modified) with its generated contacts cut down to SAMPLE_CONTACTS. */
export function sampleRun(scenario: Scenario, seed: number): CampaignEvent[] {
  const gen = scenario.contacts.generate;
  const shrunk: Scenario = gen
    ? { ...scenario, contacts: { ...scenario.contacts, generate: { ...gen, count: SAMPLE_CONTACTS } } }
    : scenario;
  return simulate({ scenario: shrunk, seed });
}

/** A shipped scenario by name (with top-level settings over it), played as `sampleRun`. */
export function shippedSampleRun(
  name: string,
  seed: number,
  settings: Partial<Scenario> = {},
): CampaignEvent[] {
  const file = findScenario(name);
  if (!file) throw new Error(`shipped scenario ${name} is missing`);
  return sampleRun({ ...loadScenarioFile(file, `scenarios/${name}.yaml`), ...settings }, seed);
}

/** Copies of the payloads of one callback type (callers mutate them). */
export function payloadsOf<T extends CallbackType>(events: CampaignEvent[], type: T): CallbackPayload<T>[] {
  return messagesOf(events, type).map((m) => structuredClone(m.payload));
}

/** The messages of one callback type, payloads copied (callers mutate them). */
export function sampleMessages<T extends CallbackType>(
  events: CampaignEvent[],
  type: T,
): OutboundMessage<T>[] {
  return messagesOf(events, type).map((m) => ({ ...m, payload: structuredClone(m.payload) }));
}

/** The first item matching `pred`, else the first item: the engine's outcome mix may shift. */
export function pick<T>(items: T[], what: string, pred: (x: T) => boolean): T {
  const found = items.find(pred) ?? items[0];
  if (found === undefined) throw new Error(`the engine produced no ${what}`);
  return found;
}

/** A copy of the first example of schema `name`, checked against the schema. */
export function schemaExample<N extends MessageName>(registry: SchemaRegistry, name: N): MessageOf<N> {
  const ex = registry.schema(name).examples?.[0];
  if (ex === undefined) throw new Error(`schema ${name} has no example`);
  if (!registry.isValid(name, ex)) throw new Error(`the example of schema ${name} does not match it`);
  return structuredClone(ex);
}
