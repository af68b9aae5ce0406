/**
 * What a campaign is built from, resolved once from its options before its first step: the
 * template, the seed and start time, the workflow's ids and node tasks (from the workflow's own
 * random stream, in a fixed order), the dial model and the initial list.
 */
import { createWindowCalendar, type WindowCalendar } from '../core/cron-calendar.ts';
import { hexId } from '../core/ids.ts';
import { parseVendorTime } from '../core/vendor-time.ts';
import type { Business, CallNodeSpec, Scenario, TemplateSpec } from '../scenario/types.ts';
import { contactGenerator, type GenerateContext } from './contacts.ts';
import type { BusinessLine, DialContext } from './dial.ts';
import { DEFAULT_QUESTIONS, prepareQuestions, type PreparedQuestion } from './info-check.ts';
import { profileFor, type Language, type LocaleProfile } from './locale-profile.ts';
import { resolveModel, type Model } from './model.ts';
import { localeText, Rng, STREAM, streamSeed } from './rng.ts';
import { createTimeFormatter, type TimeFormatter } from './time-format.ts';
import { createCalleeClock } from './callee-time.ts';
import type { CallTask, NodeTask, WorkflowInfo } from './payloads/context.ts';
import type { CampaignOptions, ContactInput } from './types.ts';

/** The rows a campaign starts with, and how to admit them. */
export interface InitialList {
  rows: ContactInput[];
  /** `detail_source` of the rows (`api` unless the scenario's generator says otherwise). */
  detailSource: string;
  /** Rows from this index on were generated here (not shared with the caller). */
  generatedFrom: number;
  /**
   * The scenario's generated rows, after `rows` (indices `generatedFrom` ..): made one by one as
   * the campaign reaches them, so a large list is never held whole.
   */
  generated?: { count: number; row: (index: number) => ContactInput };
}

export interface CampaignSetup {
  template: TemplateSpec;
  seed: number;
  startTime: number;
  business: Business;
  /** The run's generator: re-seeded per unit of work (src/engine/rng.ts). */
  rng: Rng;
  model: Model;
  /** The Info Check questions as sent (null for other business lines). */
  questions: PreparedQuestion[] | null;
  /** Info Check pushes carry `asr_ptp` / `asr_result` (default false: the push page's text). */
  infoCheckPushAsr: boolean;
  /** Finish the workflow once every row is done. */
  autoFinish: boolean;
  /** Clock ms between two rows' first steps (pacing.calls_per_minute). */
  interval: number;
  /**
   * `pacing.closed_window: pause`: the first call node's calling window, outside which the pacer
   * stands still; null (`queue`, or no call node): slots keep coming by the clock.
   */
  pacingWindow: WindowCalendar | null;
  workflowId: string;
  workflowName: string;
  wf: WorkflowInfo;
  nodes: NodeTask[];
  /** Each Voicebot Call node's calling window, by node index. */
  calendars: Map<number, WindowCalendar>;
  dialCtx: DialContext;
  initial: InitialList;
}

export function pickTemplate(templates: TemplateSpec[], id: string | undefined): TemplateSpec {
  if (id === undefined) return templates[0]!;
  const t = templates.find((x) => x.id === id);
  if (!t) throw new Error(`unknown template "${id}" (known: ${templates.map((x) => x.id).join(', ')})`);
  return t;
}

function startTimeOf(opts: CampaignOptions, scenario: Scenario): number {
  const startTime =
    opts.startTime ??
    (scenario.start_time !== undefined
      ? parseVendorTime(scenario.start_time, scenario.account.timezone)
      : null);
  if (startTime === null || startTime === undefined || !Number.isFinite(startTime)) {
    throw new Error('createCampaign: startTime is required (or set start_time in the scenario)');
  }
  return startTime;
}

/** The template's business line; Info Check prepares its questions (escaped as asked). */
function businessLine(opts: CampaignOptions, template: TemplateSpec, language: Language): BusinessLine {
  const business = template.business;
  if (business !== 'info_check') return { business, questions: null };
  const escape = opts.questionContentEscape ?? opts.scenario.question_content_escape ?? true;
  return { business, questions: prepareQuestions(template.questions ?? DEFAULT_QUESTIONS, escape, language) };
}

/**
 * The model of each (outcomes, business): resolving it is a good part of building a campaign and
 * every workflow of a template resolves the same one. Scenarios are never changed once loaded, and
 * a Model is only read, so campaigns can share it (WeakMap: it goes with its scenario).
 */
const models = new WeakMap<object, Map<Business, Model>>();
const DEFAULT_OUTCOMES = {};

function modelOf(business: Business, outcomes: Scenario['outcomes']): Model {
  const key = outcomes ?? DEFAULT_OUTCOMES;
  let byBusiness = models.get(key);
  if (!byBusiness) {
    byBusiness = new Map();
    models.set(key, byBusiness);
  }
  let model = byBusiness.get(business);
  if (!model) {
    model = resolveModel(business, outcomes);
    byBusiness.set(business, model);
  }
  return model;
}

export function setupCampaign(opts: CampaignOptions): CampaignSetup {
  const scenario = opts.scenario;
  const template = pickTemplate(scenario.templates, opts.templateId);
  const seed = (opts.seed ?? scenario.seed) >>> 0;
  const startTime = startTimeOf(opts, scenario);
  const business = template.business;
  const profile = profileFor(scenario.account.locale);
  const currency = scenario.account.currency ?? profile.currency;
  const fmt = createTimeFormatter(scenario.account.timezone);
  const rng = new Rng(seed);
  const text = localeText(scenario.account.locale);
  const model: Model = modelOf(business, scenario.outcomes);
  const line = businessLine(opts, template, profile.language);

  // Workflow-level ids and node tasks, from their own stream (the id first, when it is drawn).
  rng.seed(streamSeed(seed, STREAM.workflow));
  const workflowId = opts.workflowId ?? hexId(rng);
  const workflowName =
    opts.workflowName ?? scenario.workflow_name ?? `${scenario.name ?? 'scenario'}-${seed}`;
  const calleeFmt = createCalleeClock(template.callee_timezone, fmt);
  const wf: WorkflowInfo = { workflowId, workflowName, fmt, calleeFmt };
  const { nodes, calendars } = planNodes(template, {
    rng,
    scenario,
    profile,
    fmt,
    workflowName,
    startTime,
    endTime: opts.endTime,
  });

  const dialCtx: DialContext = {
    ...line,
    rng,
    text,
    seed,
    model,
    profile,
    fmt,
    currency,
    agent: template.robot?.agent_name ?? profile.agent,
    company: template.robot?.company ?? '',
  };
  const initial = initialList(opts, { rng, text, seed, business, profile, currency, startTime, fmt });
  return {
    template,
    seed,
    startTime,
    business,
    rng,
    model,
    questions: line.questions,
    infoCheckPushAsr: opts.infoCheckPushAsr ?? scenario.info_check_push_asr ?? false,
    autoFinish: opts.autoFinish ?? true,
    interval: 60_000 / (scenario.pacing?.calls_per_minute ?? 60),
    pacingWindow: pacingWindowOf(scenario, nodes, calendars),
    workflowId,
    workflowName,
    wf,
    nodes,
    calendars,
    dialCtx,
    initial,
  };
}

/** The window pacing waits for under `closed_window: pause`: the first call node's (not nodes[0]'s). */
function pacingWindowOf(
  scenario: Scenario,
  nodes: NodeTask[],
  calendars: Map<number, WindowCalendar>,
): WindowCalendar | null {
  if (scenario.pacing?.closed_window !== 'pause') return null;
  const first = nodes.find((n) => n.kind === 'voicebot_call');
  return first ? calendars.get(first.nodeIndex)! : null;
}

interface NodePlanContext {
  /** Seeded to the workflow stream; draws the node ids in node order. */
  rng: Rng;
  scenario: Scenario;
  profile: LocaleProfile;
  fmt: TimeFormatter;
  workflowName: string;
  startTime: number;
  /** createinstance end_time, when given. */
  endTime: number | undefined;
}

/** The template's nodes as this workflow's tasks, with each call node's calling window. */
function planNodes(
  template: TemplateSpec,
  ctx: NodePlanContext,
): { nodes: NodeTask[]; calendars: Map<number, WindowCalendar> } {
  const calendars = new Map<number, WindowCalendar>();
  let callCount = 0;
  const nodes = template.nodes.map((spec, nodeIndex): NodeTask => {
    if (spec.type === 'api') {
      return {
        kind: 'api',
        nodeIndex,
        spec,
        nodeId: hexId(ctx.rng),
        name: spec.name ?? `API${nodeIndex + 1}`,
      };
    }
    callCount++;
    const windows =
      spec.calling_window === undefined ? ['* * * * *'] : ([] as string[]).concat(spec.calling_window);
    const calendar = createWindowCalendar(windows, ctx.scenario.account.timezone);
    calendars.set(nodeIndex, calendar);
    return callTask(spec, nodeIndex, spec.name ?? `Voicebot Call${callCount}`, calendar, ctx);
  });
  return { nodes, calendars };
}

/** A Voicebot Call node's outbound task: its ids and names (drawn in this order), caller, schedule. */
function callTask(
  spec: CallNodeSpec,
  nodeIndex: number,
  name: string,
  calendar: WindowCalendar,
  ctx: NodePlanContext,
): CallTask {
  const { rng, fmt } = ctx;
  const scheduleStart = calendar.nextOpen(ctx.startTime);
  const scheduleEnd = ctx.endTime ?? calendar.closesAt(scheduleStart);
  const nodetaskName = `${name}_${hexId(rng, 6)}`;
  const callers = ctx.scenario.account.caller_numbers;
  return {
    kind: 'voicebot_call',
    nodeIndex,
    spec,
    nodetaskId: hexId(rng),
    nodetaskName,
    taskId: hexId(rng),
    taskName: `wf_${ctx.workflowName}_${name}_${hexId(rng, 6)}`,
    robotHash: spec.robot_hash ?? hexId(rng),
    robotMethod: spec.robot_method ?? 'single',
    callerNumber: callers && callers.length > 0 ? rng.pick(callers) : ctx.profile.landline(rng),
    createdAt: fmt.time(ctx.startTime),
    scheduleStart: fmt.time(scheduleStart),
    scheduleEnd: fmt.time(Math.max(scheduleEnd, scheduleStart)),
  };
}

/** The list: the explicit rows of the options, else the scenario's rows then its generated ones. */
function initialList(opts: CampaignOptions, generate: GenerateContext): InitialList {
  if (opts.contacts) return { rows: opts.contacts, detailSource: 'api', generatedFrom: Infinity };
  const rows = [...(opts.scenario.contacts.rows ?? [])];
  const g = opts.scenario.contacts.generate;
  if (!g) return { rows, detailSource: 'api', generatedFrom: Infinity };
  const generatedFrom = rows.length;
  return {
    rows,
    detailSource: g.detail_source ?? 'api',
    generatedFrom,
    generated: { count: g.count, row: contactGenerator(g, generate, generatedFrom) },
  };
}
