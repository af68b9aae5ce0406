/**
 * What `serve` adds to the core (src/emulation/), one function per part: the state a journal
 * leaves (store, clock), the admin API's control over the core, and the express app. Each takes
 * what it needs and builds nothing else; none opens a socket.
 */
import type { SendOptions } from '../emulation/send.ts';
import type { RequestListener } from 'node:http';
import { createClock, parseClockSpec, type ClockSpec, type RunClock } from '../clock/index.ts';
import { systemWall, type Wall } from '../clock/wall.ts';
import { schemas } from '../contract/registry.ts';
import type { Account } from '../core/accounts.ts';
import { VendorError, type ErrorLogger } from '../core/vendor-errors.ts';
import type { Emulation } from '../emulation/emulation.ts';
import { virtualClock } from '../emulation/library-api.ts';
import type { TemplateCatalog, WorkflowService } from '../emulation/ports.ts';
import { createAdminRouter, type AdminControl } from '../http/admin/admin-routes.ts';
import type { BuiltInSink } from '../http/admin/sink.ts';
import type { AdminGuardOptions } from '../http/admin/admin-guard.ts';
import type { FaultTable } from '../http/faults.ts';
import type { RequestLog } from '../http/request-log.ts';
import { createAesCodec } from '../http/aes-codec.ts';
import { createApp, DEFAULT_MAX_DEPTH } from '../http/app.ts';
import { createAuthService } from '../http/auth.ts';
import { authRoutes } from '../http/vendor/auth-routes.ts';
import { queryRoutes, RECORDING_PATH } from '../http/vendor/query-routes.ts';
import { recordingRoute } from '../http/vendor/recording-route.ts';
import { workflowRoutes } from '../http/vendor/workflow-routes.ts';
import { UnknownScenarioError } from '../scenario/refs.ts';
import { watchWorkflowViews, workflowDetail, workflowSummaries } from '../store/admin-views.ts';
import { journalTime, type JournalEntry } from '../store/entries.ts';
import { loadJournal, openJournal, type Journal, type LoadedJournal } from '../store/journal.ts';
import { MemoryStore } from '../store/memory-store.ts';

export interface State {
  clock: RunClock;
  /**
   * The live store (journaling to `journal`), empty: the core restores the journal's entries
   * into it (`Emulation.restore`), recomputing what they determine.
   */
  store: MemoryStore;
  journal: Journal | undefined;
  /** The journal's entries, for the core to restore from. */
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
  wall?: Wall;
}): State {
  const loaded: LoadedJournal = opts.dataDir ? loadJournal(opts.dataDir) : { entries: [], skipped: 0 };
  const clock =
    opts.clock !== undefined && typeof opts.clock === 'object' && 'now' in opts.clock
      ? opts.clock
      : createClock(opts.clock ?? 'virtual', resumeTime(opts.clock ?? 'virtual', loaded, opts));
  const journal = opts.dataDir ? openJournal(opts.dataDir) : undefined;
  const store = new MemoryStore(journal);
  return { clock, store, journal, entries: loaded.entries, skipped: loaded.skipped };
}

/**
 * Where a clock starts over a journal. Never before the last instant the journal knows (tokens
 * expire as they would have, nothing happens twice): a virtual clock resumes right there; a real
 * one at wall time; a scaled one there plus the downtime (wall time since the journal's last
 * write) times its scale. A `startTime` later than that wins; without a journal it is the start.
 */
export function resumeTime(
  spec: string | ClockSpec,
  loaded: LoadedJournal,
  opts: { startTime?: number; wall?: Wall },
): number | undefined {
  const last = journalTime(loaded.entries);
  if (last === undefined) return opts.startTime;
  const s = typeof spec === 'string' ? parseClockSpec(spec) : spec;
  const wallNow = (opts.wall ?? systemWall).epoch();
  let at = last;
  if (s.mode === 'real') at = Math.max(last, wallNow);
  else if (s.mode === 'scaled' && loaded.writtenAt !== undefined) {
    at = last + Math.max(0, wallNow - loaded.writtenAt) * s.scale;
  }
  return opts.startTime !== undefined && opts.startTime > at ? opts.startTime : at;
}

/** What the admin API drives, over the services. */
export function adminControl(deps: {
  core: Emulation;
  sink: BuiltInSink;
  requestLog: RequestLog;
  faults: FaultTable;
  persistence: 'journal' | 'memory';
  /** The root seed, reported by /health so a session can be repeated. */
  seed: number;
  reset: () => Promise<void>;
}): AdminControl {
  const { clock, store, catalog, delivery, workflows } = deps.core;
  const sink = deps.sink;
  watchWorkflowViews(store);
  return {
    health: () => ({
      status: 'ok',
      clock: clock.mode,
      now: clock.now(),
      workflows: store.workflowCount(),
      deliveries: {
        total: store.deliveryIndex.size,
        pending: delivery.service().pendingCount(),
      },
      templates: catalog.list().length,
      persistence: deps.persistence,
      seed: deps.seed,
    }),
    reset: deps.reset,
    clock: () => ({ mode: clock.mode, now: clock.now(), pending: clock.pending() }),
    advance: (ms) => deps.core.api.advance(ms),
    runUntilIdle: () => virtualClock(clock).runUntilIdle(),
    targets: () => deps.core.delivery.targets.get(),
    setTargets: (change) => deps.core.delivery.targets.set(change),
    workflows: (page) => {
      const answer = workflowSummaries(store, page.before, page.limit);
      for (const w of answer.list) w.waiting = deps.core.waiting(w.workflow_id);
      return answer;
    },
    workflow: (id, limit) => {
      const detail = workflowDetail(store, id, {
        limit,
        recordUrl: (callId) => `${RECORDING_PATH}/${callId}.wav`,
      });
      if (detail) detail.workflow.waiting = deps.core.waiting(id);
      return detail;
    },
    deliveries: (filter, page) => store.deliveryIndex.page(filter, page.before, page.limit),
    generation: () => store.generation,
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
        loaded = deps.core.scenarioFor(name, false);
      } catch (err) {
        if (err instanceof UnknownScenarioError) throw new VendorError('notFound', err.message);
        throw err;
      }
      const started = workflows.trigger(loaded, templateId).map((wf) => ({
        workflow_id: wf.workflowId,
        workflow_name: wf.workflowName,
        workflow_template_id: wf.templateId,
      }));
      return {
        workflow_id: started[0]!.workflow_id,
        workflow_name: started[0]!.workflow_name,
        workflows: started,
      };
    },
    send(options) {
      try {
        return deps.core.api.send(options as SendOptions);
      } catch (err) {
        if (err instanceof UnknownScenarioError) throw new VendorError('notFound', err.message);
        throw err;
      }
    },
    sink,
    requestLog: deps.requestLog,
    faults: deps.faults,
    subscribe: (listener) => deps.core.subscribe(listener),
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
  requestLog?: RequestLog;
  faults?: FaultTable;
  /** Who may reach the admin API (Host names besides loopback and the bound address). */
  guard?: AdminGuardOptions;
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
    admin: createAdminRouter(deps.control, { bodyLimitBytes, guard: deps.guard ?? {} }),
    aes: deps.aesKey ? createAesCodec(deps.aesKey) : undefined,
    bodyLimitBytes,
    maxDepth: deps.maxDepth ?? DEFAULT_MAX_DEPTH,
    logger: deps.logger,
    requestLog: deps.requestLog,
    faults: deps.faults,
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
