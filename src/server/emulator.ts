/**
 * The one place that builds the real thing: clock, store (and journal), delivery service,
 * campaign driver, workflow service, the express app and its HTTP server. `serve` and the library
 * API (`createEmulator` in src/index.ts) both come here.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { createClock, isVirtualClock, type ClockSpec, type RunClock } from '../clock/index.ts';
import { systemWall } from '../clock/wall.ts';
import { schemas } from '../contract/registry.ts';
import { createDeliveryService, type DeliveryService } from '../delivery/delivery-service.ts';
import { deliveryConfig, type DeliverySettings } from '../delivery/scenario-config.ts';
import type { DeliveryEvent, DeliveryRecord, Send } from '../delivery/types.ts';
import type { OutboundMessage } from '../engine/types.ts';
import { createAdminRouter, type AdminControl } from '../http/admin/admin-routes.ts';
import { createSink } from '../http/admin/sink.ts';
import type { Sink, SinkSettings } from '../http/admin/sink-types.ts';
import { createAesCodec } from '../http/aes-codec.ts';
import { createApp, DEFAULT_BODY_LIMIT_BYTES, DEFAULT_MAX_DEPTH } from '../http/app.ts';
import { DEFAULT_APP_KEY, DEFAULT_APP_SECRET, type Account } from '../core/accounts.ts';
import { createAuthService } from '../http/auth.ts';
import type { ErrorLogger } from '../core/vendor-errors.ts';
import { VendorError } from '../core/vendor-errors.ts';
import { authRoutes } from '../http/vendor/auth-routes.ts';
import { queryRoutes, RECORDING_PATH } from '../http/vendor/query-routes.ts';
import { recordingRoute } from '../http/vendor/recording-route.ts';
import { workflowRoutes } from '../http/vendor/workflow-routes.ts';
import { loadScenarioFile } from '../scenario/load.ts';
import {
  findScenario,
  isBareName,
  resolveScenarioRef,
  scenarioFiles,
  scenarioNameOf,
  shippedScenarioNames,
  UnknownScenarioError,
} from '../scenario/refs.ts';
import { workflowDetail, workflowSummaries } from '../store/admin-views.ts';
import { createDeliveryLog } from '../store/delivery-log.ts';
import { loadJournal, openJournal, type Journal } from '../store/journal.ts';
import { MemoryStore } from '../store/memory-store.ts';
import type { StoreEntry } from '../store/entries.ts';
import { createCampaignDriver } from './campaign-driver.ts';
import { buildCampaign, type CampaignSpec } from './campaign-spec.ts';
import { createScenarioDelivery, deliveryInput } from './delivery-settings.ts';
import { resumeDeliveries } from './resume-deliveries.ts';
import { createTemplateCatalog, type LoadedScenario } from './template-catalog.ts';
import { createWorkflowService, type WorkflowService } from './workflow-service.ts';

export const DEFAULT_SEED = 1;
/** Longest a shutdown waits for attempts in flight before recording them as interrupted. */
export const SHUTDOWN_GRACE_MS = 11_000;

/** A workflow's status as its status-change notice reports it (Running, Stopped, Finished). */
export interface WorkflowStatusEvent {
  type: 'workflow:status';
  workflowId: string;
  workflowName: string;
  status: string;
  /** Clock time of the change (epoch ms). */
  at: number;
  timeZone: string;
}

/** What `onEvent` reports as it happens: every delivery event and workflow status changes. */
export type EmulatorEvent = DeliveryEvent | WorkflowStatusEvent;

/** `EmulatorOptions.delivery`: the scenario delivery settings, and the transport. */
export interface EmulatorDeliveryOptions extends DeliverySettings {
  /** Send X-Emulator-Delivery-Id / X-Emulator-Attempt with every attempt (default true). */
  debugHeaders?: boolean;
  /** Most attempts in flight per target origin (default 32). */
  concurrencyPerTarget?: number;
  /** Transport: one POST (default: keep-alive node:http / node:https). */
  send?: Send;
}

export interface EmulatorOptions {
  /** Port to listen on (0 = any free port; the library default). */
  port?: number;
  host?: string;
  /** `real`, `scaled:<n>`, `virtual` (default), `virtual:manual`, or a clock object. */
  clock?: string | ClockSpec | RunClock;
  /** Clock time at start, epoch ms (default: the host time, or where a journal left off). */
  startTime?: number;
  seed?: number;
  /**
   * The scenarios providing the workflow templates: shipped names (`'collection-ptp'`), scenario
   * file paths, or already-loaded scenarios. Default: every shipped scenario, as `serve` loads
   * them; `[]` loads none. An unknown name throws `UnknownScenarioError`, which lists the shipped
   * names.
   */
  scenarios?: (string | LoadedScenario)[];
  /** Send every callback here instead of the template URLs. */
  target?: string;
  /** Keep an append-only journal here and resume from it. */
  dataDir?: string;
  /** Credentials (default: one account, test-app-key / test-app-secret). */
  accounts?: Account[];
  /** Enables the vendor's AES request scheme with this key (e.g. "airudderredduria"). */
  aesKey?: string;
  rotateTokenOnReauth?: boolean;
  bodyLimitBytes?: number;
  maxDepth?: number;
  /**
   * How callbacks are delivered: a scenario's `delivery:` section in camelCase (`timeoutMs`,
   * `retryIntervalMs`, `maxRetries`, `signing`, `encryption`, `chaos.duplicateRate`…), for every
   * template; a scenario's own `delivery:` section wins key by key. Plus the transport knobs.
   */
  delivery?: EmulatorDeliveryOptions;
  /** How the built-in sink at /__emulator/sink answers (default: 200 to everything). */
  sink?: Partial<SinkSettings>;
  /** Base URL printed in recording links (default: from each request's Host). */
  publicUrl?: string;
  logger?: ErrorLogger;
  /**
   * Live activity (the `serve` console log): delivery events of the current generation and
   * workflow status changes. Not called for what a journal replays on start.
   */
  onEvent?: (event: EmulatorEvent) => void;
  /** Called after start and after every reset (the demo triggers its workflow here). */
  onStarted?: (emu: Emulator) => void;
}

/**
 * A running emulator. Every time it reports (delivery records, events, sink requests) is epoch
 * milliseconds, as in the admin API and the `run --report` JSON; payloads keep the vendor's format.
 */
export interface Emulator {
  /** Base URL, e.g. http://127.0.0.1:4010 (vendor API under /service/cloud). */
  readonly url: string;
  readonly adminUrl: string;
  readonly port: number;
  readonly credentials: { appKey: string; appSecret: string };
  readonly clock: RunClock;
  /** The state behind the API (workflows, rows, calls, deliveries): internal, may change. */
  readonly store: MemoryStore;
  /** The built-in callback sink at /__emulator/sink: what it received; switch how it answers. */
  readonly sink: Sink;
  /** The vendor API's workflow commands, without HTTP: internal, may change. */
  readonly workflows: WorkflowService;
  /** Journal entries skipped on load (a torn last line after a crash). */
  readonly recovered: { entries: number; skipped: number; resumedDeliveries: number };
  /** Let everything scheduled happen: a virtual clock runs until idle; other clocks wait for it. */
  idle(): Promise<void>;
  /** Move a virtual clock forward by `ms` (firing what falls due on the way). */
  advance(ms: number): Promise<void>;
  deliveries(filter?: { workflow?: string; type?: string; outcome?: string }): DeliveryRecord[];
  delivery(id: string): DeliveryRecord | undefined;
  replay(id: string, url?: string): DeliveryRecord;
  /**
   * Start a workflow from a scenario with its own contacts, as the admin trigger does: a loaded
   * scenario's name, a shipped scenario's name or a scenario file (loaded now, its templates added
   * to the template list). Without `templateId`, the scenario's first template. Throws
   * `UnknownScenarioError` (listing the loaded and shipped names) for anything else.
   */
  trigger(scenario: string, templateId?: number): { workflowId: string; workflowName: string };
  /** Back to the started state: no workflows, no deliveries (tokens stay valid). */
  reset(): Promise<void>;
  close(): Promise<void>;
}

/** A scenario option entry → a loaded scenario (a path or a shipped name is read and validated). */
function loadScenario(s: string | LoadedScenario): LoadedScenario {
  if (typeof s !== 'string') return s;
  const file = resolve(resolveScenarioRef(s));
  return { name: scenarioNameOf(file), scenario: loadScenarioFile(file, s), file };
}

function resolveClock(opt: EmulatorOptions['clock'], startTime: number | undefined): RunClock {
  if (opt !== undefined && typeof opt === 'object' && 'now' in opt) return opt;
  return createClock(opt ?? 'virtual', startTime);
}

export async function createEmulator(opts: EmulatorOptions = {}): Promise<Emulator> {
  const loaded = opts.dataDir ? loadJournal(opts.dataDir) : { entries: [] as StoreEntry[], skipped: 0 };
  // Replay first (without a journal sink) so the clock can resume where the journal left off.
  const replayStore = new MemoryStore();
  for (const e of loaded.entries) replayStore.apply(e);
  const resumeAt = loaded.entries.length > 0 ? replayStore.lastTime : undefined;
  const clock = resolveClock(
    opts.clock,
    resumeAt !== undefined && (opts.startTime === undefined || opts.startTime < resumeAt)
      ? resumeAt
      : opts.startTime,
  );
  const journal: Journal | undefined = opts.dataDir ? openJournal(opts.dataDir) : undefined;
  const store = new MemoryStore(journal);
  for (const e of loaded.entries) store.apply(e);
  const onEvent = opts.onEvent;
  // Registered after the replay above, so only live status changes are reported.
  if (onEvent) store.onEntry((entry) => reportStatusChanges(store, entry, onEvent));

  const registry = schemas();
  const seed = opts.seed ?? DEFAULT_SEED;
  const scenarios = (opts.scenarios ?? scenarioFiles()).map(loadScenario);
  const catalog = createTemplateCatalog(scenarios, clock.now());
  const accounts = opts.accounts ?? [{ appKey: DEFAULT_APP_KEY, appSecret: DEFAULT_APP_SECRET }];
  const auth = createAuthService({
    accounts,
    clock,
    tokens: store,
    rotateOnReauth: opts.rotateTokenOnReauth,
  });
  const sink = createSink(clock, opts.sink ?? {});
  const bodyLimitBytes = opts.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES;
  let baseUrl = opts.publicUrl ?? 'http://127.0.0.1';

  // The delivery service is rebuilt on reset; a generation number keeps a closed one quiet.
  const { debugHeaders, concurrencyPerTarget, send, ...settings } = opts.delivery ?? {};
  const baseDelivery = deliveryConfig(settings);
  const scenarioDelivery = createScenarioDelivery(settings);
  // Check every loaded scenario's settings now rather than at its first callback.
  for (const s of catalog.scenarios()) scenarioDelivery(s.scenario);
  let generation = 0;
  const makeDelivery = (): DeliveryService => {
    const mine = ++generation;
    return createDeliveryService({
      ...baseDelivery,
      ...(debugHeaders !== undefined ? { debugHeaders } : {}),
      ...(concurrencyPerTarget !== undefined ? { concurrencyPerTarget } : {}),
      ...(send !== undefined ? { send } : {}),
      clock,
      seed,
      store: createDeliveryLog(store, () => mine === generation),
      // A service closed by a reset may still finish an attempt: keep its events out of the log.
      onEvent: onEvent && ((e) => mine === generation && onEvent(e)),
    });
  };
  let delivery = makeDelivery();

  const scenarioOf = (workflowId: string): CampaignSpec | undefined =>
    store.workflow(workflowId)?.campaign as CampaignSpec | undefined;
  const toDelivery = (m: OutboundMessage) => {
    const spec = scenarioOf(m.workflowId);
    return deliveryInput(m, {
      baseUrl,
      target: opts.target,
      config: spec ? scenarioDelivery(spec.scenario) : null,
    });
  };

  const driver = createCampaignDriver({
    clock,
    store,
    build: (spec) => buildCampaign(spec as CampaignSpec),
    deliver: (messages) => {
      // Message ids are deterministic: after a restart, a rebuilt campaign can emit again a
      // message whose delivery the journal already holds (and resumes). It is the same delivery.
      for (const m of messages) if (!delivery.get(m.id)) delivery.deliver(toDelivery(m));
    },
  });
  const workflows = createWorkflowService({ clock, store, driver, catalog, seed });

  /**
   * The loaded scenario a trigger names: a loaded scenario; else a shipped name (or, with
   * `allowPaths`, a scenario file), which is loaded now and its templates added to the catalog.
   */
  const scenarioFor = (ref: string, allowPaths: boolean): string => {
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
    scenarioDelivery(added.scenario);
    catalog.add(added, clock.now());
    return added.name;
  };

  const virtual = () => {
    if (!isVirtualClock(clock)) {
      throw new VendorError(
        'conflict',
        `the clock is ${clock.mode}; only a virtual clock can be moved (start with --clock virtual)`,
      );
    }
    return clock;
  };

  const control: AdminControl = {
    health: () => ({
      status: 'ok',
      clock: clock.mode,
      now: clock.now(),
      workflows: store.listWorkflows().length,
      deliveries: {
        total: store.deliveries().length,
        pending: delivery.pendingCount(),
      },
      templates: catalog.list().length,
      persistence: opts.dataDir ? 'journal' : 'memory',
    }),
    reset: () => emulator.reset(),
    clock: () => ({
      mode: clock.mode,
      now: clock.now(),
      pending: clock.pending(),
    }),
    advance: (ms) => virtual().advance(ms),
    runUntilIdle: () => virtual().runUntilIdle(),
    workflows: () => workflowSummaries(store),
    workflow: (id, limit) =>
      workflowDetail(store, id, { limit, recordUrl: (callId) => `${RECORDING_PATH}/${callId}.wav` }),
    deliveries: () => store.deliveries(),
    delivery: (id) => store.delivery(id),
    replay: (id, url) => delivery.replay(id, url ? { url } : {}),
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
        loaded = scenarioFor(name, false);
      } catch (err) {
        if (err instanceof UnknownScenarioError) throw new VendorError('notFound', err.message);
        throw err;
      }
      const wf = workflows.trigger(loaded, templateId);
      return { workflow_id: wf.workflowId, workflow_name: wf.workflowName };
    },
    sink,
  };

  const app = createApp({
    registry,
    auth,
    routes: [
      ...authRoutes(auth),
      ...workflowRoutes(workflows),
      ...queryRoutes({ store, catalog, publicUrl: opts.publicUrl }),
      recordingRoute(store),
    ],
    admin: createAdminRouter(control, { bodyLimitBytes }),
    aes: opts.aesKey ? createAesCodec(opts.aesKey) : undefined,
    bodyLimitBytes,
    maxDepth: opts.maxDepth ?? DEFAULT_MAX_DEPTH,
    logger: opts.logger,
  });

  const server = http.createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const host = opts.host ?? '127.0.0.1';
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  if (!opts.publicUrl) baseUrl = url;

  // Resume: campaigns replay their journaled inputs; pending deliveries pick up their schedule.
  driver.restore(loaded.entries);
  const resumedDeliveries = resumeDeliveries(store, delivery);

  let closed = false;
  const emulator: Emulator = {
    url,
    adminUrl: `${url}/__emulator`,
    port,
    credentials: { appKey: accounts[0]!.appKey, appSecret: accounts[0]!.appSecret },
    clock,
    store,
    sink,
    workflows,
    recovered: { entries: loaded.entries.length, skipped: loaded.skipped, resumedDeliveries },
    async idle() {
      if (isVirtualClock(clock)) await clock.runUntilIdle();
      else await clock.idle();
    },
    advance: (ms) => virtual().advance(ms),
    deliveries(filter = {}) {
      return store
        .deliveries()
        .filter((d) => filter.workflow === undefined || d.workflowId === filter.workflow)
        .filter((d) => filter.type === undefined || d.type === filter.type)
        .filter((d) => filter.outcome === undefined || d.outcome === filter.outcome);
    },
    delivery: (id) => store.delivery(id),
    replay: (id, target) => delivery.replay(id, target ? { url: target } : {}),
    trigger(ref, templateId) {
      const wf = workflows.trigger(scenarioFor(ref, true), templateId);
      return { workflowId: wf.workflowId, workflowName: wf.workflowName };
    },
    async reset() {
      driver.clear();
      delivery.close();
      store.commit({ k: 'reset', at: clock.now() });
      sink.clear();
      delivery = makeDelivery();
      opts.onStarted?.(emulator);
    },
    async close() {
      if (closed) return;
      closed = true;
      driver.clear();
      sink.releaseHanging();
      const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Attempts in flight get a grace period to finish and be journaled; scheduled attempts stay
      // pending in the journal. An attempt cut off here is resent after a restart (at-least-once).
      await waitForInFlight(clock, SHUTDOWN_GRACE_MS);
      delivery.close();
      server.closeAllConnections();
      await serverClosed;
      clock.close();
      journal?.close();
    },
  };
  opts.onStarted?.(emulator);
  return emulator;
}

/** Report the workflow.status events an `events` entry carries. */
function reportStatusChanges(
  store: MemoryStore,
  entry: StoreEntry,
  onEvent: (e: EmulatorEvent) => void,
): void {
  if (entry.k !== 'events') return;
  const wf = store.workflow(entry.workflowId);
  if (!wf) return;
  for (const ev of entry.events) {
    if (ev.kind !== 'workflow.status') continue;
    const status = (ev.data as { status?: unknown } | undefined)?.status;
    if (typeof status !== 'string') continue;
    onEvent({
      type: 'workflow:status',
      workflowId: wf.workflowId,
      workflowName: wf.workflowName,
      status,
      at: ev.at,
      timeZone: wf.timeZone,
    });
  }
}

/** Wait (in real time) until the clock tracks no work in flight, at most `graceMs`. */
function waitForInFlight(clock: RunClock, graceMs: number): Promise<void> {
  const start = systemWall.now();
  return new Promise((resolve) => {
    const check = () => {
      if (clock.pending().inFlight === 0 || systemWall.now() - start >= graceMs) resolve();
      else systemWall.after(20, check);
    };
    check();
  });
}
