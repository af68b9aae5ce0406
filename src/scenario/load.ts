/**
 * Load a scenario file: YAML (positions kept) → JSON Schema (schemas/scenario.schema.json, via the
 * shared registry) → semantic checks the schema cannot express (cron syntax, time zone, template
 * ids, variable references). Every problem is reported as `file:line:col: path message`.
 *
 * The shipped scenarios (scenarios/*.yaml) are also kept parsed in src/generated/scenarios.json
 * (scripts/gen-scenarios.ts): a shipped file whose text still has the sha256 recorded there is
 * answered from it, without loading `yaml` or validating again. Any other file, or a shipped file
 * edited since (or a missing cache), is parsed as usual.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { SCENARIO_CACHE, SCENARIO_DIR } from '../assets.ts';
import { validate } from '../contract/registry.ts';
import { isKnownZone } from '../core/callee-zone.ts';
import { cronProblem } from '../core/cron-calendar.ts';
import { parseYamlDocument, readTextFile, TextFileTooLarge, yamlValue } from '../core/text-files.ts';
import { parseVendorTime } from '../core/vendor-time.ts';
import { deliveryProblems } from './delivery-check.ts';
import { formatPath, positionOf, type PathSegment } from './positions.ts';
import { resolveScenarioRef, scenarioNameOf } from './refs.ts';
import { describeSchemaErrors } from './schema-issues.ts';
import type { Distribution, Scenario } from './types.ts';

export interface ScenarioIssue {
  file: string;
  line: number;
  col: number;
  /** Dotted path of the offending key, e.g. `templates[0].nodes[1].repeat_number`. */
  path: string;
  message: string;
}

export function formatIssue(i: ScenarioIssue): string {
  return `${i.file}:${i.line}:${i.col}: ${i.path === '' ? '' : `${i.path} `}${i.message}`;
}

export class ScenarioError extends Error {
  readonly issues: ScenarioIssue[];
  constructor(issues: ScenarioIssue[]) {
    super(issues.map(formatIssue).join('\n'));
    this.name = 'ScenarioError';
    this.issues = issues;
  }
}

export type ScenarioCheck = { ok: true; scenario: Scenario } | { ok: false; issues: ScenarioIssue[] };

function rangeProblem(r: Distribution | undefined): string | null {
  if (r === undefined || typeof r === 'number') return null;
  if (!('buckets' in r)) return r.min > r.max ? `min (${r.min}) must not exceed max (${r.max})` : null;
  const bad = r.buckets.findIndex((b) => b.min > b.max);
  if (bad >= 0)
    return `buckets[${bad}]: min (${r.buckets[bad]!.min}) must not exceed max (${r.buckets[bad]!.max})`;
  return r.buckets.reduce((a, b) => a + b.weight, 0) > 0 ? null : 'bucket weights must add up to more than 0';
}

/** The account zone, and each template's `callee_timezone` and row's `timezone`: IANA names. */
function zoneProblems(s: Scenario): [PathSegment[], string][] {
  const out: [PathSegment[], string][] = [];
  if (!isKnownZone(s.account.timezone)) {
    out.push([['account', 'timezone'], `is not a known IANA time zone ("${s.account.timezone}")`]);
  }
  const check = (path: PathSegment[], zone: string | undefined): void => {
    if (zone === undefined || zone === 'auto' || zone === 'account' || isKnownZone(zone)) return;
    out.push([path, `is not auto, account or a known IANA time zone ("${zone}")`]);
  };
  s.templates.forEach((t, ti) => check(['templates', ti, 'callee_timezone'], t.callee_timezone));
  (s.contacts.rows ?? []).forEach((r, ri) => check(['contacts', 'rows', ri, 'timezone'], r.timezone));
  return out;
}

/** Checks beyond the schema. Returns [path segments, message] pairs. */
function semanticProblems(s: Scenario): [PathSegment[], string][] {
  const out: [PathSegment[], string][] = zoneProblems(s);
  if (s.start_time !== undefined && parseVendorTime(s.start_time, 'UTC') === null) {
    out.push([['start_time'], `is not a valid time ("${s.start_time}")`]);
  }
  const ids = new Set<string>();
  s.templates.forEach((t, ti) => {
    if (ids.has(t.id)) out.push([['templates', ti, 'id'], `duplicates template id "${t.id}"`]);
    ids.add(t.id);
    if (!t.nodes.some((n) => n.type === 'voicebot_call')) {
      out.push([['templates', ti, 'nodes'], 'needs at least one voicebot_call node']);
    }
    const firstCall = t.nodes.findIndex((n) => n.type === 'voicebot_call');
    t.nodes.forEach((n, ni) => {
      if (n.type === 'api' && firstCall >= 0 && ni < firstCall) {
        out.push([
          ['templates', ti, 'nodes', ni],
          'an api node must come after a voicebot_call node (it pushes that call)',
        ]);
      }
      if (n.type !== 'voicebot_call' || n.calling_window === undefined) return;
      const list = Array.isArray(n.calling_window) ? n.calling_window : [n.calling_window];
      list.forEach((expr, ei) => {
        const p = cronProblem(expr);
        const path: PathSegment[] = ['templates', ti, 'nodes', ni, 'calling_window'];
        if (Array.isArray(n.calling_window)) path.push(ei);
        if (p) out.push([path, `is not a valid node-cron expression ("${expr}"): ${p}`]);
      });
    });
    const ic = t.business === 'info_check';
    if (!ic && t.callbacks['call-completion-info-check']) {
      out.push([
        ['templates', ti, 'callbacks', 'call-completion-info-check'],
        'is only sent by info_check templates (use call-completion)',
      ]);
    }
    if (ic && t.callbacks['call-completion']) {
      out.push([
        ['templates', ti, 'callbacks', 'call-completion'],
        'info_check templates send call-completion-info-check instead',
      ]);
    }
    if (t.questions && !ic)
      out.push([['templates', ti, 'questions'], 'only info_check templates have questions']);
  });
  const o = s.outcomes;
  if (o) {
    const weights: [PathSegment[], Record<string, number> | undefined][] = [
      [['outcomes', 'dial'], o.dial],
      [['outcomes', 'hangup'], o.hangup],
      [['outcomes', 'info_check', 'answers'], o.info_check?.answers],
      ...(o.by_number ?? []).map((w, i): [PathSegment[], Record<string, number>] => [
        ['outcomes', 'by_number', i],
        w,
      ]),
    ];
    for (const [path, w] of weights) {
      if (w && Object.values(w).reduce((a, b) => a + b, 0) <= 0)
        out.push([path, 'weights must add up to more than 0']);
    }
    if (o.intentions && o.intentions.reduce((a, b) => a + b.weight, 0) <= 0) {
      out.push([['outcomes', 'intentions'], 'weights must add up to more than 0']);
    }
    const ranges: [PathSegment[], Distribution | undefined][] = [
      [['outcomes', 'talk_rounds'], o.talk_rounds],
      [['outcomes', 'talk_time_s'], o.talk_time_s],
      [['outcomes', 'redial_delay_s'], o.redial_delay_s],
      [['outcomes', 'next_number_delay_s'], o.next_number_delay_s],
      [['outcomes', 'api_delay_s'], o.api_delay_s],
      [['outcomes', 'ring_time_s', 'answered'], o.ring_time_s?.answered],
      [['outcomes', 'ring_time_s', 'unanswered'], o.ring_time_s?.unanswered],
      [['outcomes', 'ring_time_s', 'failed'], o.ring_time_s?.failed],
    ];
    (o.intentions ?? []).forEach((it, i) => {
      ranges.push([['outcomes', 'intentions', i, 'talk_rounds'], it.talk_rounds]);
      ranges.push([['outcomes', 'intentions', i, 'talk_time_s'], it.talk_time_s]);
    });
    for (const [path, r] of ranges) {
      const p = rangeProblem(r);
      if (p) out.push([path, p]);
    }
  }
  if (s.delivery) {
    for (const p of deliveryProblems(s.delivery, 'snake')) out.push([['delivery', ...p.segments], p.message]);
  }
  const g = s.contacts.generate;
  if (g) {
    for (const k of [
      'numbers_per_contact',
      'borrowed_amount',
      'interest',
      'borrowed_days_ago',
      'due_in_days',
      'overdue_days',
    ] as const) {
      const p = rangeProblem(g[k]);
      if (p) out.push([['contacts', 'generate', k], p]);
    }
  }
  return out;
}

/** Parse and validate scenario text; never throws on bad input. */
export function checkScenario(text: string, file = '<scenario>'): ScenarioCheck {
  const parsed = parseYamlDocument(text);
  if ('problems' in parsed) {
    return { ok: false, issues: parsed.problems.map((p) => ({ file, ...p, path: '' })) };
  }
  const { doc, lineCounter } = parsed;
  const expanded = yamlValue(parsed);
  if (!expanded.ok) return { ok: false, issues: [{ file, ...expanded.problem, path: '' }] };
  const value = expanded.value;
  const at = (segments: PathSegment[], message: string): ScenarioIssue => {
    const pos = positionOf(doc, lineCounter, segments);
    return { file, line: pos.line, col: pos.col, path: formatPath(segments), message };
  };
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, issues: [at([], 'a scenario must be a YAML mapping')] };
  }
  const result = validate('scenario', value);
  if (!result.ok) {
    const issues = describeSchemaErrors('scenario', value, result.errors).map((p) => ({
      ...at(p.segments, p.message),
      ...(p.bare ? { path: '' } : {}),
    }));
    issues.sort((a, b) => a.line - b.line || a.col - b.col);
    return { ok: false, issues };
  }
  const scenario = value as Scenario;
  const problems = semanticProblems(scenario);
  if (problems.length > 0) return { ok: false, issues: problems.map(([p, m]) => at(p, m)) };
  if (scenario.name === undefined && file !== '<scenario>') {
    scenario.name = basename(file).replace(/\.ya?ml$/i, '');
  }
  return { ok: true, scenario };
}

/** Parse and validate; throws ScenarioError listing every issue. */
export function parseScenario(text: string, file = '<scenario>'): Scenario {
  const r = checkScenario(text, file);
  if (!r.ok) throw new ScenarioError(r.issues);
  return r.scenario;
}

/**
 * Read and validate a scenario: a path, or the name of a shipped scenario (`collection-ptp`, with
 * or without `.yaml`). `displayName` is used in messages (default: the reference as given). Throws
 * `UnknownScenarioError` (listing the shipped names) for a reference that is neither, and
 * `ScenarioError` for a file that cannot be read or is not a valid scenario. The scenario's `name`
 * defaults to its file name without `.yaml`.
 */
export function loadScenarioFile(ref: string, displayName: string = ref): Scenario {
  const path = resolveScenarioRef(ref);
  let text: string;
  try {
    text = readTextFile(path);
  } catch (err) {
    const why = err instanceof TextFileTooLarge ? err.message : `cannot read: ${(err as Error).message}`;
    throw new ScenarioError([{ file: displayName, line: 1, col: 1, path: '', message: why }]);
  }
  const s = cachedShippedScenario(path, text) ?? parseScenario(text, displayName);
  if (s.name === undefined && displayName !== '<scenario>') s.name = scenarioNameOf(displayName);
  if (s.name === undefined) s.name = scenarioNameOf(path);
  return s;
}

/** src/generated/scenarios.json: per shipped file name, the sha256 of its text and its scenario. */
export interface ScenarioCache {
  note?: string;
  scenarios: Record<string, { sha256: string; scenario: string }>;
}

let cache: ScenarioCache['scenarios'] | undefined;

/** The cache's entries, read on first use (none when the file is missing or unreadable). */
function cacheEntries(): ScenarioCache['scenarios'] {
  if (cache === undefined) {
    try {
      const parsed = JSON.parse(readFileSync(SCENARIO_CACHE, 'utf8')) as Partial<ScenarioCache>;
      cache = parsed.scenarios && typeof parsed.scenarios === 'object' ? parsed.scenarios : {};
    } catch {
      cache = {};
    }
  }
  return cache;
}

/** sha256 (hex) of a scenario file's text, as recorded in the cache. */
export function scenarioTextHash(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * The scenario `text` read from `path` stands for, taken from the cache — a fresh object each
 * call — when `path` is a shipped scenario file and `text` is exactly what the cache was built
 * from; otherwise undefined (parse it). As from `parseScenario(text)`: `name` is left unset when
 * the file has none.
 */
export function cachedShippedScenario(path: string, text: string): Scenario | undefined {
  const full = resolve(path);
  if (dirname(full) !== SCENARIO_DIR) return undefined;
  const entry = Object.hasOwn(cacheEntries(), basename(full)) ? cacheEntries()[basename(full)] : undefined;
  if (entry === undefined || entry.sha256 !== scenarioTextHash(text)) return undefined;
  try {
    return JSON.parse(entry.scenario) as Scenario;
  } catch {
    return undefined;
  }
}
