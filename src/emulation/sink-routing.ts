/**
 * Which scenario a callback reaching the built-in sink came from: its X-Emulator-Delivery-Id names
 * the delivery, the delivery its workflow, the workflow the campaign spec it was built from, and
 * that spec the scenario — whose `receiver:` section answers it (src/emulation/sink.ts).
 */
import type { CallbackType } from '../contract/callbacks.ts';
import type { Scenario } from '../scenario/types.ts';
import type { MemoryStore } from '../store/memory-store.ts';
import type { CampaignSpec } from './campaign-spec.ts';
import { scenarioSinkSettings, type SinkSettings } from './sink.ts';

export interface SinkRoute {
  type: CallbackType;
  /** The producing scenario's receiver settings (the defaults when it has no `receiver:`). */
  settings?: SinkSettings;
}

/** A delivery id → its type and its scenario's receiver settings, or undefined when unknown. */
export function sinkRouting(store: MemoryStore): (deliveryId: string) => SinkRoute | undefined {
  const byScenario = new WeakMap<Scenario, SinkSettings>();
  return (deliveryId) => {
    const d = store.storedDelivery(deliveryId);
    if (!d) return undefined;
    const spec =
      d.workflowId !== undefined
        ? (store.workflow(d.workflowId)?.campaign as CampaignSpec | undefined)
        : undefined;
    const scenario = spec?.scenario;
    if (!scenario) return { type: d.type };
    let settings = byScenario.get(scenario);
    if (!settings) {
      try {
        settings = scenarioSinkSettings(scenario.receiver);
      } catch {
        // Checked when the scenario was loaded; a journal from an older version may still hold
        // one this version refuses: it gets the defaults.
        return { type: d.type };
      }
      byScenario.set(scenario, settings);
    }
    return { type: d.type, settings };
  };
}
