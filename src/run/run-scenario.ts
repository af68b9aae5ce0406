/**
 * `run` as a library call: scenario → clock, campaigns (one per template), delivery service,
 * runner → report. The CLI (src/cli/commands/run.ts) only parses flags and prints.
 */
import { relative } from 'node:path';
import { workflowSeed } from '../core/random.ts';
import { parseVendorTime } from '../core/vendor-time.ts';
import { createClock } from '../clock/create-clock.ts';
import { systemWall, type Wall } from '../clock/wall.ts';
import { createCampaign } from '../engine/campaign.ts';
import type { CallbackType } from '../contract/callbacks.ts';
import type { CampaignEvent, OutboundMessage } from '../engine/types.ts';
import { evaluateExpectations } from '../scenario/expectations.ts';
import { loadScenarioFile } from '../scenario/load.ts';
import { resolveScenarioRef, scenarioNameOf } from '../scenario/refs.ts';
import type { ExpectationsSpec, Scenario } from '../scenario/types.ts';
import { createDeliveryService, type DeliveryInput } from '../delivery/delivery-service.ts';
import { scenarioSinkSettings } from '../emulation/sink.ts';
import { startLocalSink, type LocalSink } from './local-sink.ts';
import {
  buildReport,
  summarize,
  type ExpectationOutcome,
  type RunReport,
  type RunSummary,
} from './report.ts';
import { startRunner } from './runner.ts';
import {
  clockSpecFor,
  deliveryConfig,
  deliverySettings,
  RunConfigError,
} from '../delivery/scenario-config.ts';
import type { DeliveryEvent, DeliveryRecord, Send } from '../delivery/types.ts';

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
  onEvent?: (event: DeliveryEvent) => void;
  onCampaignEvent?: (event: CampaignEvent) => void;
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
  // The scenario's name in each workflow's identity (its seed): as the emulator names a loaded file.
  let scenarioName: string;
  if (typeof opts.scenario === 'string') {
    const path = resolveScenarioRef(opts.scenario);
    scenario = loadScenarioFile(path, opts.scenario);
    file ??= relative(process.cwd(), path) || path;
    scenarioName = scenario.name ?? scenarioNameOf(path);
  } else {
    scenario = opts.scenario;
    scenarioName = scenario.name ?? 'scenario';
  }
  const wall = opts.wall ?? systemWall;
  const tz = scenario.account.timezone;
  const seed = opts.seed ?? scenario.seed;
  const config = deliveryConfig(deliverySettings(scenario.delivery));
  // Checked with or without --sink, as serve and the library check every scenario they load.
  scenarioSinkSettings(scenario.receiver);
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
  if (opts.sink) sink = await startLocalSink(scenario.receiver ?? {}, wall);
  const targetFor = (type: CallbackType): string | undefined =>
    opts.targets?.[type] ?? opts.target ?? (sink ? `${sink.url}/${type}` : undefined);

  const campaigns = scenario.templates.map((t) =>
    createCampaign({
      scenario,
      templateId: t.id,
      // One workflow per template, each the first of its template: the seed a trigger gives it.
      seed: workflowSeed(seed, { scenario: scenarioName, template: t.id, position: 0 }),
      startTime,
    }),
  );
  const delivery = createDeliveryService({
    clock,
    ...(opts.send ? { send: opts.send } : {}),
    policy: config.policy,
    signing: config.signing,
    encryption: config.encryption,
    chaos: config.chaos,
    seed,
    debugHeaders: opts.debugHeaders ?? true,
    wall,
    ...(opts.onEvent ? { onEvent: opts.onEvent } : {}),
  });
  const route = (m: OutboundMessage): DeliveryInput => ({ ...m, url: targetFor(m.type) ?? m.url });

  const startWall = wall.epoch();
  let lastEvent = startTime;
  try {
    const runner = startRunner({
      clock,
      campaigns,
      delivery,
      route,
      onCampaignEvent: (e) => {
        lastEvent = Math.max(lastEvent, e.at);
        opts.onCampaignEvent?.(e);
      },
    });
    await runner.done;
    const deliveries = delivery.list();
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
    delivery.close();
    clock.close();
    await sink?.close();
  }
}
