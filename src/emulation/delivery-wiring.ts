/**
 * Callback delivery as the core runs it: the emulator's settings, each scenario's `delivery:`
 * section over them, where each message goes (template URL, a target, a per-type target), and a
 * delivery service rebuilt on reset — a generation number keeps a closed one (which may still
 * finish an attempt) out of the log and the events.
 */
import type { RunClock } from '../clock/index.ts';
import type { Wall } from '../clock/wall.ts';
import type { CallbackType } from '../contract/callbacks.ts';
import {
  createDeliveryService,
  type DeliveryInput,
  type DeliveryService,
} from '../delivery/delivery-service.ts';
import { deliveryConfig, type DeliveryConfig, type DeliverySettings } from '../delivery/scenario-config.ts';
import type { DeliveryEvent, Send } from '../delivery/types.ts';
import type { OutboundMessage } from '../engine/types.ts';
import type { Scenario } from '../scenario/types.ts';
import { createDeliveryLog } from '../store/delivery-log.ts';
import type { MemoryStore } from '../store/memory-store.ts';
import type { CampaignSpec } from './campaign-spec.ts';
import { createScenarioDelivery, deliveryInput } from './delivery-routing.ts';
import { createTargets, type TargetsState } from './callback-targets.ts';

/** The delivery settings (a scenario's `delivery:` section in camelCase) and the transport. */
export interface DeliveryOptions extends DeliverySettings {
  /** Send X-Emulator-Delivery-Id / X-Emulator-Attempt with every attempt (default true). */
  debugHeaders?: boolean;
  /** Most attempts in flight per target origin (default 32). */
  concurrencyPerTarget?: number;
  /** Transport: one POST (default: keep-alive node:http / node:https). */
  send?: Send;
}

/** Where callbacks go instead of their template URLs. */
export interface Targets {
  /** Every callback. */
  target?: string;
  /** Per message type (wins over `target`). */
  targets?: Partial<Record<CallbackType, string>>;
}

export interface DeliveryWiring {
  /** The current delivery service (a reset replaces it). */
  service(): DeliveryService;
  /** Start a fresh service and generation (reset, after closing the current one). */
  renew(): void;
  /** Hand a campaign's messages to the current service (once per message id). */
  deliver(messages: OutboundMessage[]): void;
  /** How a message is delivered: its URL (loopback sink, a target), key and scenario settings. */
  input(m: OutboundMessage): DeliveryInput;
  /** A scenario's delivery settings over the emulator's (checked: throws RunConfigError). */
  scenarioDelivery(scenario: Scenario): DeliveryConfig | null;
  /** Where loopback sink URLs point: the server's address, known once it listens. */
  setBaseUrl(url: string): void;
  baseUrl(): string;
  /** Where callbacks go instead of the template URLs; changeable at run time. */
  readonly targets: TargetsState;
}

export function buildDelivery(
  opts: Targets & {
    options?: DeliveryOptions;
    clock: RunClock;
    seed: number;
    store: MemoryStore;
    baseUrl: string;
    wall?: Wall;
    onEvent?: (e: DeliveryEvent) => void;
  },
): DeliveryWiring {
  const { clock, seed, store, onEvent } = opts;
  const { debugHeaders, concurrencyPerTarget, send, ...settings } = opts.options ?? {};
  const baseDelivery = deliveryConfig(settings);
  const scenarioDelivery = createScenarioDelivery(settings);
  let baseUrl = opts.baseUrl;
  const targets = createTargets({
    ...(opts.target !== undefined ? { target: opts.target } : {}),
    ...(opts.targets !== undefined ? { targets: opts.targets } : {}),
  });
  let generation = 0;
  const make = (): DeliveryService => {
    const mine = ++generation;
    return createDeliveryService({
      ...baseDelivery,
      ...(debugHeaders !== undefined ? { debugHeaders } : {}),
      ...(concurrencyPerTarget !== undefined ? { concurrencyPerTarget } : {}),
      ...(send !== undefined ? { send } : {}),
      ...(opts.wall !== undefined ? { wall: opts.wall } : {}),
      clock,
      seed,
      store: createDeliveryLog(store, () => mine === generation),
      onEvent: onEvent && ((e) => mine === generation && onEvent(e)),
    });
  };
  let current = make();
  const toDelivery = (m: OutboundMessage) => {
    const spec = store.workflow(m.workflowId)?.campaign as CampaignSpec | undefined;
    return deliveryInput(m, {
      baseUrl,
      target: targets.of(m.type),
      config: spec ? scenarioDelivery(spec.scenario) : null,
    });
  };
  return {
    service: () => current,
    renew() {
      current = make();
    },
    deliver(messages) {
      // Message ids are deterministic: after a restart, a rebuilt campaign can emit again a
      // message whose delivery the journal already holds (and resumes). It is the same delivery.
      for (const m of messages) if (!current.get(m.id)) current.deliver(toDelivery(m));
    },
    input: toDelivery,
    scenarioDelivery,
    targets,
    setBaseUrl(url) {
      baseUrl = url;
    },
    baseUrl: () => baseUrl,
  };
}
