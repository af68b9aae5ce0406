/**
 * The composition root: `buildEmulator` wires clock, store (and journal), delivery service,
 * campaign driver, workflow service and the request handler, without a socket (the parts are built
 * in wiring.ts); `listen` opens the socket; `createEmulator` does both. `serve` and the library API
 * (src/index.ts) come here.
 */
import http, { type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ClockSpec, RunClock } from '../clock/index.ts';
import type { DeliverySettings } from '../delivery/scenario-config.ts';
import type { DeliveryEvent, Send } from '../delivery/types.ts';
import { createSink } from '../http/admin/sink.ts';
import type { Sink, SinkSettings } from '../http/admin/sink-types.ts';
import { DEFAULT_BODY_LIMIT_BYTES } from '../http/app.ts';
import { DEFAULT_APP_KEY, DEFAULT_APP_SECRET, type Account } from '../core/accounts.ts';
import type { ErrorLogger } from '../core/vendor-errors.ts';
import { scenarioFiles } from '../scenario/refs.ts';
import type { MemoryStore } from '../store/memory-store.ts';
import type { WorkflowStatus } from '../generated/types.ts';
import type { StoreEntry } from '../store/entries.ts';
import { createCampaignDriver } from '../emulation/campaign-driver.ts';
import { buildCampaign, type CampaignSpec } from '../emulation/campaign-spec.ts';
import { resumeDeliveries } from '../emulation/resume-deliveries.ts';
import { createTemplateCatalog, type LoadedScenario } from '../emulation/template-catalog.ts';
import { createWorkflowService, type WorkflowService } from '../emulation/workflow-service.ts';
import {
  adminControl,
  buildDelivery,
  buildHttp,
  libraryApi,
  loadScenario,
  replayJournal,
  scenarioResolver,
  waitForInFlight,
} from './wiring.ts';
import type { LibraryApi } from '../emulation/library-api.ts';

export const DEFAULT_SEED = 1;
/** Longest a shutdown waits for attempts in flight before recording them as interrupted. */
export const SHUTDOWN_GRACE_MS = 11_000;

/** A workflow's status as its status-change notice reports it (Running, Stopped, Finished). */
export interface WorkflowStatusEvent {
  type: 'workflow:status';
  workflowId: string;
  workflowName: string;
  status: WorkflowStatus;
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
  /** Called once listening and after every later reset (the demo triggers its workflow here). */
  onStarted?: (emu: Emulator) => void;
}

/**
 * A running emulator. Every time it reports (delivery records, events, sink requests) is epoch
 * milliseconds, as in the admin API and the `run --report` JSON; payloads keep the vendor's format.
 */
export interface Emulator extends LibraryApi {
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
  /** Back to the started state: no workflows, no deliveries (tokens stay valid). */
  reset(): Promise<void>;
  close(): Promise<void>;
}

/** Where `listen` opens the socket (default: the build options' `port` and `host`). */
export interface ListenOptions {
  /** 0 = any free port. */
  port?: number;
  host?: string;
}

/**
 * An emulator built but not listening: everything an `Emulator` has but its address, plus the
 * request handler. Drive `app` in-process (supertest, your own server), or `listen` to get a URL.
 */
export interface BuiltEmulator extends Omit<Emulator, 'url' | 'adminUrl' | 'port'> {
  /** The whole HTTP surface: vendor API, admin API under /__emulator and the dashboard. */
  readonly app: RequestListener;
  /**
   * Open the socket (once). Loopback sink URLs then point at the real port; `onStarted` is called
   * now and after every later reset. Resolves to this same object, now with its URLs.
   */
  listen(on?: ListenOptions): Promise<Emulator>;
}

/**
 * Everything but the socket: clock, store and journal (resumed), delivery, workflows, the app.
 * Callbacks to the built-in sink need the port: `listen` (or a `publicUrl`) before they are sent.
 */
export function buildEmulator(opts: EmulatorOptions = {}): BuiltEmulator {
  const { clock, store, journal, entries, skipped } = replayJournal(opts);
  const onEvent = opts.onEvent;
  // Registered after the replay, so only live status changes are reported.
  if (onEvent) store.onEntry((entry) => reportStatusChanges(store, entry, onEvent));

  const seed = opts.seed ?? DEFAULT_SEED;
  const catalog = createTemplateCatalog((opts.scenarios ?? scenarioFiles()).map(loadScenario), clock.now());
  const accounts = opts.accounts ?? [{ appKey: DEFAULT_APP_KEY, appSecret: DEFAULT_APP_SECRET }];
  const sink = createSink(clock, opts.sink ?? {});

  const delivery = buildDelivery({
    options: opts.delivery,
    clock,
    seed,
    store,
    target: opts.target,
    baseUrl: opts.publicUrl ?? 'http://127.0.0.1',
    onEvent,
  });
  // Check every loaded scenario's settings now rather than at its first callback.
  for (const s of catalog.scenarios()) delivery.scenarioDelivery(s.scenario);

  const driver = createCampaignDriver({
    clock,
    store,
    build: (spec) => buildCampaign(spec as CampaignSpec),
    deliver: (messages) => delivery.deliver(messages),
  });
  const workflows = createWorkflowService({ clock, store, driver, catalog, seed });
  const scenarioFor = scenarioResolver({ catalog, clock, check: delivery.scenarioDelivery });

  const control = adminControl({
    clock,
    store,
    catalog,
    delivery,
    workflows,
    scenarioFor,
    sink,
    persistence: opts.dataDir ? 'journal' : 'memory',
    reset: () => emulator.reset(),
  });
  const app = buildHttp({
    clock,
    store,
    catalog,
    workflows,
    control,
    accounts,
    rotateTokenOnReauth: opts.rotateTokenOnReauth,
    aesKey: opts.aesKey,
    publicUrl: opts.publicUrl,
    bodyLimitBytes: opts.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES,
    maxDepth: opts.maxDepth,
    logger: opts.logger,
  });

  // Resume: campaigns replay their journaled inputs; pending deliveries pick up their schedule.
  driver.restore(entries);
  const resumedDeliveries = resumeDeliveries(store, delivery.service());

  let server: http.Server | undefined;
  let listening: Emulator | undefined;
  let closed = false;
  const emulator: BuiltEmulator = {
    app,
    credentials: { appKey: accounts[0]!.appKey, appSecret: accounts[0]!.appSecret },
    clock,
    store,
    sink,
    workflows,
    recovered: { entries: entries.length, skipped, resumedDeliveries },
    ...libraryApi({ clock, store, delivery, workflows, scenarioFor }),
    async reset() {
      driver.clear();
      delivery.service().close();
      store.commit({ k: 'reset', at: clock.now() });
      sink.clear();
      delivery.renew();
      if (listening) opts.onStarted?.(listening);
    },
    async listen(on = {}) {
      if (server || closed) throw new Error(closed ? 'the emulator is closed' : 'already listening');
      const host = on.host ?? opts.host ?? '127.0.0.1';
      server = await listenOn(app, on.port ?? opts.port ?? 0, host);
      const port = (server.address() as AddressInfo).port;
      const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
      if (!opts.publicUrl) delivery.setBaseUrl(url);
      listening = Object.assign(emulator, { url, adminUrl: `${url}/__emulator`, port });
      opts.onStarted?.(listening);
      return listening;
    },
    async close() {
      if (closed) return;
      closed = true;
      driver.clear();
      sink.releaseHanging();
      const open = server;
      const serverClosed = new Promise<void>((resolve) => (open ? open.close(() => resolve()) : resolve()));
      // Attempts in flight get a grace period to finish and be journaled; scheduled attempts stay
      // pending in the journal. An attempt cut off here is resent after a restart (at-least-once).
      await waitForInFlight(clock, SHUTDOWN_GRACE_MS);
      delivery.service().close();
      open?.closeAllConnections();
      await serverClosed;
      clock.close();
      journal?.close();
    },
  };
  return emulator;
}

/** `buildEmulator` then `listen`: a running emulator on `opts.port` (default any free port). */
export async function createEmulator(opts: EmulatorOptions = {}): Promise<Emulator> {
  const built = buildEmulator(opts);
  try {
    return await built.listen();
  } catch (err) {
    await built.close();
    throw err;
  }
}

/** A node server for `app`, listening (rejects on a bind error such as EADDRINUSE). */
function listenOn(app: RequestListener, port: number, host: string): Promise<http.Server> {
  const server = http.createServer(app);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
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
    const status = ev.data.status;
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
