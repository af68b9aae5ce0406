/**
 * The parts the composition root (`buildEmulator` in emulator.ts) puts together, one function per
 * domain: the state a journal leaves (store, clock), callback delivery (rebuilt on reset), the
 * scenarios a trigger names, the admin API's control, the library's commands, and the express app. Each takes what it
 * needs and builds nothing else; none opens a socket.
 */
import type { RequestListener } from 'node:http';
import { resolve } from 'node:path';
import {
  createClock,
  isVirtualClock,
  type ClockSpec,
  type RunClock,
  type VirtualClock,
} from '../clock/index.ts';
import { systemWall } from '../clock/wall.ts';
import { schemas } from '../contract/registry.ts';
import type { Account } from '../core/accounts.ts';
import { VendorError, type ErrorLogger } from '../core/vendor-errors.ts';
import {
  createDeliveryService,
  type DeliveryInput,
  type DeliveryService,
} from '../delivery/delivery-service.ts';
import { deliveryConfig, type DeliveryConfig, type DeliverySettings } from '../delivery/scenario-config.ts';
import type { DeliveryEvent, Send } from '../delivery/types.ts';
import type { OutboundMessage } from '../engine/types.ts';
import { createAdminRouter, type AdminControl } from '../http/admin/admin-routes.ts';
import type { BuiltInSink } from '../http/admin/sink.ts';
import { createAesCodec } from '../http/aes-codec.ts';
import { createApp, DEFAULT_MAX_DEPTH } from '../http/app.ts';
import { createAuthService } from '../http/auth.ts';
import { authRoutes } from '../http/vendor/auth-routes.ts';
import { queryRoutes, RECORDING_PATH } from '../http/vendor/query-routes.ts';
import { recordingRoute } from '../http/vendor/recording-route.ts';
import { workflowRoutes } from '../http/vendor/workflow-routes.ts';
import { loadScenarioFile } from '../scenario/load.ts';
import {
  findScenario,
  isBareName,
  resolveScenarioRef,
  scenarioNameOf,
  shippedScenarioNames,
  UnknownScenarioError,
} from '../scenario/refs.ts';
import type { Scenario } from '../scenario/types.ts';
import { workflowDetail, workflowSummaries } from '../store/admin-views.ts';
import { createDeliveryLog } from '../store/delivery-log.ts';
import { journalTime, type JournalEntry } from '../store/entries.ts';
import { loadJournal, openJournal, type Journal } from '../store/journal.ts';
import { MemoryStore } from '../store/memory-store.ts';
import type { CampaignSpec } from '../emulation/campaign-spec.ts';
import { createScenarioDelivery, deliveryInput } from '../emulation/delivery-routing.ts';
import type { LoadedScenario, TemplateCatalog } from '../emulation/template-catalog.ts';
import type { WorkflowService } from '../emulation/workflow-service.ts';
import type { LibraryApi } from '../emulation/library-api.ts';

/** A scenario option entry → a loaded scenario (a path or a shipped name is read and validated). */
export function loadScenario(s: string | LoadedScenario): LoadedScenario {
  if (typeof s !== 'string') return s;
  const file = resolve(resolveScenarioRef(s));
  return { name: scenarioNameOf(file), scenario: loadScenarioFile(file, s), file };
}

export interface State {
  clock: RunClock;
  /**
   * The live store (journaling to `journal`), empty: the campaign driver restores the journal's
   * entries into it (`CampaignDriver.restore`), recomputing what they determine.
   */
  store: MemoryStore;
  journal: Journal | undefined;
  /** The journal's entries, for the campaign driver to restore from. */
  entries: JournalEntry[];
  skipped: number;
}

/**
 * What a data directory left (or nothing), an empty store journaling to it, and a clock that
 * resumes where the journal stopped (the latest clock time its entries mention).
 */
export function replayJournal(opts: {
  dataDir?: string;
  clock?: string | ClockSpec | RunClock;
  startTime?: number;
}): State {
  const loaded = opts.dataDir ? loadJournal(opts.dataDir) : { entries: [] as JournalEntry[], skipped: 0 };
  const resumeAt = journalTime(loaded.entries);
  const startTime =
    resumeAt !== undefined && (opts.startTime === undefined || opts.startTime < resumeAt)
      ? resumeAt
      : opts.startTime;
  const clock =
    opts.clock !== undefined && typeof opts.clock === 'object' && 'now' in opts.clock
      ? opts.clock
      : createClock(opts.clock ?? 'virtual', startTime);
  const journal = opts.dataDir ? openJournal(opts.dataDir) : undefined;
  const store = new MemoryStore(journal);
  return { clock, store, journal, entries: loaded.entries, skipped: loaded.skipped };
}

export interface DeliveryWiring {
  /** The current delivery service (a reset replaces it). */
  service(): DeliveryService;
  /** Start a fresh service and generation (reset, after closing the current one). */
  renew(): void;
  /** Hand a campaign's messages to the current service (once per message id). */
  deliver(messages: OutboundMessage[]): void;
  /** How a message is delivered: its URL (loopback sink, `--target`), key and scenario settings. */
  input(m: OutboundMessage): DeliveryInput;
  /** A scenario's delivery settings over the emulator's (checked: throws RunConfigError). */
  scenarioDelivery(scenario: Scenario): DeliveryConfig | null;
  /** Where loopback sink URLs point: this server's address, known once it listens. */
  setBaseUrl(url: string): void;
}

/**
 * Callback delivery: the settings, the transport, and a service rebuilt on reset — a generation
 * number keeps a closed one (which may still finish an attempt) out of the log and the events.
 */
export function buildDelivery(opts: {
  /** The settings and the transport knobs (`EmulatorOptions.delivery`). */
  options?: DeliverySettings & { debugHeaders?: boolean; concurrencyPerTarget?: number; send?: Send };
  clock: RunClock;
  seed: number;
  store: MemoryStore;
  target?: string;
  baseUrl: string;
  onEvent?: (e: DeliveryEvent) => void;
}): DeliveryWiring {
  const { clock, seed, store, onEvent } = opts;
  const { debugHeaders, concurrencyPerTarget, send, ...settings } = opts.options ?? {};
  const baseDelivery = deliveryConfig(settings);
  const scenarioDelivery = createScenarioDelivery(settings);
  let baseUrl = opts.baseUrl;
  let generation = 0;
  const make = (): DeliveryService => {
    const mine = ++generation;
    return createDeliveryService({
      ...baseDelivery,
      ...(debugHeaders !== undefined ? { debugHeaders } : {}),
      ...(concurrencyPerTarget !== undefined ? { concurrencyPerTarget } : {}),
      ...(send !== undefined ? { send } : {}),
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
      target: opts.target,
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
    setBaseUrl(url) {
      baseUrl = url;
    },
  };
}

/**
 * The loaded scenario a trigger names: a loaded scenario; else a shipped name (or, with
 * `allowPaths`, a scenario file), which is loaded now and its templates added to the catalog.
 * Throws `UnknownScenarioError` for anything else.
 */
export function scenarioResolver(deps: {
  catalog: TemplateCatalog;
  clock: RunClock;
  check: (scenario: Scenario) => unknown;
}): (ref: string, allowPaths: boolean) => string {
  const { catalog, clock } = deps;
  return (ref, allowPaths) => {
    if (catalog.scenario(ref)) return ref;
    const bare = isBareName(ref) ? ref.replace(/\.ya?ml$/i, '') : undefined;
    if (bare !== undefined && catalog.scenario(bare)) return bare;
    let file: string | undefined;
    if (allowPaths) {
      try {
        file = resolve(resolveScenarioRef(ref));
      } catch (err) {
        if (!(err instanceof UnknownScenarioError)) throw err;
      }
    } else if (bare !== undefined) {
      file = findScenario(bare);
    }
    if (file === undefined) {
      throw new UnknownScenarioError(
        ref,
        shippedScenarioNames(),
        catalog.scenarios().map((s) => s.name),
      );
    }
    const known = catalog.scenarios().find((s) => s.file === file);
    if (known) return known.name;
    const added = loadScenario(file);
    deps.check(added.scenario);
    catalog.add(added, clock.now());
    return added.name;
  };
}

/** The clock as a virtual one, or a 409 for the admin API and the library alike. */
export function virtualClock(clock: RunClock): VirtualClock {
  if (!isVirtualClock(clock)) {
    throw new VendorError(
      'conflict',
      `the clock is ${clock.mode}; only a virtual clock can be moved (start with --clock virtual)`,
    );
  }
  return clock;
}

/** What the admin API drives, over the services. */
export function adminControl(deps: {
  clock: RunClock;
  store: MemoryStore;
  catalog: TemplateCatalog;
  delivery: DeliveryWiring;
  workflows: WorkflowService;
  scenarioFor: (ref: string, allowPaths: boolean) => string;
  sink: BuiltInSink;
  persistence: 'journal' | 'memory';
  reset: () => Promise<void>;
}): AdminControl {
  const { clock, store, catalog, delivery, workflows, sink } = deps;
  return {
    health: () => ({
      status: 'ok',
      clock: clock.mode,
      now: clock.now(),
      workflows: store.listWorkflows().length,
      deliveries: {
        total: store.deliveries().length,
        pending: delivery.service().pendingCount(),
      },
      templates: catalog.list().length,
      persistence: deps.persistence,
    }),
    reset: deps.reset,
    clock: () => ({ mode: clock.mode, now: clock.now(), pending: clock.pending() }),
    advance: (ms) => virtualClock(clock).advance(ms),
    runUntilIdle: () => virtualClock(clock).runUntilIdle(),
    workflows: () => workflowSummaries(store),
    workflow: (id, limit) =>
      workflowDetail(store, id, { limit, recordUrl: (callId) => `${RECORDING_PATH}/${callId}.wav` }),
    deliveries: () => store.deliveries(),
    delivery: (id) => store.delivery(id),
    replay: (id, url) => delivery.service().replay(id, url ? { url } : {}),
    scenarios: () =>
      catalog.scenarios().map((s) => ({
        name: s.name,
        templates: catalog
          .list()
          .filter((t) => t.scenarioName === s.name)
          .map((t) => ({ workflow_template_id: t.templateId, name: t.name })),
      })),
    trigger(name, templateId) {
      // Over HTTP only loaded and shipped names: the admin API does not read arbitrary files.
      let loaded: string;
      try {
        loaded = deps.scenarioFor(name, false);
      } catch (err) {
        if (err instanceof UnknownScenarioError) throw new VendorError('notFound', err.message);
        throw err;
      }
      const wf = workflows.trigger(loaded, templateId);
      return { workflow_id: wf.workflowId, workflow_name: wf.workflowName };
    },
    sink,
  };
}

/** The library's own commands and queries over the services (`Emulator` minus its lifecycle). */
export function libraryApi(deps: {
  clock: RunClock;
  store: MemoryStore;
  delivery: DeliveryWiring;
  workflows: WorkflowService;
  scenarioFor: (ref: string, allowPaths: boolean) => string;
}): LibraryApi {
  const { clock, store, delivery, workflows } = deps;
  return {
    async idle() {
      if (isVirtualClock(clock)) await clock.runUntilIdle();
      else await clock.idle();
    },
    advance: (ms) => virtualClock(clock).advance(ms),
    deliveries(filter = {}) {
      return store
        .deliveries()
        .filter((d) => filter.workflow === undefined || d.workflowId === filter.workflow)
        .filter((d) => filter.type === undefined || d.type === filter.type)
        .filter((d) => filter.outcome === undefined || d.outcome === filter.outcome);
    },
    delivery: (id) => store.delivery(id),
    replay: (id, target) => delivery.service().replay(id, target ? { url: target } : {}),
    trigger(ref, templateId) {
      const wf = workflows.trigger(deps.scenarioFor(ref, true), templateId);
      return { workflowId: wf.workflowId, workflowName: wf.workflowName };
    },
  };
}

/** The express app: vendor API (auth, workflows, queries, recordings), admin API and dashboard. */
export function buildHttp(deps: {
  clock: RunClock;
  store: MemoryStore;
  catalog: TemplateCatalog;
  workflows: WorkflowService;
  control: AdminControl;
  accounts: Account[];
  rotateTokenOnReauth?: boolean;
  aesKey?: string;
  publicUrl?: string;
  bodyLimitBytes: number;
  maxDepth?: number;
  logger?: ErrorLogger;
}): RequestListener {
  const { store, catalog, bodyLimitBytes } = deps;
  const auth = createAuthService({
    accounts: deps.accounts,
    clock: deps.clock,
    tokens: store,
    rotateOnReauth: deps.rotateTokenOnReauth,
  });
  return createApp({
    registry: schemas(),
    auth,
    routes: [
      ...authRoutes(auth),
      ...workflowRoutes(deps.workflows),
      ...queryRoutes({ store, catalog, publicUrl: deps.publicUrl }),
      recordingRoute(store),
    ],
    admin: createAdminRouter(deps.control, { bodyLimitBytes }),
    aes: deps.aesKey ? createAesCodec(deps.aesKey) : undefined,
    bodyLimitBytes,
    maxDepth: deps.maxDepth ?? DEFAULT_MAX_DEPTH,
    logger: deps.logger,
  });
}

/** Wait (in real time) until the clock tracks no work in flight, at most `graceMs`. */
export function waitForInFlight(clock: RunClock, graceMs: number): Promise<void> {
  const start = systemWall.now();
  return new Promise((resolve) => {
    const check = () => {
      if (clock.pending().inFlight === 0 || systemWall.now() - start >= graceMs) resolve();
      else systemWall.after(20, check);
    };
    check();
  });
}
