/**
 * The outcome model of a run: the scenario's `outcomes` merged over per-business defaults
 * (emulator-defined; scenarios/README.md lists them), resolved into plain arrays for fast draws.
 */
import type {
  Business,
  DialOutcome,
  DialWeights,
  Distribution,
  IntentionKind,
  IntentionSpec,
  OutcomesSpec,
  Range,
} from '../scenario/types.ts';
import type { Draw } from './rng.ts';
import type { HangupType } from '../generated/types.ts';

export interface Span {
  min: number;
  max: number;
  /** An empirical distribution: a bucket picked by weight, then a uniform draw inside it. */
  buckets?: (readonly [Span, number])[];
}

export interface Intention {
  label: string;
  description: string;
  kind: IntentionKind;
  talkRounds: Span;
  talkTime: Span;
  eventLabels: Record<string, string>;
}

/** Who ends an answered call (`Canceled` is the hang-up type of cancelled work only). */
export type CallEnder = Exclude<HangupType, 'Canceled'>;

export interface Model {
  business: Business;
  dial: (readonly [DialOutcome, number])[];
  byNumber: (readonly [DialOutcome, number])[][] | null;
  hangup: (readonly [CallEnder, number])[];
  /** hangup_type of dials nobody answered (ByCallee in every vendor example). */
  unansweredHangup: CallEnder;
  intentions: (readonly [Intention, number])[];
  noAnswer: { label: string; description: string };
  /** `unansweredZero`: share of normal no-answers that report ring_time 0. */
  ring: { answered: Span; unanswered: Span; unansweredZero: number; failed: Span };
  redialDelay: Span;
  nextNumberDelay: Span;
  apiDelay: Span;
  answers: (readonly ['match' | 'mismatch' | 'unclear', number])[];
  hangupRate: number;
  ptpShare: Span;
  ptpDays: Span;
  /**
   * asr_result shape: `emptyTurnShare` = chance a beat after the greeting opens with an all-empty
   * turn; `silenceReprompts` = re-prompts a silent callee gets.
   */
  asr: { emptyTurnShare: number; silenceReprompts: Span };
}

export function span(r: Distribution | undefined, fallback: Span): Span {
  if (r === undefined) return fallback;
  if (typeof r === 'number') return { min: r, max: r };
  if (!('buckets' in r)) return { min: r.min, max: r.max };
  const buckets = r.buckets
    .filter((b) => b.weight > 0)
    .map((b): readonly [Span, number] => [{ min: b.min, max: b.max }, b.weight]);
  const mins = buckets.map(([b]) => b.min);
  const maxes = buckets.map(([b]) => b.max);
  return { min: Math.min(...mins), max: Math.max(...maxes), buckets };
}

/**
 * Uniform draw in a span: integers when both ends are integers. A bucketed span draws the bucket
 * first (one more draw, so plain spans keep their byte-identical streams).
 */
export function drawSpan(d: Draw, s: Span): number {
  if (s.buckets && s.buckets.length > 0) return drawSpan(d, d.weighted(s.buckets));
  if (Number.isInteger(s.min) && Number.isInteger(s.max)) return d.int(s.min, s.max);
  return s.min + d.unit() * (s.max - s.min);
}

const I = (
  label: string,
  description: string,
  weight: number,
  kind: IntentionKind,
  event_labels: Record<string, string> = {},
  talk_rounds: Range = { min: 2, max: 4 },
  talk_time_s: Range = { min: 25, max: 120 },
): IntentionSpec => ({ label, description, weight, kind, event_labels, talk_rounds, talk_time_s });

const CORRECT = { Correct_Person: 'identity_correct_person' };
const WRONG = { Wrong_Person: 'identity_wrong_person' };

export const DEFAULT_INTENTIONS: Record<Business, IntentionSpec[]> = {
  collection: [
    I(
      'A',
      'Promise to pay',
      35,
      'ptp',
      { ...CORRECT, PTP: 'action_item_ptp' },
      { min: 3, max: 4 },
      { min: 40, max: 150 },
    ),
    I('B', 'Already paid', 10, 'paid', { ...CORRECT, Paid: 'action_item_paid' }),
    I('C', 'Refuse to pay', 15, 'refuse', { ...CORRECT, Refuse: 'action_item_refuse_to_pay' }),
    I('D', 'Call back later', 15, 'later', {
      ...CORRECT,
      Request_Installment: 'action_item_request_installment',
    }),
    I('W', 'Wrong person', 10, 'wrong_person', WRONG, { min: 1, max: 2 }, { min: 10, max: 40 }),
    I('E', 'No Voice', 15, 'silent', {}, 1, { min: 8, max: 30 }),
  ],
  telemarketing: [
    I(
      'A',
      'Interested',
      25,
      'interested',
      { ...CORRECT, Interested: 'intent_interested' },
      { min: 3, max: 4 },
      { min: 40, max: 180 },
    ),
    I('B', 'Call back later', 20, 'later', CORRECT),
    I('C', 'Not interested', 35, 'not_interested', { ...CORRECT, Not_Interested: 'intent_not_interested' }),
    I('W', 'Wrong person', 5, 'wrong_person', WRONG, { min: 1, max: 2 }, { min: 10, max: 40 }),
    I('E', 'No Voice', 15, 'silent', {}, 1, { min: 8, max: 30 }),
  ],
  ecommerce: [
    I(
      'A',
      'Order confirmed',
      60,
      'confirm',
      { ...CORRECT, Confirm_Order: 'action_item_confirm_order' },
      { min: 2, max: 4 },
      { min: 25, max: 90 },
    ),
    I('B', 'Order cancelled', 12, 'cancel', { ...CORRECT, Cancel_Order: 'action_item_cancel_order' }),
    I('D', 'Call back later', 10, 'later', CORRECT),
    I('W', 'Wrong person', 5, 'wrong_person', WRONG, { min: 1, max: 2 }, { min: 10, max: 40 }),
    I('E', 'No Voice', 13, 'silent', {}, 1, { min: 8, max: 30 }),
  ],
  info_check: [
    I('A', 'Verified', 55, 'verified', CORRECT, { min: 4, max: 9 }, { min: 45, max: 150 }),
    I(
      'C',
      'Refused',
      10,
      'refuse',
      { Refuse: 'action_item_refuse' },
      { min: 1, max: 3 },
      { min: 10, max: 40 },
    ),
    I('W', 'Wrong person', 10, 'wrong_person', WRONG, { min: 1, max: 2 }, { min: 10, max: 40 }),
    I('E', 'No Answer', 25, 'silent', { A0: 'A0' }, { min: 1, max: 3 }, { min: 15, max: 45 }),
  ],
};

export const DEFAULT_DIAL: Record<Business, DialWeights> = {
  collection: { answered: 45, normal: 30, busy: 8, switchoff: 8, outofarea: 4, unregister: 3, wrongnum: 2 },
  telemarketing: {
    answered: 35,
    normal: 40,
    busy: 8,
    switchoff: 9,
    outofarea: 4,
    unregister: 2,
    wrongnum: 2,
  },
  ecommerce: { answered: 60, normal: 25, busy: 6, switchoff: 5, outofarea: 2, unregister: 1, wrongnum: 1 },
  info_check: { answered: 50, normal: 30, busy: 7, switchoff: 7, outofarea: 3, unregister: 2, wrongnum: 1 },
};

const entries = (w: DialWeights): (readonly [DialOutcome, number])[] =>
  (Object.entries(w) as [DialOutcome, number][]).filter(([, v]) => v > 0);

/** Kind of a scenario intention with no `kind`: the default intention with the same label, else "later". */
function kindOf(business: Business, it: IntentionSpec): IntentionKind {
  return it.kind ?? DEFAULT_INTENTIONS[business].find((d) => d.label === it.label)?.kind ?? 'later';
}

export function resolveModel(business: Business, o: OutcomesSpec = {}): Model {
  const talkRounds = span(o.talk_rounds, { min: 2, max: 4 });
  const talkTime = span(o.talk_time_s, { min: 25, max: 120 });
  const intentions = (o.intentions ?? DEFAULT_INTENTIONS[business])
    .filter((it) => it.weight > 0)
    .map((it): readonly [Intention, number] => [
      {
        label: it.label,
        description: it.description,
        kind: kindOf(business, it),
        // A scenario-level talk range applies to intentions that do not set their own.
        talkRounds: span(it.talk_rounds ?? o.talk_rounds, talkRounds),
        talkTime: span(it.talk_time_s ?? o.talk_time_s, talkTime),
        eventLabels: it.event_labels ?? {},
      },
      it.weight,
    ]);
  const answers = o.info_check?.answers ?? { match: 75, mismatch: 15, unclear: 10 };
  return {
    business,
    dial: entries(o.dial ?? DEFAULT_DIAL[business]),
    byNumber: o.by_number ? o.by_number.map(entries) : null,
    hangup: (Object.entries(o.hangup ?? { ByCallee: 60, ByRobot: 40 }) as [CallEnder, number][]).filter(
      ([, v]) => v > 0,
    ),
    unansweredHangup: o.unanswered_hangup ?? 'ByCallee',
    intentions,
    noAnswer: o.no_answer ?? { label: 'F', description: 'No Answer' },
    ring: {
      answered: span(o.ring_time_s?.answered, { min: 2, max: 15 }),
      // The vendor examples' unanswered redials ring 0, 15, 0 and 3 s: half report 0, the rest
      // a short ring.
      unanswered: span(o.ring_time_s?.unanswered, { min: 0, max: 15 }),
      // A scenario that sets its own range gets that range unless it asks for zeros too.
      unansweredZero:
        o.ring_time_s?.unanswered_zero_share ?? (o.ring_time_s?.unanswered === undefined ? 0.5 : 0),
      failed: span(o.ring_time_s?.failed, { min: 0, max: 3 }),
    },
    redialDelay: span(o.redial_delay_s, { min: 30, max: 60 }),
    nextNumberDelay: span(o.next_number_delay_s, { min: 5, max: 15 }),
    apiDelay: span(o.api_delay_s, { min: 1, max: 3 }),
    answers: (Object.entries(answers) as ['match' | 'mismatch' | 'unclear', number][]).filter(
      ([, v]) => v > 0,
    ),
    hangupRate: o.info_check?.hangup_rate ?? 0.1,
    ptpShare: span(o.ptp?.share_of_debt, { min: 0.3, max: 1 }),
    ptpDays: span(o.ptp?.days_ahead, { min: 1, max: 7 }),
    asr: {
      // The push page's example: 1 all-empty turn of 8; a "No Voice" callee re-prompted twice.
      emptyTurnShare: o.asr?.empty_turn_share ?? 0.125,
      silenceReprompts: span(o.asr?.silence_reprompts, { min: 0, max: 2 }),
    },
  };
}
