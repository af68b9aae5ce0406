/**
 * `run` as a library call: the scenario played on the one emulation core (src/emulation/), as
 * `serve` and the library play it — one workflow per template, triggered at the start time — run
 * until nothing is left, then a report. The CLI (src/cli/commands/run.ts) only parses flags and
 * prints.
 */
import { relative } from 'node:path';
import { parseVendorTime } from '../core/vendor-time.ts';
import { createClock } from '../clock/create-clock.ts';
import { systemWall, type Wall } from '../clock/wall.ts';
import { CALLBACK_TYPES, type CallbackType } from '../contract/callbacks.ts';
import { evaluateExpectations } from '../scenario/expectations.ts';
import { loadScenarioFile } from '../scenario/load.ts';
import { resolveScenarioRef, scenarioNameOf } from '../scenario/refs.ts';
import type { ExpectationsSpec, Scenario } from '../scenario/types.ts';
import { startLocalSink, type LocalSink } from './local-sink.ts';
import {
  buildReport,
  summarize,
  type ExpectationOutcome,
  type RunReport,
  type RunSummary,
} from './report.ts';
import { clockSpecFor, RunConfigError } from '../delivery/scenario-config.ts';
import type { DeliveryRecord, Send } from '../delivery/types.ts';
import { createEmulation, type Emulation } from '../emulation/emulation.ts';
import type { EmulationEvent } from '../emulation/events.ts';
import { MemoryStore } from '../store/memory-store.ts';

export type EvaluateExpectations = (
  expectations: ExpectationsSpec | undefined,
  summary: RunSummary,
  deliveries: readonly DeliveryRecord[],
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
  send?: Send;
  wall?: Wall;
}

/**
 * The scenario's expectations over the deliveries (src/scenario/expectations.ts). A scenario with
 * no expectations gets the default: every delivery delivered.
 */
export const evaluateRun: EvaluateExpectations = (expectations, _summary, deliveries) => {
  const spec = expectations && Object.keys(expectations).length > 0 ? expectations : { all_delivered: true };
  return evaluateExpectations(spec, {
    deliveries: deliveries.map((d) => ({
      type: d.type,
      outcome: d.outcome === 'exhausted' ? 'failed' : d.outcome,
      attempts: d.attempts.length,
    })),
  }).results;
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
      store: new MemoryStore(),
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
  const detach = core.subscribe((e) => {
    // Workflow and call events carry their clock time; deliveries count by their attempts.
    if ('at' in e) lastEvent = Math.max(lastEvent, e.at);
    opts.onEvent?.(e);
  });
  try {
    core.workflows.trigger(catalogName);
    await core.api.idle();
    const failure = core.failure();
    // A campaign or schema failure is an emulator bug: surface it.
    if (failure !== undefined) throw failure;
    const pending = core.pending();
    if (pending.campaigns > 0 || pending.deliveries > 0) {
      throw new Error(
        `clock idle with ${pending.campaigns} campaign(s) and ${pending.deliveries} delivery(ies) pending`,
      );
    }
    const deliveries = core.store.deliveries();
    // The end is the last planned instant (event or attempt), not now(): a virtual clock flows by
    // the real latency of the last request, which would make the report differ between runs.
    let endClock = lastEvent;
    for (const d of deliveries) for (const a of d.attempts) endClock = Math.max(endClock, a.at);
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
      deliveries,
      expectations: (opts.evaluate ?? evaluateRun)(scenario.expectations, summarize(deliveries), deliveries),
    });
  } finally {
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
