/**
 * The composition root: `buildEmulator` wires clock, store (and journal), delivery service,
 * campaign driver, workflow service and the request handler, without a socket (the parts are built
 * in wiring.ts); `listen` opens the socket; `createEmulator` does both. `serve` and the library API
 * (src/index.ts) come here.
 */
import http, { type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ClockSpec, RunClock } from '../clock/index.ts';
import type { CallbackType } from '../contract/callbacks.ts';
import { createSink } from '../http/admin/sink.ts';
import type { Sink, SinkSettings } from '../emulation/sink.ts';
import { sinkRouting } from '../emulation/sink-routing.ts';
import { DEFAULT_BODY_LIMIT_BYTES } from '../http/app.ts';
import { DEFAULT_APP_KEY, DEFAULT_APP_SECRET, type Account } from '../core/accounts.ts';
import type { ErrorLogger } from '../core/vendor-errors.ts';
import { scenarioFiles } from '../scenario/refs.ts';
import type { MemoryStore } from '../store/memory-store.ts';
import type { DeliveryOptions } from '../emulation/delivery-wiring.ts';
import { createEmulation } from '../emulation/emulation.ts';
import type { EmulationEvent, WorkflowStatusEvent } from '../emulation/events.ts';
import type { LibraryApi } from '../emulation/library-api.ts';
import type { LoadedScenario } from '../emulation/ports.ts';
import { loadScenario } from '../emulation/scenarios.ts';
import type { WorkflowService } from '../emulation/workflow-service.ts';
import { answerClientError } from '../http/client-error.ts';
import { FaultTable } from '../http/faults.ts';
import { RequestLog } from '../http/request-log.ts';
import type { FaultRule, FaultView, LoggedRequest, RequestFilter } from '../http/sandbox-types.ts';
import type { JournalHealth, JournalSettings } from '../store/journal.ts';
import { adminControl, buildHttp, replayJournal, waitForInFlight } from './wiring.ts';
import { checkEmulatorOptions } from './check-options.ts';

export type { WorkflowStatusEvent, FaultView, LoggedRequest, RequestFilter };

export const DEFAULT_SEED = 1;
/** Longest a shutdown waits for attempts in flight before recording them as interrupted. */
export const SHUTDOWN_GRACE_MS = 11_000;

/**
 * What `onEvent` reports as it happens: the core's typed event stream — workflow creation and
 * status changes, calls, finished contacts and every delivery event (a discriminated union on
 * `type`).
 */
export type EmulatorEvent = EmulationEvent;

/** `EmulatorOptions.delivery`: the scenario delivery settings, and the transport. */
export type EmulatorDeliveryOptions = DeliveryOptions;

export interface EmulatorOptions {
  /** Port to listen on (0 = any free port; the library default). */
  port?: number;
  host?: string;
  /** `real`, `scaled:<n>`, `virtual` (default), `virtual:manual`, or a clock object. */
  clock?: string | ClockSpec | RunClock;
  /** Clock time at start, epoch ms (default: the host time, or where a journal left off). */
  startTime?: number;
  /**
   * Root seed: each workflow's seed derives from it and the workflow's identity (scenario,
   * template, position). Default 1, fixed, so a test suite is reproducible (`serve` picks a fresh
   * one per start instead).
   */
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
  /** Per message type targets (win over `target`), as `run --target-<type>`. */
  targets?: Partial<Record<CallbackType, string>>;
  /** Keep an append-only journal here and resume from it. */
  dataDir?: string;
  /**
   * A damaged journal line (not the torn last one a crash leaves) stops the start with
   * `JournalDamagedError`; with `repairJournal: true` (`serve --repair`) the damaged lines and
   * what depended on them are dropped instead, the journal rewritten (the old one kept as
   * journal.before-repair.jsonl) and the losses listed in `recovered.repaired`.
   */
  repairJournal?: boolean;
  /** How the journal is read and written: injected file calls, read limits, compaction threshold. */
  journal?: JournalSettings;
  /** Credentials (default: one account, test-app-key / test-app-secret). */
  accounts?: Account[];
  /** Enables the vendor's AES request scheme with this key (e.g. "airudderredduria"). */
  aesKey?: string;
  rotateTokenOnReauth?: boolean;
  bodyLimitBytes?: number;
  /**
   * Host names the admin API answers besides loopback names and the bound address (`*`: any), as a
   * container or a proxy needs. Other Host headers get 403 (DNS rebinding).
   */
  allowedHosts?: string[];
  maxDepth?: number;
  /**
   * How callbacks are delivered: a scenario's `delivery:` section in camelCase (`timeoutMs`,
   * `retryIntervalMs`, `maxRetries`, `signing`, `encryption`, `chaos.duplicateRate`…), for every
   * template; a scenario's own `delivery:` section wins key by key. Plus the transport knobs.
   */
  delivery?: EmulatorDeliveryOptions;
  /**
   * How the built-in sink at /__emulator/sink answers every callback. Default: each callback as the
   * `receiver:` section of the scenario that produced it says (200 when it has none). Given here,
   * or later with `sink.configure` or `PUT /__emulator/sink`, these settings win over every
   * scenario's `receiver:`; `sink.followScenarios()` goes back.
   */
  sink?: Partial<SinkSettings>;
  /** How many vendor-API requests the request log keeps, newest kept (default 1000). */
  requestLogSize?: number;
  /**
   * Most list rows one workflow takes, createinstance and uploaddetails together (default 10,000,
   * what a vendor client's code says an instance accepts; no vendor page states it); more is a 400.
   */
  maxRowsPerWorkflow?: number;
  /**
   * Fault rules on the vendor API from the start (later: `emu.faults.add`, POST /__emulator/faults).
   * Each is checked as the admin API checks it; a bad one throws, naming it.
   */
  faults?: FaultRule[];
  /** Base URL printed in recording links (default: from each request's Host). */
  publicUrl?: string;
  logger?: ErrorLogger;
  /**
   * Live activity (the `serve` console log): every event of the core's stream (workflows, calls,
   * deliveries of the current generation). Not called for what a journal replays on start.
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
  /** The root seed every workflow's seed derives from (`seed`, default 1). */
  readonly seed: number;
  readonly clock: RunClock;
  /** The state behind the API (workflows, rows, calls, deliveries): internal, may change. */
  readonly store: MemoryStore;
  /** The built-in callback sink at /__emulator/sink: what it received; switch how it answers. */
  readonly sink: Sink;
  /**
   * The vendor-API requests the client made, with their answers, newest first (at most
   * `requestLogSize`; Authorization redacted, bodies cut to 4096 characters).
   */
  requests(filter?: RequestFilter): LoggedRequest[];
  /** Fault rules on the vendor API (as the admin API's /faults). */
  readonly faults: {
    /** Adds a rule (after the others); throws a VendorError (status 400) for a bad one. */
    add(rule: FaultRule): FaultView;
    remove(id: string): boolean;
    clear(): void;
    list(): FaultView[];
  };
  /** The vendor API's workflow commands, without HTTP: internal, may change. */
  readonly workflows: WorkflowService;
  /**
   * What the journal gave back: entries replayed, a torn last line dropped (`skipped`), pending
   * deliveries resumed, what `repairJournal` lost (one line each) and the compaction on start.
   */
  readonly recovered: {
    entries: number;
    skipped: number;
    resumedDeliveries: number;
    repaired?: string[];
    compacted?: { from: number; to: number };
  };
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
  checkEmulatorOptions(opts);
  const state = replayJournal({
    ...opts,
    repair: opts.repairJournal ?? false,
    journal: { onHealth: reportJournalHealth, ...opts.journal },
  });
  const { clock, store, journal, entries, skipped } = state;
  const seed = opts.seed ?? DEFAULT_SEED;
  const core = createEmulation({
    clock,
    store,
    seed,
    scenarios: (opts.scenarios ?? scenarioFiles()).map(loadScenario),
    ...(opts.delivery !== undefined ? { delivery: opts.delivery } : {}),
    ...(opts.target !== undefined ? { target: opts.target } : {}),
    ...(opts.targets !== undefined ? { targets: opts.targets } : {}),
    baseUrl: opts.publicUrl ?? 'http://127.0.0.1',
    ...(opts.maxRowsPerWorkflow !== undefined ? { maxRowsPerWorkflow: opts.maxRowsPerWorkflow } : {}),
  });
  const accounts = opts.accounts ?? [{ appKey: DEFAULT_APP_KEY, appSecret: DEFAULT_APP_SECRET }];
  const sink = createSink(clock, {
    ...(opts.sink ? { settings: opts.sink } : {}),
    route: sinkRouting(store),
  });
  const requestLog = new RequestLog(clock, opts.requestLogSize);
  const faults = new FaultTable(clock, seed);
  for (const rule of opts.faults ?? []) faults.add(rule);
  const control = adminControl({
    core,
    sink,
    requestLog,
    faults,
    persistence: opts.dataDir ? 'journal' : 'memory',
    journalHealth: () => journal?.health(),
    seed,
    reset: () => emulator.reset(),
  });
  // The address `listen` bound (the admin API accepts it as a Host name).
  let boundHost: string | undefined = opts.host;
  const app = buildHttp({
    clock,
    store,
    catalog: core.catalog,
    workflows: core.workflows,
    control,
    accounts,
    rotateTokenOnReauth: opts.rotateTokenOnReauth,
    aesKey: opts.aesKey,
    publicUrl: opts.publicUrl,
    bodyLimitBytes: opts.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES,
    maxDepth: opts.maxDepth,
    logger: opts.logger,
    requestLog,
    faults,
    journalHealth: () => journal?.health(),
    guard: {
      ...(opts.allowedHosts !== undefined ? { allowedHosts: opts.allowedHosts } : {}),
      boundHost: () => boundHost,
    },
  });

  // Resume: campaigns replay their journaled inputs; pending deliveries pick up their schedule.
  // Subscribed after, so only live events are reported.
  const resumedDeliveries = core.restore(entries);
  if (opts.onEvent) core.subscribe(opts.onEvent);

  let server: http.Server | undefined;
  let listening: Emulator | undefined;
  let closed = false;
  const emulator: BuiltEmulator = {
    app,
    credentials: { appKey: accounts[0]!.appKey, appSecret: accounts[0]!.appSecret },
    seed,
    clock,
    store,
    sink,
    workflows: core.workflows,
    requests: (filter) => requestLog.list(filter).list,
    faults: {
      add: (rule) => faults.add(rule),
      remove: (id) => faults.remove(id),
      clear: () => faults.clear(),
      list: () => faults.list(),
    },
    recovered: {
      entries: entries.length,
      skipped,
      resumedDeliveries,
      ...(state.repaired ? { repaired: state.repaired } : {}),
      ...(state.compacted ? { compacted: state.compacted } : {}),
    },
    ...core.api,
    async reset() {
      core.reset();
      sink.clear();
      // Rules stay (they are settings); the log starts over and draws repeat from the seed.
      requestLog.clear();
      faults.reseed();
      if (listening) opts.onStarted?.(listening);
    },
    async listen(on = {}) {
      if (server || closed) throw new Error(closed ? 'the emulator is closed' : 'already listening');
      const host = on.host ?? opts.host ?? '127.0.0.1';
      boundHost = host;
      server = await listenOn(app, on.port ?? opts.port ?? 0, host);
      const port = (server.address() as AddressInfo).port;
      const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
      if (!opts.publicUrl) core.delivery.setBaseUrl(url);
      listening = Object.assign(emulator, { url, adminUrl: `${url}/__emulator`, port });
      opts.onStarted?.(listening);
      return listening;
    },
    async close() {
      if (closed) return;
      closed = true;
      core.stopCampaigns();
      sink.releaseHanging();
      const open = server;
      const serverClosed = new Promise<void>((resolve) => (open ? open.close(() => resolve()) : resolve()));
      // Attempts in flight get a grace period to finish and be journaled; scheduled attempts stay
      // pending in the journal. An attempt cut off here is resent after a restart (at-least-once).
      await waitForInFlight(clock, SHUTDOWN_GRACE_MS);
      core.close();
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

/** Default journal health report: one line on stderr when writes start failing, one when they work again. */
function reportJournalHealth(health: JournalHealth, err?: unknown): void {
  const line =
    health.state === 'degraded'
      ? `airudder-emulator: journal writes fail (${health.reason ?? String(err)}): serving degraded — ` +
        `vendor writes answer 503 and ${health.waiting} entr${health.waiting === 1 ? 'y waits' : 'ies wait'} in memory; ` +
        'every later write and GET /__emulator/health tries again\n'
      : 'airudder-emulator: journal writable again: every waiting entry is written; serving normally\n';
  process.stderr.write(line);
}

/** A node server for `app`, listening (rejects on a bind error such as EADDRINUSE). */
function listenOn(app: RequestListener, port: number, host: string): Promise<http.Server> {
  const server = http.createServer(app);
  server.on('clientError', answerClientError);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}
