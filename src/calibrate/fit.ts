/**
 * Observations of one (business line, country) group → a scenario whose outcome model reproduces
 * them, and the notes that say what each setting was fitted from and how closely. Shares become
 * weights (percent of what was observed), durations become empirical quantile buckets
 * (`distribution` in the scenario schema). Nothing identifying is copied: labels longer than
 * four characters are renamed and descriptions rebuilt unless `keepLabels` asks for the
 * configuration vocabulary verbatim.
 */
import { zoneOfCountry } from '../core/callee-zone.ts';
import { PROFILES } from '../engine/locale-profile.ts';
import { DEFAULT_INTENTIONS } from '../engine/model.ts';
import type {
  Business,
  CallNodeSpec,
  DialOutcome,
  Distribution,
  IntentionKind,
  IntentionSpec,
  NodeSpec,
  OutcomesSpec,
  Scenario,
  TemplateSpec,
} from '../scenario/types.ts';
import type { AnsweredCall, WorkflowObservations } from './observe.ts';
import { fitDistance, fitDistribution, tally } from './stats.ts';

export interface FitOptions {
  seed: number;
  keepLabels: boolean;
}

export interface Fitted {
  scenario: Scenario;
  /** "what … fitted from … how well" lines for the header. */
  notes: string[];
}

/** Labels this short cannot carry personal data; longer ones are renamed (see keepLabels). */
const SAFE_LABEL = /^[A-Za-z0-9_-]{1,4}$/;

const pct = (n: number, of: number): number => (of === 0 ? 0 : Math.round((10000 * n) / of) / 100);
const share = (n: number, of: number): string => `${pct(n, of).toFixed(2)}%`;
/** Standard error of a share, in percentage points. */
const se = (n: number, of: number): string => {
  const p = of === 0 ? 0 : n / of;
  return `±${(100 * Math.sqrt((p * (1 - p)) / Math.max(1, of))).toFixed(2)} pp s.e.`;
};

/** Merges the observations of a group's workflows. */
export function mergeObservations(list: WorkflowObservations[]): WorkflowObservations {
  const out = { ...list[0]!, evidence: new Set<string>(), types: {} } as WorkflowObservations;
  const arrays = [
    'dials',
    'ringAnswered',
    'ringUnanswered',
    'ringFailed',
    'unansweredHangups',
    'noAnswerLabels',
    'answered',
    'callTimes',
    'redialDelays',
    'repeatNumbers',
    'repeatIntervals',
    'nextNumberGaps',
    'rowStarts',
    'paceGaps',
    'numbersPerRow',
    'numbersPerUnansweredRow',
    'countries',
  ] as const;
  for (const k of arrays)
    (out as unknown as Record<string, unknown[]>)[k] = list.flatMap((o) => o[k] as unknown[]);
  for (const o of list) {
    for (const [t, n] of Object.entries(o.types))
      out.types[t as keyof typeof out.types] = (out.types[t as keyof typeof out.types] ?? 0) + n;
    for (const e of o.evidence) out.evidence.add(e);
  }
  out.byPosition = [];
  for (const o of list) o.byPosition.forEach((xs, i) => (out.byPosition[i] ??= []).push(...xs));
  out.apiNode = list.some((o) => o.apiNode);
  out.firstTime = Math.min(...list.map((o) => o.firstTime));
  out.lastTime = Math.max(...list.map((o) => o.lastTime));
  return out;
}

/** Reports a fitted distribution: the sample size and its largest CDF gap to the fit. */
function distNote(what: string, sample: number[], fit: Distribution): string {
  const kind =
    typeof fit === 'number'
      ? `always ${fit}`
      : 'buckets' in fit
        ? `${fit.buckets.length} quantile buckets`
        : 'range';
  return `${what}: ${sample.length} observations → ${kind} (largest CDF gap ${fitDistance(sample, fit).toFixed(3)})`;
}

export function fitGroup(
  business: Business,
  country: string,
  obs: WorkflowObservations,
  opts: FitOptions,
): Fitted {
  const notes: string[] = [];
  const outcomes: OutcomesSpec = {};
  fitDials(obs, outcomes, notes);
  fitRing(obs, outcomes, notes);
  const kinds = fitIntentions(business, obs, outcomes, notes, opts.keepLabels);
  fitHangups(obs, kinds, outcomes, notes);
  fitNoAnswer(obs, outcomes, notes, opts.keepLabels);
  if (business === 'info_check') fitInfoCheck(obs, kinds, outcomes, notes);
  const node = fitRedials(obs, outcomes, notes);
  const pacing = fitPacing(obs, notes);
  const { locale, timezone } = accountOf(country, notes);
  const name = `calibrated-${business.replace('_', '-')}-${country.toLowerCase()}`;
  const rows = Math.min(100_000, Math.max(1, obs.numbersPerRow.length));
  const perContact = fitNumbers(obs, outcomes, notes);
  const scenario: Scenario = {
    name,
    description: `Calibrated ${business} model (${country}) from recorded callbacks`,
    seed: opts.seed,
    account: { timezone, locale },
    ...(pacing ? { pacing: { calls_per_minute: pacing } } : {}),
    templates: [template(name, business, node, obs)],
    contacts: {
      generate: { count: rows, ...(perContact !== undefined ? { numbers_per_contact: perContact } : {}) },
    },
    outcomes,
  };
  return { scenario, notes };
}

/**
 * Rows that dialled several numbers: a contact's numbers, and the dial weights per number position
 * (`by_number`, the last entry repeating). A row stops at the first number that connects, so how
 * many numbers a contact has shows only on rows no number answered.
 */
function fitNumbers(
  obs: WorkflowObservations,
  o: OutcomesSpec,
  notes: string[],
): number | { min: number; max: number } | undefined {
  if (Math.max(0, ...obs.numbersPerRow) <= 1) return undefined;
  const full = obs.numbersPerUnansweredRow.length > 0 ? obs.numbersPerUnansweredRow : obs.numbersPerRow;
  const min = Math.min(...full);
  const max = Math.max(...full);
  o.by_number = obs.byPosition.map((dials) => weightsOf(dials));
  delete o.dial;
  const mix = tally(full.map(String)).sort((a, b) => Number(a[0]) - Number(b[0]));
  notes.push(
    `numbers per contact (rows no number answered): ${mix.map(([k, c]) => `${k}: ${share(c, full.length)}`).join(', ')} → ${min === max ? min : `range ${min}–${max} (uniform)`}`,
    `by_number: ${obs.byPosition.map((d, i) => `number ${i + 1} answered ${share(d.filter((x) => x === 'answered').length, d.length)} of ${d.length} dials`).join('; ')}`,
  );
  return min === max ? min : { min, max };
}

function weightsOf(dials: DialOutcome[]): Partial<Record<DialOutcome, number>> {
  const out: Partial<Record<DialOutcome, number>> = {};
  for (const [outcome, c] of tally(dials)) out[outcome as DialOutcome] = pct(c, dials.length);
  return out;
}

function fitDials(obs: WorkflowObservations, o: OutcomesSpec, notes: string[]): void {
  const n = obs.dials.length;
  if (n === 0) return;
  o.dial = weightsOf(obs.dials);
  const answered = obs.dials.filter((d) => d === 'answered').length;
  const numbers = obs.callTimes.length;
  notes.push(
    `dial outcomes: ${n} dials (from ${obs.dialSource}); answered ${share(answered, n)} per dial (${se(answered, n)})`,
    `connect rate per number: ${share(obs.answered.length, numbers)} of ${numbers} numbers`,
  );
  const unanswered = obs.dials.filter((d) => d !== 'answered');
  if (unanswered.length > 0) {
    const mix = tally(unanswered).map(([k, c]) => `${k} ${share(c, unanswered.length)}`);
    notes.push(`ring_type of unanswered dials: ${mix.join(', ')}`);
  }
}

function fitRing(obs: WorkflowObservations, o: OutcomesSpec, notes: string[]): void {
  const ring: NonNullable<OutcomesSpec['ring_time_s']> = {};
  if (obs.ringAnswered.length > 0) {
    ring.answered = fitDistribution(obs.ringAnswered);
    notes.push(distNote('ring_time_s.answered', obs.ringAnswered, ring.answered));
  }
  if (obs.ringUnanswered.length > 0) {
    const rang = obs.ringUnanswered.filter((r) => r > 0);
    ring.unanswered_zero_share = Math.round((1 - rang.length / obs.ringUnanswered.length) * 10000) / 10000;
    ring.unanswered = rang.length > 0 ? fitDistribution(rang) : 0;
    notes.push(
      `ring_time_s.unanswered: ${share(obs.ringUnanswered.length - rang.length, obs.ringUnanswered.length)} of ${obs.ringUnanswered.length} normal no-answers report 0`,
    );
    if (rang.length > 0) notes.push(distNote('ring_time_s.unanswered (non-zero)', rang, ring.unanswered));
  }
  if (obs.ringFailed.length > 0) {
    ring.failed = fitDistribution(obs.ringFailed);
    notes.push(distNote('ring_time_s.failed', obs.ringFailed, ring.failed));
  }
  if (Object.keys(ring).length > 0) o.ring_time_s = ring;
}

/** What a description says, in the emulator's kinds (checked in this order). */
const KIND_WORDS: [RegExp, IntentionKind][] = [
  [/no voice|silen|no answer|mute/i, 'silent'],
  [/wrong/i, 'wrong_person'],
  [/promise|ptp|janji/i, 'ptp'],
  [/already paid|paid|lunas/i, 'paid'],
  [/not interest/i, 'not_interested'],
  [/interest/i, 'interested'],
  [/cancel/i, 'cancel'],
  [/confirm/i, 'confirm'],
  [/verif/i, 'verified'],
  [/refus/i, 'refuse'],
  [/later|call ?back/i, 'later'],
];
const SLOT_KINDS: [string, IntentionKind][] = [
  ['PaymentTime', 'ptp'],
  ['cancel_reason', 'cancel'],
  ['receivetime', 'confirm'],
  ['channel', 'interested'],
  ['CallbackTime', 'later'],
  ['PaymentMethod', 'paid'],
];

/** The emulator kind of an intention, and what decided it. */
function kindOf(
  business: Business,
  label: string,
  description: string,
  calls: AnsweredCall[],
): [IntentionKind, string] {
  const known = DEFAULT_INTENTIONS[business].find((d) => d.label === label && d.description === description);
  if (known?.kind) return [known.kind, 'the built-in default of this label and description'];
  const word = KIND_WORDS.find(([re]) => re.test(description));
  if (word) return [word[1], 'its description'];
  const keys = new Set(calls.flatMap((c) => c.slotKeys));
  const slot = SLOT_KINDS.find(([k]) => keys.has(k));
  if (slot) return [slot[1], `its slot ${slot[0]}`];
  if (calls.every((c) => c.talkRound <= 1)) return ['silent', 'talk_round 1 on every call'];
  return ['later', 'nothing telling (default)'];
}

/** Fits the intentions; answers each recorded label's kind (for the hang-up fit). */
function fitIntentions(
  business: Business,
  obs: WorkflowObservations,
  o: OutcomesSpec,
  notes: string[],
  keepLabels: boolean,
): Map<string, IntentionKind> {
  const kinds = new Map<string, IntentionKind>();
  const byLabel = new Map<string, AnsweredCall[]>();
  for (const a of obs.answered) byLabel.set(a.label, [...(byLabel.get(a.label) ?? []), a]);
  const n = obs.answered.length;
  if (n === 0) return kinds;
  let renamed = 0;
  const intentions: IntentionSpec[] = [];
  for (const [label, calls] of [...byLabel].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const description = tally(calls.map((c) => c.description))[0]![0];
    const [kind, why] = kindOf(business, label, description, calls);
    kinds.set(label, kind);
    const safe = keepLabels || SAFE_LABEL.test(label) ? label : `L${++renamed}`;
    const talk = calls.map((c) => c.talk);
    const rounds = calls.map((c) => c.talkRound);
    const spec: IntentionSpec = {
      label: safe,
      description: keepLabels && description ? description : `${safe} (${kind})`,
      weight: pct(calls.length, n),
      kind,
      talk_time_s: fitDistribution(talk),
      talk_rounds: fitDistribution(rounds.map((r) => Math.max(1, r))),
    };
    if (keepLabels) {
      const labels = calls.find((c) => Object.keys(c.eventLabels).length > 0)?.eventLabels;
      if (labels) spec.event_labels = labels;
    }
    intentions.push(spec);
    notes.push(
      `intention ${safe}: ${share(calls.length, n)} of ${n} answered calls (${se(calls.length, n)}); kind ${kind} from ${why}`,
      `  ${distNote(`talk_time_s of ${safe}`, talk, spec.talk_time_s!)}`,
    );
  }
  if (renamed > 0)
    notes.push(`${renamed} label(s) longer than 4 characters renamed L1…; --keep-labels copies them`);
  o.intentions = intentions;
  return kinds;
}

/**
 * Who hangs up: answered calls whose hang-up the engine does not decide itself (silent calls toss
 * a coin, an Info Check "Hangup" answer means ByCallee).
 */
function fitHangups(
  obs: WorkflowObservations,
  kinds: Map<string, IntentionKind>,
  o: OutcomesSpec,
  notes: string[],
): void {
  const free = obs.answered.filter(
    (a) =>
      kinds.get(a.label) !== 'silent' && !a.hungUp && (a.hangup === 'ByCallee' || a.hangup === 'ByRobot'),
  );
  if (free.length > 0) {
    const callee = free.filter((a) => a.hangup === 'ByCallee').length;
    o.hangup = { ByCallee: pct(callee, free.length), ByRobot: pct(free.length - callee, free.length) };
    notes.push(
      `hangup_type of answered calls: ByCallee ${share(callee, free.length)} of ${free.length} (${se(callee, free.length)}; silent calls and Info Check hang-ups left out: the engine decides those)`,
    );
  }
  const [top] = tally(obs.unansweredHangups.filter((h) => h === 'ByCallee' || h === 'ByRobot'));
  if (top) {
    o.unanswered_hangup = top[0] as 'ByCallee' | 'ByRobot';
    notes.push(
      `hangup_type of unanswered dials: ${top[0]} on ${share(top[1], obs.unansweredHangups.length)} (the model takes one value)`,
    );
  }
}

function fitNoAnswer(obs: WorkflowObservations, o: OutcomesSpec, notes: string[], keepLabels: boolean): void {
  const [top] = tally(obs.noAnswerLabels);
  if (!top) return;
  const [label, description] = top[0].split('\u0000') as [string, string];
  if (label === 'F' || label === '') return;
  const safe = keepLabels || SAFE_LABEL.test(label) ? label : 'NA';
  o.no_answer = { label: safe, description: keepLabels && description ? description : `${safe} (no answer)` };
  notes.push(`no-answer label: ${safe} on ${share(top[1], obs.noAnswerLabels.length)} of unanswered dials`);
}

function fitInfoCheck(
  obs: WorkflowObservations,
  kinds: Map<string, IntentionKind>,
  o: OutcomesSpec,
  notes: string[],
): void {
  const answers = tally(obs.answered.flatMap((a) => a.answers));
  const total = answers.reduce((a, [, c]) => a + c, 0);
  const verified = obs.answered.filter((a) => kinds.get(a.label) === 'verified');
  const hungUp = verified.filter((a) => a.hungUp).length;
  o.info_check = {};
  if (total > 0) {
    o.info_check.answers = Object.fromEntries(answers.map(([q, c]) => [q, pct(c, total)]));
    notes.push(
      `Info Check answers: ${answers.map(([q, c]) => `${q} ${share(c, total)}`).join(', ')} of ${total} open answers`,
    );
  }
  if (verified.length > 0) {
    o.info_check.hangup_rate = Math.round((hungUp / verified.length) * 10000) / 10000;
    notes.push(
      `Info Check hang-up during the questions: ${share(hungUp, verified.length)} of ${verified.length} verified calls`,
    );
  }
}

function fitRedials(obs: WorkflowObservations, o: OutcomesSpec, notes: string[]): CallNodeSpec {
  const maxCalls = Math.max(1, ...obs.callTimes);
  const repeatNumber = Math.min(
    20,
    obs.repeatNumbers.length > 0 ? Math.max(...obs.repeatNumbers) : maxCalls - 1,
  );
  let interval = tally(obs.repeatIntervals.map(String))[0]?.[0];
  let delays = obs.redialDelays;
  if (interval === undefined) {
    // Pushes do not print repeat_interval: the whole minutes every gap holds.
    const whole = delays.length > 0 ? Math.floor(Math.min(...delays) / 60) : 0;
    interval = String(whole);
    delays = delays.map((d) => d - whole * 60);
  }
  const calls = tally(obs.callTimes.map(String)).sort((a, b) => Number(a[0]) - Number(b[0]));
  notes.push(
    `redials: repeat_number ${repeatNumber} (${obs.repeatNumbers.length > 0 ? 'as printed' : 'most dials of a number − 1'}), repeat_interval ${interval} min; dials per number ${calls.map(([k, c]) => `${k}: ${share(c, obs.callTimes.length)}`).join(', ')}`,
  );
  const positive = delays.map((d) => Math.max(0, d));
  if (positive.length > 0) {
    o.redial_delay_s = fitDistribution(positive);
    notes.push(distNote('redial_delay_s (gap − repeat_interval)', positive, o.redial_delay_s));
  }
  if (obs.nextNumberGaps.length > 0) {
    o.next_number_delay_s = fitRange(obs.nextNumberGaps);
    notes.push(`next_number_delay_s: range of ${obs.nextNumberGaps.length} gaps between a row's numbers`);
  }
  return {
    type: 'voicebot_call',
    robot_id: 'calibrated',
    sip_line: 'CALIBRATED_LINE',
    repeat_number: repeatNumber,
    repeat_interval: Math.min(10080, Number(interval)),
  };
}

/** next_number_delay_s takes a range only. */
function fitRange(xs: number[]): { min: number; max: number } {
  return { min: Math.max(0, Math.min(...xs)), max: Math.max(0, ...xs) };
}

/**
 * Rows per minute from the spacing of the rows' first dials within each workflow; gaps far above
 * the usual one (a closed calling window) are left out.
 */
function fitPacing(obs: WorkflowObservations, notes: string[]): number | undefined {
  const gaps = obs.paceGaps.filter((g) => g >= 0);
  if (gaps.length === 0) return undefined;
  const sorted = [...gaps].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  // Rows held back by a closed window start together (gap 0): unless rows come faster than
  // one a second, those say nothing about the pace.
  const kept = gaps.filter((g) => g <= Math.max(60, 10 * median) && (median === 0 || g > 0));
  const mean = kept.reduce((a, b) => a + b, 0) / kept.length;
  if (mean <= 0) return undefined;
  const cpm = Math.round((60 / mean) * 100) / 100;
  notes.push(`pacing: ${cpm} rows per minute (mean of ${kept.length} gaps between rows' first dials)`);
  return cpm;
}

function accountOf(
  country: string,
  notes: string[],
): { locale: Scenario['account']['locale']; timezone: string } {
  const profile = Object.values(PROFILES).find((p) => p.country === country);
  const locale = (profile?.locale ?? 'en_US') as Scenario['account']['locale'];
  const timezone = zoneOfCountry(country) ?? zoneOfCountry(profile?.country ?? 'US') ?? 'UTC';
  notes.push(
    `account: locale ${locale}${profile ? '' : ` (no locale for ${country}: en_US)`}, time zone ${timezone} (from the callees' country)`,
  );
  return { locale, timezone };
}

function template(
  name: string,
  business: Business,
  call: CallNodeSpec,
  obs: WorkflowObservations,
): TemplateSpec {
  const nodes: NodeSpec[] = [call];
  if (obs.apiNode) nodes.push({ type: 'api' });
  const url = `http://127.0.0.1:4010/__emulator/sink/${name}`;
  const callbacks: TemplateSpec['callbacks'] = {};
  callbacks[business === 'info_check' ? 'call-completion-info-check' : 'call-completion'] = { url };
  if (obs.apiNode) callbacks['custom-api-node-push'] = { url };
  if (obs.types['list-completion']) callbacks['list-completion'] = { url };
  if (obs.types['workflow-status-change']) callbacks['workflow-status-change'] = { url };
  return { id: 'calibrated', business, nodes, callbacks };
}
