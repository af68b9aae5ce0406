/**
 * The one emulation core under `run`, `serve` and the library: clock, template catalog, campaign
 * driver, workflow commands, callback delivery and the store, wired together, with one typed event
 * stream. No sockets and no files of its own: `serve` (src/server/) adds the HTTP apps, the
 * journal and the activity log; `run` (src/run/) adds a report and progress output; the library
 * is `serve`'s emulator without the CLI.
 */
import type { RunClock } from '../clock/index.ts';
import type { Wall } from '../clock/wall.ts';
import type { CampaignWaiting, OutboundMessage } from '../engine/types.ts';
import type { Scenario } from '../scenario/types.ts';
import type { JournalEntry } from '../store/entries.ts';
import type { MemoryStore, WorkflowRecord } from '../store/memory-store.ts';
import { createCampaignDriver, type CampaignDriver } from './campaign-driver.ts';
import { buildCampaign, type CampaignSpec } from './campaign-spec.ts';
import { buildDelivery, type DeliveryOptions, type DeliveryWiring, type Targets } from './delivery-wiring.ts';
import { campaignEventToStream, createEventBus, type EmulationEvent, type EventListener } from './events.ts';
import { libraryApi, type LibraryApi } from './library-api.ts';
import type { LoadedScenario, TemplateCatalog, WorkflowService } from './ports.ts';
import { deliveryContentSource } from './delivery-content.ts';
import { resumeDeliveries } from './resume-deliveries.ts';
import { scenarioResolver, triggerResolved } from './scenarios.ts';
import { createCallbackSender } from './send.ts';
import { scenarioSinkSettings } from './sink.ts';
import { createTemplateCatalog } from './template-catalog.ts';
import { createWorkflowService } from './workflow-service.ts';

export interface EmulationOptions extends Targets {
  clock: RunClock;
  /** Root seed: each workflow's seed derives from it and the workflow's identity. */
  seed: number;
  /** The state to run on (a journal's replay, or empty). */
  store: MemoryStore;
  /** The scenarios whose templates the catalog lists. */
  scenarios: LoadedScenario[];
  delivery?: DeliveryOptions;
  /** Where loopback sink URLs in templates point until `setBaseUrl` (default 127.0.0.1). */
  baseUrl?: string;
  /** Real time for delivery deadlines and latency (default: the host). */
  wall?: Wall;
  /** Most list rows one workflow takes (default 10,000). */
  maxRowsPerWorkflow?: number;
}

export interface Emulation {
  readonly clock: RunClock;
  readonly store: MemoryStore;
  readonly catalog: TemplateCatalog;
  readonly workflows: WorkflowService;
  readonly delivery: DeliveryWiring;
  /** The library's commands and queries over this core. */
  readonly api: LibraryApi;
  /** Resolve the scenario a trigger names (loading a shipped one or, with allowPaths, a file). */
  scenarioFor(ref: string, allowPaths: boolean): string;
  /**
   * Resolve and start a scenario (`workflows.trigger`); one loaded for it is forgotten again when
   * the start is refused.
   */
  trigger(ref: string, allowPaths: boolean, templateId?: number): WorkflowRecord[];
  /** Every event from now on, live (not what a restore replays). Returns the detach function. */
  subscribe(listener: EventListener): () => void;
  /**
   * Rebuild the state journal entries describe (into the store, which must be empty): campaigns
   * replay their journaled inputs and the store recomputes what they produced; deliveries get
   * their content back from the messages, and pending ones pick up their schedule. Returns how
   * many deliveries were resumed.
   */
  restore(entries: JournalEntry[]): number;
  /** Campaign steps still scheduled and deliveries not settled. */
  pending(): { campaigns: number; deliveries: number };
  /** What a running workflow waits for now (its calling window), or null. */
  waiting(workflowId: string): CampaignWaiting | null;
  /** The first campaign step that threw (an emulator bug), if any. */
  failure(): unknown;
  /** Forget every workflow and delivery (the store records the reset). */
  reset(): void;
  /** Stop stepping campaigns (deliveries carry on): the first step of a shutdown. */
  stopCampaigns(): void;
  /** Stop scheduling and sending (attempts in flight are abandoned). */
  close(): void;
}

export function createEmulation(opts: EmulationOptions): Emulation {
  const { clock, store, seed } = opts;
  let failure: unknown;
  const bus = createEventBus();
  const catalog = createTemplateCatalog(opts.scenarios, clock.now());
  const delivery = buildDelivery({
    options: opts.delivery,
    clock,
    seed,
    store,
    ...(opts.target !== undefined ? { target: opts.target } : {}),
    ...(opts.targets !== undefined ? { targets: opts.targets } : {}),
    baseUrl: opts.baseUrl ?? 'http://127.0.0.1',
    ...(opts.wall !== undefined ? { wall: opts.wall } : {}),
    onEvent: (e) => bus.publish(e),
  });
  // Every loaded scenario's delivery and receiver settings are checked now, not at its first
  // callback (throws RunConfigError naming the key).
  const check = (scenario: Scenario): void => {
    delivery.scenarioDelivery(scenario);
    scenarioSinkSettings(scenario.receiver);
  };
  for (const s of catalog.scenarios()) check(s.scenario);

  const driver: CampaignDriver = createCampaignDriver({
    clock,
    store,
    build: (spec) => buildCampaign(spec as CampaignSpec),
    deliver: (messages: OutboundMessage[]) => delivery.deliver(messages),
    onEvents: (events) => {
      for (const e of bus.listened() ? events : []) {
        const wf = store.workflow(e.workflowId);
        const out = wf && campaignEventToStream(e, wf);
        if (out) bus.publish(out);
      }
      const last = events[events.length - 1];
      if (last) announceWaiting(last.workflowId, last.at);
    },
    onError: (err) => {
      failure ??= err;
    },
  });
  // The wait each workflow was last said to be in (its `until`), so each wait is said once.
  const announced = new Map<string, number>();
  function announceWaiting(workflowId: string, at: number): void {
    const w = driver.get(workflowId)?.waiting(at);
    const wf = store.workflow(workflowId);
    if (!w || !wf || announced.get(workflowId) === w.until) return;
    announced.set(workflowId, w.until);
    const { workflowName, timeZone } = wf;
    bus.publish({ type: 'workflow:waiting', workflowId, workflowName, at, timeZone, ...w });
  }
  const workflows = createWorkflowService({
    clock,
    store,
    driver,
    catalog,
    seed,
    ...(opts.maxRowsPerWorkflow !== undefined ? { maxRowsPerWorkflow: opts.maxRowsPerWorkflow } : {}),
  });
  const scenarioFor = scenarioResolver({ catalog, clock, check });
  const trigger = (ref: string, allowPaths: boolean, templateId?: number) =>
    triggerResolved(
      catalog,
      () => scenarioFor(ref, allowPaths),
      (name) => workflows.trigger(name, templateId),
    );
  const sender = createCallbackSender({ seed, store, catalog, delivery });
  // Settled deliveries keep their summary; their content is rebuilt when read. `run`'s lean store
  // forgets them instead.
  if (!store.lean) {
    store.deriveContentWith(
      deliveryContentSource({
        message: (id) => store.message(id),
        input: (m) => delivery.input(m),
        rebuild: (d) => sender.rebuild(d),
        service: () => delivery.service(),
      }),
    );
  }

  return {
    clock,
    store,
    catalog,
    workflows,
    delivery,
    api: libraryApi({ clock, store, delivery, trigger, send: (o) => sender.send(o) }),
    scenarioFor,
    trigger,
    subscribe: (l) => bus.subscribe(l),
    restore(entries) {
      const messages = driver.restore(entries);
      return resumeDeliveries({
        store,
        service: delivery.service(),
        messages,
        deliver: (ms) => delivery.deliver(ms),
      });
    },
    pending: () => ({ campaigns: driver.scheduled(), deliveries: delivery.service().pendingCount() }),
    waiting: (workflowId) => driver.get(workflowId)?.waiting(clock.now()) ?? null,
    failure: () => failure,
    reset() {
      driver.clear();
      announced.clear();
      delivery.service().close();
      store.commit({ k: 'reset', at: clock.now() });
      delivery.renew();
    },
    stopCampaigns: () => driver.clear(),
    close() {
      driver.clear();
      delivery.service().close();
    },
  };
}

export type { EmulationEvent };
