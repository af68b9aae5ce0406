/**
 * `run` as a library call: the scenario played on the one emulation core (src/emulation/), as
 * `serve` and the library play it — one workflow per template, triggered at the start time — run
 * until nothing is left, then a report. The CLI (src/cli/commands/run.ts) only parses flags and
 * prints.
 */
import { relative } from 'node:path';
import { DEFAULT_RETRY_POLICY } from '../core/retry-policy.ts';
import { parseVendorTime } from '../core/vendor-time.ts';
import { createClock } from '../clock/create-clock.ts';
import { systemWall, type Wall } from '../clock/wall.ts';
import { CALLBACK_TYPES, type CallbackType } from '../contract/callbacks.ts';
import { evaluateExpectations, type DeliverySummary } from '../scenario/expectations.ts';
import { loadScenarioFile } from '../scenario/load.ts';
import { resolveScenarioRef, scenarioNameOf } from '../scenario/refs.ts';
import type { ExpectationsSpec, Scenario } from '../scenario/types.ts';
import { startLocalSink, type LocalSink } from './local-sink.ts';
import { preflight, plannedTargets } from './preflight.ts';
import { createRunGuard } from './run-guard.ts';
import {
  buildReport,
  DEFAULT_RESPONSE_CHARS,
  type ExpectationOutcome,
  type ReportDelivery,
  type RunReport,
  type RunSummary,
} from './report.ts';
import { createRunTally } from './tally.ts';
import { clockSpecFor, RunConfigError } from '../delivery/scenario-config.ts';
import type { Send } from '../delivery/types.ts';
import { createEmulation, type Emulation } from '../emulation/emulation.ts';
import type { EmulationEvent } from '../emulation/events.ts';
import { MemoryStore } from '../store/memory-store.ts';

export type EvaluateExpectations = (
  expectations: ExpectationsSpec | undefined,
  summary: RunSummary,
  /** Every delivery's type, outcome and attempts (alike ones grouped, `count`), in creation order. */
  deliveries: DeliverySummary['deliveries'],
) => ExpectationOutcome[];

export interface RunScenarioOptions {
  /**
   * The scenario: a shipped name (`'collection-ptp'`), a scenario file path, or a scenario already
   * loaded (`loadScenarioFile`, `parseScenario`). An unknown name throws `UnknownScenarioError`,
   * which lists the shipped names.
   */
  scenario: Scenario | string;
  /** Scenario file, for the report (default: the file `scenario` names, relative to the cwd). */
  file?: string;
  /** Default: the scenario's seed. */
  seed?: number;
  /** `real | scaled:<n> | virtual` (default: the scenario's clock, else virtual). */
  clock?: string;
  /** Clock start, epoch ms (default: the scenario's start_time, else the host time). */
  startTime?: number;
  /** Send every callback here instead of the template URLs. */
  target?: string;
  /** Per message type targets (win over `target`). */
  targets?: Partial<Record<CallbackType, string>>;
  /** Start a loopback sink answering as the scenario's `receiver:` says, and send everything there. */
  sink?: boolean;
  /** X-Emulator-* debug headers (default true). */
  debugHeaders?: boolean;
  /** Default: `evaluateRun`. */
  evaluate?: EvaluateExpectations;
  /** Every event of the core's stream (workflows, calls, deliveries), as it happens. */
  onEvent?: (event: EmulationEvent) => void;
  /** Called once the clock exists (progress output reads its time). */
  onClock?: (now: () => number) => void;
  /** Called once the workflows exist: the contacts (rows) the run will call. */
  onPlan?: (plan: { contacts: number }) => void;
  send?: Send;
  wall?: Wall;
  /**
   * Real milliseconds a receiver has to answer each attempt: the scenario's
   * `delivery.timeout_ms`, which it overrides (default the vendor's 10 000).
   */
  timeoutMs?: number;
  /**
   * Check that something listens at every target before the campaign (default true; never with
   * `sink` or an injected `send`). Throws PreflightError (nothing sent) when one cannot be reached.
   */
  preflight?: boolean;
  /**
   * Stop the run after this many consecutive connection failures (refused, DNS, unreachable) to
   * one target (default 5; 0 never stops). The report says why (`aborted`).
   */
  abortAfter?: number;
  /** Stop the run after this many real milliseconds (default: no limit). */
  maxDurationMs?: number;
  /** Characters of each response body the report keeps (default 300, at most 1024). */
  responseChars?: number;
  /**
   * Each delivery's report entry once it is delivered or exhausted (a stopped run's pending ones at
   * the end), in creation order — the report's order. `createReportWriter` streams them to disk.
   */
  onDelivery?: (d: ReportDelivery) => void;
  /**
   * List every delivery in the returned report (default true). False: `deliveries` is empty and
   * the run's memory does not grow with the campaign (read them with `onDelivery`).
   */
  keepDeliveries?: boolean;
}

/** Consecutive connection failures to one target after which a run stops (emulator-defined). */
export const DEFAULT_ABORT_AFTER = 5;

/**
 * The scenario's expectations over the deliveries (src/scenario/expectations.ts). A scenario with
 * no expectations gets the default: every delivery delivered.
 */
export const evaluateRun: EvaluateExpectations = (expectations, _summary, deliveries) => {
  const spec = expectations && Object.keys(expectations).length > 0 ? expectations : { all_delivered: true };
  return evaluateExpectations(spec, { deliveries }).results;
};

/** `--start-time`: "YYYY-MM-DD HH:mm:ss" in the account time zone, or ISO-8601 with an offset. */
export function parseStartTime(text: string, timeZone: string): number {
  const t = parseVendorTime(text.trim(), timeZone);
  if (t === null)
    throw new RunConfigError(`invalid start time "${text}" (expected "YYYY-MM-DD HH:mm:ss" or ISO-8601)`);
  return t;
}

export async function runScenario(opts: RunScenarioOptions): Promise<RunReport> {
  let scenario: Scenario;
  let file = opts.file;
  if (typeof opts.scenario === 'string') {
    const path = resolveScenarioRef(opts.scenario);
    scenario = loadScenarioFile(path, opts.scenario);
    file ??= relative(process.cwd(), path) || path;
  } else {
    scenario = opts.scenario;
  }
  if (opts.timeoutMs !== undefined) {
    scenario = { ...scenario, delivery: { ...scenario.delivery, timeout_ms: opts.timeoutMs } };
  }
  // The name the core knows the scenario by, as `serve` names a loaded file: it is part of each
  // workflow's identity (its seed) and of derived template ids.
  const catalogName = file !== undefined ? scenarioNameOf(file) : (scenario.name ?? 'scenario');
  const wall = opts.wall ?? systemWall;
  const tz = scenario.account.timezone;
  const seed = opts.seed ?? scenario.seed;
  const startTime =
    opts.startTime ??
    (scenario.start_time !== undefined
      ? parseStartTime(scenario.start_time, tz)
      : Math.floor(wall.epoch() / 1000) * 1000);
  let clock;
  try {
    clock = createClock(clockSpecFor(scenario, opts.clock), startTime, { wall });
  } catch (err) {
    throw new RunConfigError((err as Error).message);
  }
  opts.onClock?.(clock.now);

  let sink: LocalSink | undefined;
  let core: Emulation;
  try {
    if (opts.sink) sink = await startLocalSink(scenario.receiver ?? {}, wall);
    core = createEmulation({
      clock,
      // Lean: a settled delivery is tallied from the event stream and forgotten.
      store: new MemoryStore(undefined, { retain: 'lean' }),
      seed,
      scenarios: [{ name: catalogName, scenario }],
      delivery: {
        debugHeaders: opts.debugHeaders ?? true,
        ...(opts.send ? { send: opts.send } : {}),
      },
      ...targetsFor(opts, sink),
      wall,
    });
  } catch (err) {
    clock.close();
    await sink?.close();
    throw err;
  }

  const startWall = wall.epoch();
  let lastEvent = startTime;
  let contactsFinished = 0;
  const guard = createRunGuard(core, opts.abortAfter ?? DEFAULT_ABORT_AFTER);
  const kept: ReportDelivery[] = [];
  const keep = opts.keepDeliveries !== false;
  const tally = createRunTally({
    chars: opts.responseChars ?? DEFAULT_RESPONSE_CHARS,
    emit: (d) => {
      if (keep) kept.push(d);
      opts.onDelivery?.(d);
    },
  });
  const detach = core.subscribe((e) => {
    if (e.type === 'delivery:created') tally.created(e.delivery);
    else if (e.type === 'delivery:delivered' || e.type === 'delivery:exhausted') tally.settled(e.delivery);
    // Workflow and call events carry their clock time; deliveries count by their attempts.
    if ('at' in e) lastEvent = Math.max(lastEvent, e.at);
    if (e.type === 'contact:finished') contactsFinished++;
    guard.onEvent(e);
    opts.onEvent?.(e);
  });
  const deadline =
    opts.maxDurationMs !== undefined
      ? wall.after(opts.maxDurationMs, () =>
          guard.abort(`max duration reached (${opts.maxDurationMs} ms of real time)`),
        )
      : undefined;
  try {
    // After the core is built: a scenario's own mistakes (checked there) are reported first.
    if (opts.preflight !== false && !opts.sink && !opts.send) {
      await preflight(plannedTargets(scenario, opts.target, opts.targets), {
        timeoutMs: scenario.delivery?.timeout_ms ?? DEFAULT_RETRY_POLICY.timeoutMs,
        wall,
      });
    }
    core.workflows.trigger(catalogName);
    // Each workflow calls the scenario's rows and its generated ones.
    const perWorkflow = (scenario.contacts.rows?.length ?? 0) + (scenario.contacts.generate?.count ?? 0);
    const contactsPlanned = core.store.listWorkflows().length * perWorkflow;
    opts.onPlan?.({ contacts: contactsPlanned });
    await core.api.idle();
    const failure = core.failure();
    // A campaign or schema failure is an emulator bug: surface it.
    if (failure !== undefined) throw failure;
    const pending = core.pending();
    const aborted = guard.reason();
    if (aborted === undefined && (pending.campaigns > 0 || pending.deliveries > 0)) {
      throw new Error(
        `clock idle with ${pending.campaigns} campaign(s) and ${pending.deliveries} delivery(ies) pending`,
      );
    }
    tally.flush();
    // The end is the last planned instant (event or attempt), not now(): a virtual clock flows by
    // the real latency of the last request, which would make the report differ between runs.
    const endClock = Math.max(lastEvent, tally.lastAttemptAt());
    const summary = tally.summary();
    return buildReport({
      scenario: scenario.name ?? 'scenario',
      ...(file !== undefined ? { file } : {}),
      seed,
      clock: clock.mode,
      timeZone: tz,
      startClock: startTime,
      endClock,
      startWall,
      endWall: wall.epoch(),
      summary,
      failures: tally.failures(),
      deliveries: kept,
      expectations: (opts.evaluate ?? evaluateRun)(scenario.expectations, summary, tally.shapes()),
      contacts: { planned: contactsPlanned, finished: contactsFinished },
      ...(aborted !== undefined ? { aborted } : {}),
    });
  } finally {
    deadline?.cancel();
    detach();
    core.close();
    clock.close();
    await sink?.close();
  }
}

/**
 * Where callbacks go: per-type targets, else `target`, else the loopback sink (`<sink>/<type>`),
 * else the template URLs.
 */
function targetsFor(
  opts: RunScenarioOptions,
  sink: LocalSink | undefined,
): { target?: string; targets?: Partial<Record<CallbackType, string>> } {
  if (opts.target !== undefined || !sink) {
    return {
      ...(opts.target !== undefined ? { target: opts.target } : {}),
      ...(opts.targets ? { targets: opts.targets } : {}),
    };
  }
  const viaSink = Object.fromEntries(CALLBACK_TYPES.map((t) => [t, `${sink.url}/${t}`]));
  return { targets: { ...viaSink, ...opts.targets } };
}
