/**
 * What the recorded callbacks of one workflow say about its outcome model: every dial (outcome,
 * ring time), every answered call (talk, hang-up, label, Info Check answers), every number (dials
 * used, result), the waits between redials and the rows' start times. Identifiers, names, numbers
 * and transcripts are read only to group and classify: nothing here keeps them, except the
 * labels and descriptions the fit decides how to use.
 *
 * The dials come from the call completions when the workflow has any (one per number, with its
 * earlier dials in `redail_call`), else from the Custom API pushes (one per row, every earlier dial
 * of the row in `call.redial_call`): each dial is counted once.
 */
import type { CallbackType } from '../contract/callbacks.ts';
import { schemas } from '../contract/registry.ts';
import { countryOfNumber } from '../core/callee-zone.ts';
import { parseVendorTime } from '../core/vendor-time.ts';
import type { DialOutcome } from '../scenario/types.ts';
import type { Classified } from './messages.ts';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const objs = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter(isObj) : []);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** Info Check answer quality of one open question (scenario `info_check.answers` keys). */
export type AnswerQuality = 'match' | 'mismatch' | 'unclear';

export interface AnsweredCall {
  ring: number;
  talk: number;
  hangup: string;
  label: string;
  description: string;
  talkRound: number;
  /** Names of the call's slots and event labels: hints of the intention's kind. */
  slotKeys: string[];
  eventLabels: Record<string, string>;
  /** Info Check: the open questions' answer qualities, and whether the callee hung up. */
  answers: AnswerQuality[];
  hungUp: boolean;
  infoCheck: boolean;
}

export interface WorkflowObservations {
  workflowName: string;
  types: Partial<Record<CallbackType, number>>;
  /** Messages that were read for the dials (completions, else pushes). */
  dialSource: 'call-completion' | 'custom-api-node-push' | 'none';
  dials: DialOutcome[];
  ringAnswered: number[];
  /** Ring seconds of unanswered dials that rang (ring_type normal). */
  ringUnanswered: number[];
  /** Ring seconds of failed dials (busy, switchoff, …). */
  ringFailed: number[];
  unansweredHangups: string[];
  /** "label\u0000description" of unanswered dials. */
  noAnswerLabels: string[];
  answered: AnsweredCall[];
  /** Dials per number (call_times). */
  callTimes: number[];
  /** Seconds between the end of a dial and its redial, less repeat_interval. */
  redialDelays: number[];
  repeatNumbers: number[];
  repeatIntervals: number[];
  /** Seconds from a row's number to its next number. */
  nextNumberGaps: number[];
  /** Start of each row's first dial (seconds, vendor time read as UTC). */
  rowStarts: number[];
  /** Seconds between consecutive rows' first dials (within one workflow). */
  paceGaps: number[];
  /** Numbers dialled per row. */
  numbersPerRow: number[];
  /** Numbers dialled per row that no number answered (there, every number of the row was dialled). */
  numbersPerUnansweredRow: number[];
  /** Dial outcomes by the position of the number in its row (1st, 2nd, …). */
  byPosition: DialOutcome[][];
  /** Countries of the dialled numbers. */
  countries: string[];
  /** Business evidence: what in the messages points to a line. */
  evidence: Set<string>;
  apiNode: boolean;
  firstTime: number;
  lastTime: number;
}

/** "YYYY-MM-DD HH:mm:ss" → seconds (read as UTC: only differences and the date are used). */
export function vendorSeconds(text: unknown): number | undefined {
  const ms = parseVendorTime(str(text), 'UTC');
  return ms === null ? undefined : ms / 1000;
}

/** The readings of ring_type the schema accepts, to the outcome the scenario names. */
const RING_READINGS: Record<string, DialOutcome> = {
  holdline: 'hold',
  lineswitchoff: 'line',
  holdlineswitchoff: 'hold',
};
// The canonical ring types, as the schemas name them (null is handled apart).
const RING_TYPES: ReadonlySet<unknown> = new Set(
  (schemas().schema('common').$defs as Record<string, { enum: unknown[] }>).ringTypeCanonical!.enum,
);

/** One dial as a callback prints it (a redial entry or the last call). */
interface DialView {
  ringType: unknown;
  ring: number;
  start: number | undefined;
  hangup: string;
  label: string;
  description: string;
  number: string;
  answered: boolean;
}

export function emptyObservations(workflowName: string): WorkflowObservations {
  return {
    workflowName,
    types: {},
    dialSource: 'none',
    dials: [],
    ringAnswered: [],
    ringUnanswered: [],
    ringFailed: [],
    unansweredHangups: [],
    noAnswerLabels: [],
    answered: [],
    callTimes: [],
    redialDelays: [],
    repeatNumbers: [],
    repeatIntervals: [],
    nextNumberGaps: [],
    rowStarts: [],
    paceGaps: [],
    numbersPerRow: [],
    numbersPerUnansweredRow: [],
    byPosition: [],
    countries: [],
    evidence: new Set(),
    apiNode: false,
    firstTime: Infinity,
    lastTime: -Infinity,
  };
}

/** Observations of each workflow (by workflow_id) in the messages. */
export function observeWorkflows(messages: Classified[]): Map<string, WorkflowObservations> {
  const byWorkflow = new Map<string, Classified[]>();
  for (const m of messages) {
    const id = str(m.value.workflow_id) || '(no workflow_id)';
    let list = byWorkflow.get(id);
    if (!list) byWorkflow.set(id, (list = []));
    list.push(m);
  }
  const out = new Map<string, WorkflowObservations>();
  for (const [id, list] of byWorkflow) out.set(id, observeWorkflow(list));
  return out;
}

function observeWorkflow(list: Classified[]): WorkflowObservations {
  const obs = emptyObservations(str(list[0]!.value.workflow_name));
  for (const m of list) obs.types[m.type] = (obs.types[m.type] ?? 0) + 1;
  const completions = list.filter(
    (m) => m.type === 'call-completion' || m.type === 'call-completion-info-check',
  );
  const pushes = list.filter((m) => m.type === 'custom-api-node-push');
  obs.apiNode = pushes.length > 0;
  for (const m of list) noteEvidence(obs, m);
  const rows: Rows = new Map();
  if (completions.length > 0) {
    obs.dialSource = 'call-completion';
    completions.forEach((m, i) => observeCompletion(obs, m.value, rows, i));
  } else if (pushes.length > 0) {
    obs.dialSource = 'custom-api-node-push';
    pushes.forEach((m, i) => observePush(obs, m.value, rows, i));
  }
  const rowFirst: number[] = [];
  for (const row of rows.values()) noteRowShape(obs, row, rowFirst);
  obs.rowStarts = rowFirst.sort((a, b) => a - b);
  obs.paceGaps = obs.rowStarts.slice(1).map((x, i) => x - obs.rowStarts[i]!);
  return obs;
}

/** What points to a business line (reported with the inference). */
function noteEvidence(obs: WorkflowObservations, m: Classified): void {
  const v = m.value;
  if (m.type === 'call-completion-info-check') obs.evidence.add('question_answer');
  if (m.type === 'custom-api-node-push') {
    const call = isObj(v.call) ? v.call : {};
    if ('question_answer' in call) obs.evidence.add('question_answer');
    const callee = isObj(v.callee) ? v.callee : {};
    for (const k of ['borrowed_amount', 'total_owing_amount', 'due_date', 'borrowed_date', 'currency_unit']) {
      if (k in callee) obs.evidence.add('debt fields in the push callee');
    }
  }
}

/** The dials of each row (CaseID, else the message), number by number. */
type Rows = Map<string, Map<string, { start: number; outcomes: DialOutcome[] }>>;

function noteNumber(
  rows: Rows,
  key: string,
  number: string,
  start: number | undefined,
  outcomes: DialOutcome[],
): void {
  let row = rows.get(key);
  if (!row) rows.set(key, (row = new Map()));
  const seen = row.get(number);
  if (seen) seen.outcomes.push(...outcomes);
  else row.set(number, { start: start ?? Infinity, outcomes });
}

/** A row's start, its numbers, and the outcomes at each number's position (by first dial). */
function noteRowShape(
  obs: WorkflowObservations,
  row: Map<string, { start: number; outcomes: DialOutcome[] }>,
  starts: number[],
): void {
  const numbers = [...row.values()].sort((a, b) => a.start - b.start);
  if (Number.isFinite(numbers[0]!.start)) starts.push(numbers[0]!.start);
  obs.numbersPerRow.push(numbers.length);
  if (!numbers.some((n) => n.outcomes.includes('answered'))) obs.numbersPerUnansweredRow.push(numbers.length);
  numbers.forEach((n, i) => (obs.byPosition[i] ??= []).push(...n.outcomes));
}

function observeCompletion(obs: WorkflowObservations, v: Obj, rows: Rows, index: number): void {
  const interval = num(v.repeat_interval) ?? 0;
  if (num(v.repeat_number) !== undefined) obs.repeatNumbers.push(v.repeat_number as number);
  obs.repeatIntervals.push(interval);
  for (const d of objs(v.details)) {
    const last = lastDialOf(d, num(d.duration) ?? 0, str(d.callee));
    const earlier = objs(d.redail_call).map(redialView);
    const dials = [...earlier, last];
    const failed = d.result === 'failed';
    addCountry(obs, last.number);
    const outcomes = dials.map((x) => addDial(obs, x, failed));
    addAnswered(obs, last, d, 'question_answer' in d);
    obs.callTimes.push(num(d.call_times) ?? dials.length);
    addGaps(obs, dials, interval);
    noteNumber(rows, str(d.CaseID) || `#${index}`, last.number, dialStart(dials[0]!), outcomes);
  }
}

function observePush(obs: WorkflowObservations, v: Obj, rows: Rows, index: number): void {
  const call = isObj(v.call) ? v.call : {};
  const start = vendorSeconds(call.call_start_time);
  const end = vendorSeconds(call.call_end_time);
  const talk = start !== undefined && end !== undefined ? end - start : 0;
  const last = lastDialOf(call, talk, str(call.callee_number));
  last.label = str(call.intention);
  const dials = [...objs(call.redial_call).map(redialView), last];
  const outcomes = dials.map((x) => addDial(obs, x, false));
  const slots = { ...call, duration: talk, NerSlots: call.ner_slots, EventLabel: call.multi_label };
  addAnswered(obs, last, slots, 'question_answer' in call);
  // call_times counts the last number's dials; the other numbers' dials are in redial_call.
  const perNumber = new Map<string, DialView[]>();
  for (const x of dials) perNumber.set(x.number, [...(perNumber.get(x.number) ?? []), x]);
  for (const [number, group] of perNumber) {
    addCountry(obs, number);
    obs.callTimes.push(group.length);
    addGaps(obs, group, undefined);
    const own = dials.flatMap((x, i) => (x.number === number ? [outcomes[i]!] : []));
    noteNumber(rows, `#${index}`, number, dialStart(group[0]!), own);
  }
}

function lastDialOf(d: Obj, talk: number, number: string): DialView {
  const ring = num(d.ring_time) ?? 0;
  const ringType = d.ring_type;
  return {
    ringType,
    ring,
    start: vendorSeconds(d.call_start_time),
    hangup: str(d.hangup_type),
    label: str(d.result_label),
    description: str(d.intention_description),
    number,
    answered: ringType === 'normal' && talk > 0,
  };
}

function redialView(r: Obj): DialView {
  return {
    ringType: r.ring_type,
    ring: num(r.ring_time) ?? 0,
    start: vendorSeconds(r.call_start_time),
    hangup: str(r.hangup_type),
    label: str(r.result_label),
    description: '',
    number: str(r.callee_number),
    answered: false,
  };
}

/** call_start_time is when the call connected (or, unanswered, ended): the dial began ring_time earlier. */
const dialStart = (x: DialView): number | undefined => (x.start === undefined ? undefined : x.start - x.ring);

function outcomeOf(x: DialView, numberFailed: boolean): DialOutcome {
  if (x.answered) return 'answered';
  const rt = x.ringType;
  if (rt === null || rt === 'null' || rt === undefined)
    return numberFailed ? 'invalid_number' : 'line_failure';
  const s = String(rt);
  if (RING_TYPES.has(s)) return s as DialOutcome;
  return RING_READINGS[s] ?? 'normal';
}

function addDial(obs: WorkflowObservations, x: DialView, numberFailed: boolean): DialOutcome {
  const outcome = outcomeOf(x, numberFailed);
  obs.dials.push(outcome);
  if (x.start !== undefined) {
    obs.firstTime = Math.min(obs.firstTime, x.start - x.ring);
    obs.lastTime = Math.max(obs.lastTime, x.start);
  }
  if (outcome === 'answered') return outcome;
  if (outcome === 'normal') obs.ringUnanswered.push(x.ring);
  else if (outcome !== 'invalid_number' && outcome !== 'line_failure') obs.ringFailed.push(x.ring);
  if (x.hangup !== 'Canceled') obs.unansweredHangups.push(x.hangup);
  obs.noAnswerLabels.push(`${x.label}\u0000${x.description}`);
  return outcome;
}

/** The country of a dialled number (one look-up per number, not per dial). */
function addCountry(obs: WorkflowObservations, number: string): void {
  const country = countryOfNumber(number);
  if (country !== undefined) obs.countries.push(country);
}

function addAnswered(obs: WorkflowObservations, last: DialView, d: Obj, infoCheck: boolean): void {
  if (!last.answered) return;
  const qa = objs(d.question_answer);
  const answers: AnswerQuality[] = [];
  for (const q of qa) {
    if (q.question_type !== 'open' || q.whether_answer !== 'Answered') continue;
    const r = q.verification_results;
    answers.push(r === 'Match' ? 'match' : r === '/' || r === '-' ? 'unclear' : 'mismatch');
  }
  const slots = isObj(d.NerSlots) ? Object.keys(d.NerSlots) : [];
  const eventLabels: Record<string, string> = {};
  if (isObj(d.EventLabel)) for (const [k, v] of Object.entries(d.EventLabel)) eventLabels[k] = str(v);
  obs.ringAnswered.push(last.ring);
  obs.answered.push({
    ring: last.ring,
    talk: num(d.duration) ?? 0,
    hangup: last.hangup,
    label: last.label,
    description: last.description,
    talkRound: num(d.talk_round) ?? 0,
    slotKeys: [...slots, ...Object.keys(eventLabels)],
    eventLabels,
    answers,
    hungUp: qa.some((q) => q.whether_answer === 'Hangup'),
    infoCheck,
  });
}

/**
 * Waits between consecutive dials of one number (the end of an unanswered dial is its
 * call_start_time) less the node's repeat_interval; without one (pushes), the raw gap.
 */
function addGaps(obs: WorkflowObservations, dials: DialView[], intervalMin: number | undefined): void {
  for (let i = 0; i + 1 < dials.length; i++) {
    const end = dials[i]!.start;
    const next = dialStart(dials[i + 1]!);
    if (end === undefined || next === undefined) continue;
    const gap = next - end;
    if (dials[i]!.number !== dials[i + 1]!.number) obs.nextNumberGaps.push(gap);
    else obs.redialDelays.push(gap - (intervalMin ?? 0) * 60);
  }
}
