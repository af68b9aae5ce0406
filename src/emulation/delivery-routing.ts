/**
 * Turns an engine message into a delivery: the template's URL (or `--target`), its KEY, and the
 * delivery settings of its scenario layered over the emulator's (timeout, retry cadence, signing,
 * encryption, chaos). Callback URLs that point at a loopback built-in sink
 * (`http://127.0.0.1:4010/__emulator/sink/...`, as the shipped scenarios write them) are rewritten
 * to this server's own address, whatever port it got.
 */
import type { DeliveryInput } from '../delivery/delivery-service.ts';
import {
  deliveryConfig,
  deliverySettings,
  mergeDeliverySettings,
  type DeliveryConfig,
  type DeliverySettings,
} from '../delivery/scenario-config.ts';
import type { OutboundMessage } from '../engine/types.ts';
import type { Scenario } from '../scenario/types.ts';

const LOOPBACK_SINK = /^https?:\/\/(?:127\.0\.0\.1|localhost|\[::1\])(?::\d+)?(\/__emulator\/sink(?:\/.*)?)$/;

export function resolveCallbackUrl(url: string, baseUrl: string, target?: string): string {
  if (target) return target;
  const m = LOOPBACK_SINK.exec(url);
  return m ? `${baseUrl}${m[1]}` : url;
}

/**
 * The delivery settings of each scenario's templates: its `delivery:` section over the emulator's
 * own settings, resolved once per scenario object (and checked: throws RunConfigError).
 */
export function createScenarioDelivery(
  base: DeliverySettings,
): (scenario: Scenario) => DeliveryConfig | null {
  const cache = new WeakMap<Scenario, DeliveryConfig | null>();
  return (scenario) => {
    let config = cache.get(scenario);
    if (config === undefined) {
      config = scenario.delivery
        ? deliveryConfig(mergeDeliverySettings(base, deliverySettings(scenario.delivery)))
        : null;
      cache.set(scenario, config);
    }
    return config;
  };
}

export function deliveryInput(
  m: OutboundMessage,
  ctx: { baseUrl: string; target?: string; config?: DeliveryConfig | null },
): DeliveryInput {
  const input: DeliveryInput = {
    id: m.id,
    type: m.type,
    url: resolveCallbackUrl(m.url, ctx.baseUrl, ctx.target),
    key: m.key,
    payload: m.payload,
    at: m.at,
    workflowId: m.workflowId,
  };
  const c = ctx.config;
  if (c) {
    input.policy = c.policy;
    input.signing = c.signing;
    input.encryption = c.encryption;
    input.chaos = c.chaos;
  }
  return input;
}
