/**
 * `calibrate`: recorded callbacks → scenarios whose outcome model reproduces them, one per
 * (business line, country) group, plus the drift report. Pure: the CLI command reads the files
 * and writes the results.
 */
import type { Business, Scenario } from '../scenario/types.ts';
import { chooseBusiness, type NamePattern } from './business.ts';
import { driftReport, type DriftReport } from './drift.ts';
import { fitGroup, mergeObservations } from './fit.ts';
import { classify } from './messages.ts';
import { observeWorkflows, type WorkflowObservations } from './observe.ts';
import type { InputProblem, Recorded } from './records.ts';
import { humanTime, renderScenario } from './render.ts';
import { tally } from './stats.ts';

export { parseRecordedText, type InputProblem, type Recorded } from './records.ts';
export { parseNamePattern, BUSINESSES, type NamePattern } from './business.ts';
export { driftLines, hasDrift, type DriftReport } from './drift.ts';
export { ksTwoSample, fitDistribution } from './stats.ts';

export interface CalibrateOptions {
  business?: Business;
  map?: NamePattern[];
  /** Seed written into the scenarios (default 1). */
  seed?: number;
  /** Copy intention labels, descriptions and event labels verbatim (configuration, opt-in). */
  keepLabels?: boolean;
  /** How many files the records came from (for the header). */
  files?: number;
}

export interface CalibratedGroup {
  business: Business;
  country: string;
  scenario: Scenario;
  header: string[];
  yaml: string;
}

export interface Calibration {
  groups: CalibratedGroup[];
  drift: DriftReport;
  /** Records that are no callback (unknown, mixed, not an object). */
  problems: InputProblem[];
}

interface Member {
  obs: WorkflowObservations;
  from: string;
}

export function calibrate(records: Recorded[], opts: CalibrateOptions = {}): Calibration {
  const { messages, problems } = classify(records);
  const drift = driftReport(messages, problems);
  const groups = new Map<string, { business: Business; country: string; members: Member[] }>();
  for (const obs of observeWorkflows(messages).values()) {
    if (obs.dialSource === 'none') continue;
    const choice = chooseBusiness(obs, opts);
    const country = tally(obs.countries)[0]?.[0] ?? 'US';
    const key = `${choice.business}/${country}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { business: choice.business, country, members: [] }));
    g.members.push({ obs, from: choice.from });
  }
  const typeCounts = tally(messages.map((m) => m.type));
  const keys = [...groups.keys()].sort();
  const out = keys.map((key) => {
    const g = groups.get(key)!;
    const merged = mergeObservations(g.members.map((m) => m.obs));
    const fitted = fitGroup(g.business, g.country, merged, {
      seed: opts.seed ?? 1,
      keepLabels: opts.keepLabels ?? false,
    });
    const header = headerOf(g, merged, fitted.notes, {
      messages: messages.length,
      files: opts.files ?? 1,
      typeCounts,
      others: keys.filter((k) => k !== key),
    });
    return {
      business: g.business,
      country: g.country,
      scenario: fitted.scenario,
      header,
      yaml: renderScenario(header, fitted.scenario),
    };
  });
  return { groups: out, drift, problems };
}

function headerOf(
  g: { business: Business; country: string; members: Member[] },
  merged: WorkflowObservations,
  notes: string[],
  input: { messages: number; files: number; typeCounts: [string, number][]; others: string[] },
): string[] {
  const inferred = tally(g.members.map((m) => m.from)).map(
    ([from, n]) => `${from} (${n} workflow${n === 1 ? '' : 's'})`,
  );
  const types = Object.entries(merged.types)
    .sort()
    .map(([t, n]) => `${t} ${n}`);
  const lines = [
    'Fitted by `airudder-emulator calibrate` from recorded callbacks. Distributions only: no ids,',
    'names, numbers, transcripts or variable values were copied.',
    `Input: ${input.messages} callbacks in ${input.files} file(s): ${input.typeCounts.map(([t, n]) => `${t} ${n}`).join(', ')}.`,
    `This group: business ${g.business}, country ${g.country}; ${g.members.length} workflow(s), ${merged.numbersPerRow.length} rows.`,
    `  Messages: ${types.join(', ')}.`,
    `  Business from: ${inferred.join('; ')}. Country from: the dialled numbers' calling codes.`,
  ];
  if (Number.isFinite(merged.firstTime)) {
    lines.push(`  Time range: ${humanTime(merged.firstTime)} – ${humanTime(merged.lastTime)} (vendor time).`);
  }
  if (input.others.length > 0) lines.push(`Other groups in the input: ${input.others.join(', ')}.`);
  lines.push('Fitted (observed → model; a CDF gap is the largest distance between observed and fitted):');
  for (const n of notes) lines.push(`  ${n}`);
  lines.push(
    'Not fitted (left at the defaults): calling windows, Info Check questions, contact data,',
    'PTP amounts and dates, transcripts.',
  );
  return lines;
}
