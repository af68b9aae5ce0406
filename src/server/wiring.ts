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
import {
  watchWorkflowViews,
  workflowCalls,
  workflowContacts,
  workflowDetail,
  workflowSummaries,
  type SummaryRef,
} from '../store/admin-views.ts';
import { journalTime, type JournalEntry } from '../store/entries.ts';
import { compactEntries } from '../store/compact.ts';
import {
  backupJournal,
  loadJournal,
  openJournal,
  rewriteJournal,
  type Journal,
  type JournalHealth,
  type JournalSettings,
  type LoadedJournal,
} from '../store/journal.ts';
import { repairEntries } from '../store/journal-repair.ts';
import { MemoryStore, type WorkflowRecord } from '../store/memory-store.ts';

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
  /** What `repair` lost, one line each (undefined: no repair asked). */
  repaired?: string[];
  /** Lines the journal had and has after compaction on start (undefined: not compacted). */
  compacted?: { from: number; to: number };
}

/**
 * What a data directory left (or nothing), an empty store journaling to it, and a clock that
 * resumes where the journal stopped (the latest clock time its entries mention). The journal is
 * compacted on the way (a snapshot of the live state: see store/compact.ts) when that shortens it.
 * A damaged line stops here (`JournalDamagedError`) unless `repair`: then the damaged lines and
 * what depended on them are dropped, the journal rewritten (the old one kept beside it) and the
 * losses reported in `repaired`.
 */
export function replayJournal(opts: {
  dataDir?: string;
  clock?: string | ClockSpec | RunClock;
  startTime?: number;
  wall?: Wall;
  repair?: boolean;
  journal?: JournalSettings;
}): State {
  const settings = opts.journal ?? {};
  const loaded: LoadedJournal = opts.dataDir
    ? loadJournal(opts.dataDir, { repair: opts.repair ?? false, limits: settings.readLimits })
    : { entries: [], skipped: 0 };
  const clock =
    opts.clock !== undefined && typeof opts.clock === 'object' && 'now' in opts.clock
      ? opts.clock
      : createClock(opts.clock ?? 'virtual', resumeTime(opts.clock ?? 'virtual', loaded, opts));
  const state: State = {
    clock,
    store: new MemoryStore(),
    journal: undefined,
    entries: loaded.entries,
    skipped: loaded.skipped,
  };
  if (!opts.dataDir) return state;
  let tornAt = loaded.tornAt;
  let lines = loaded.lines ?? 0;
  if (opts.repair && loaded.lines !== undefined) {
    const repaired = repairEntries(loaded.entries, loaded.damaged ?? []);
    state.repaired = repaired.report;
    state.entries = repaired.entries;
  }
  const compacted = compactEntries(state.entries);
  if (state.repaired?.length || loaded.legacy || compacted.length < lines) {
    if (state.repaired?.length) backupJournal(opts.dataDir);
    rewriteJournal(opts.dataDir, compacted, loaded.writtenAt);
    state.compacted = { from: lines, to: compacted.length };
    state.entries = compacted;
    lines = compacted.length;
    tornAt = undefined;
  }
  state.journal = openJournal(opts.dataDir, {
    ...(settings.fs ? { fs: settings.fs } : {}),
    ...(tornAt !== undefined ? { tornAt } : {}),
    lines,
    ...(settings.compactAfterLines !== undefined ? { compactAfterLines: settings.compactAfterLines } : {}),
    ...(settings.onHealth ? { onHealth: settings.onHealth } : {}),
  });
  state.store = new MemoryStore(state.journal);
  return state;
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
  /** Whether journal writes reach the disk (undefined: no journal). */
  journalHealth?: () => JournalHealth | undefined;
  /** The root seed, reported by /health so a session can be repeated. */
  seed: number;
  reset: () => Promise<void>;
}): AdminControl {
  const { clock, store, catalog, delivery } = deps.core;
  const sink = deps.sink;
  const recordUrl = (callId: string) => `${RECORDING_PATH}/${callId}.wav`;
  watchWorkflowViews(store);
  return {
    health: () => ({
      ...journalStatus(deps.journalHealth?.()),
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
      const withWaiting = (summary: SummaryRef) => () => {
        const w = summary();
        w.waiting = deps.core.waiting(w.workflow_id);
        return w;
      };
      return { ...answer, list: answer.list.map(withWaiting) };
    },
    workflow: (id, limit) => {
      const detail = workflowDetail(store, id, { limit, recordUrl });
      if (detail) detail.workflow.waiting = deps.core.waiting(id);
      return detail;
    },
    contacts: (id, page) => workflowContacts(store, id, page.before, page.limit),
    calls: (id, page) => workflowCalls(store, id, page.before, { limit: page.limit, recordUrl }),
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
      let triggered: WorkflowRecord[];
      try {
        triggered = deps.core.trigger(name, false, templateId);
      } catch (err) {
        if (err instanceof UnknownScenarioError) throw new VendorError('notFound', err.message);
        throw err;
      }
      const started = triggered.map((wf) => ({
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

/** `status` of /health, and the journal's state when it has one (degraded: why, and what waits). */
function journalStatus(h: JournalHealth | undefined): Record<string, unknown> {
  if (!h) return { status: 'ok' };
  if (h.state === 'ok') return { status: 'ok', journal: { state: 'ok' } };
  return {
    status: 'degraded',
    journal: { state: 'degraded', reason: h.reason, waiting: h.waiting },
    degraded: `journal writes fail (${h.reason}): vendor writes answer 503 until a write succeeds`,
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
  /** Whether journal writes reach the disk: vendor writes answer 503 while they do not. */
  journalHealth?: () => JournalHealth | undefined;
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
    admin: createAdminRouter(deps.control, {
      bodyLimitBytes,
      maxDepth: deps.maxDepth ?? DEFAULT_MAX_DEPTH,
      guard: deps.guard ?? {},
    }),
    aes: deps.aesKey ? createAesCodec(deps.aesKey) : undefined,
    bodyLimitBytes,
    maxDepth: deps.maxDepth ?? DEFAULT_MAX_DEPTH,
    logger: deps.logger,
    requestLog: deps.requestLog,
    faults: deps.faults,
    ...(deps.journalHealth ? { writeGate: storageGate(deps.journalHealth) } : {}),
  });
}

/** Before a vendor write: a 503 in the envelope while the journal cannot write (nothing changes). */
function storageGate(health: () => JournalHealth | undefined): () => void {
  return () => {
    const h = health();
    if (h?.state === 'degraded') {
      throw new VendorError(
        'storageUnavailable',
        `the emulator cannot write its journal (${h.reason}); nothing was changed, retry later`,
      );
    }
  };
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
