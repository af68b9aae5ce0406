/**
 * One dial of one number: outcome, ring/talk durations, labels and the call's content (ASR turns,
 * PTP and NER slots, Info Check answers), drawn from the dial's own sub-stream. Times are fixed
 * here (start, connect, end), so every payload built from the record agrees with itself.
 */
import type { AsrTurn, HangupType, StringMap } from '../generated/types.ts';
import type { Business, DialOutcome, IntentionKind, RingType } from '../scenario/types.ts';
import { ringTypeOf } from './ring-type.ts';
import { callId } from '../core/ids.ts';
import type { Contact } from './contacts.ts';
import type { DialRecord } from './dial-record.ts';
import { conversation, PACKS, talkRoundOf, turn, type Beat, type TalkContext } from './dialogue.ts';
import { answerQuestions, type PreparedQuestion, type QuestionAnswer } from './info-check.ts';
import type { LocaleProfile } from './locale-profile.ts';
import { drawSpan, type Model } from './model.ts';
import { STREAM, streamSeed, type LocaleText, type Rng } from './rng.ts';
import { clockOffset, type TimeFormatter } from './time-format.ts';
import { list } from './payloads/list.ts';

export type { DialRecord };

/** A workflow's business line; an Info Check one carries its question sheet. */
export type BusinessLine =
  | { business: 'info_check'; questions: PreparedQuestion[] }
  | { business: Exclude<Business, 'info_check'>; questions: null };

/** What every dial of a workflow draws from. */
export type DialContext = BusinessLine & {
  /** The run's generator, re-seeded per dial. */
  rng: Rng;
  text: LocaleText;
  seed: number;
  model: Model;
  profile: LocaleProfile;
  fmt: TimeFormatter;
  currency: string;
  agent: string;
  company: string;
};

/** One dial to draw: whose, in which node, of which number, and when. */
export interface DialRequest {
  contact: Contact;
  nodeIndex: number;
  /** The row's dial count so far, over all its nodes and numbers (names the dial's sub-stream). */
  dialSeq: number;
  numberIndex: number;
  /** 1-based dial count of this number. */
  attempt: number;
  startAt: number;
  callerNumber: string;
}

const PAYMENT_METHODS = ['Transfer', 'VirtualAccount', 'Minimarket', 'E-wallet'];

/**
 * One dial, from its own sub-stream (row, node, dial count): the first draws decide the outcome,
 * the call id and the waits after it; an answered dial then draws its conversation.
 */
export function drawDial(ctx: DialContext, req: DialRequest): DialRecord {
  ctx.rng.seed(streamSeed(ctx.seed, STREAM.dial, req.contact.index, req.nodeIndex, req.dialSeq));
  const head = drawHead(ctx, req);
  return head.outcome === 'answered'
    ? answeredDial(ctx, req, head)
    : unansweredDial(ctx, req, head, ringTypeOf(head.outcome));
}

/** The draws every dial starts with, in this order. */
interface DialHead {
  outcome: DialOutcome;
  callId: string;
  redialDelayMs: number;
  nextNumberDelayMs: number;
}

function drawHead(ctx: DialContext, req: DialRequest): DialHead {
  const { rng: d, model } = ctx;
  const weights = model.byNumber
    ? model.byNumber[Math.min(req.numberIndex, model.byNumber.length - 1)]!
    : model.dial;
  return {
    outcome: weights.length > 0 ? d.weighted(weights) : 'normal',
    callId: callId(d, ctx.business === 'info_check'),
    redialDelayMs: Math.round(drawSpan(d, model.redialDelay) * 1000),
    nextNumberDelayMs: Math.round(drawSpan(d, model.nextNumberDelay) * 1000),
  };
}

/**
 * Nobody picked up: it rang (`ringType`), and the line was released; or the dial never reached
 * the network (`ringType` null, no ring time). A normal no-answer reports ring_time 0 for a share
 * of dials, a short ring otherwise (the vendor examples: 0, 15, 0, 3). These are the dial's last
 * draws, so their number does not shift any other dial.
 */
function unansweredDial(
  ctx: DialContext,
  req: DialRequest,
  head: DialHead,
  ringType: RingType | null,
): DialRecord {
  const { model, rng: d } = ctx;
  const ring =
    ringType === null
      ? 0
      : ringType === 'normal'
        ? d.chance(model.ring.unansweredZero)
          ? 0
          : Math.round(drawSpan(d, model.ring.unanswered))
        : Math.round(drawSpan(d, model.ring.failed));
  const endAt = req.startAt + ring * 1000;
  return {
    callId: head.callId,
    number: req.contact.numbers[req.numberIndex]!,
    numberIndex: req.numberIndex,
    attempt: req.attempt,
    outcome: head.outcome,
    answered: false,
    ringType,
    ringTime: ring,
    talkTime: 0,
    hangup: model.unansweredHangup,
    label: model.noAnswer.label,
    description: model.noAnswer.description,
    kind: null,
    talkRound: 0,
    startAt: req.startAt,
    connectAt: endAt,
    endAt,
    callerNumber: req.callerNumber,
    // Fresh empties, not shared frozen ones: a frozen value has a hidden class of its own
    // (see payloads/list.ts).
    eventLabels: {},
    asr: list<AsrTurn>(),
    asrPtp: '',
    nerSlots: {},
    qa: null,
    redialDelayMs: head.redialDelayMs,
    nextNumberDelayMs: head.nextNumberDelayMs,
  };
}

/** What was said on an answered call. */
interface Talk {
  beats: Beat[];
  asrPtp: string;
  nerSlots: StringMap;
  qa: QuestionAnswer[] | null;
  /** The callee hung up during the Info Check questions. */
  hungUp: boolean;
}

/** Someone picked up: the intention, the durations, then the conversation and its slots. */
function answeredDial(ctx: DialContext, req: DialRequest, head: DialHead): DialRecord {
  const { rng: d, model } = ctx;
  const ring = Math.round(drawSpan(d, model.ring.answered));
  const intention = model.intentions.length > 0 ? d.weighted(model.intentions) : null;
  const kind: IntentionKind = intention?.kind ?? 'silent';
  const drawnTalk = Math.max(3, Math.round(drawSpan(d, intention?.talkTime ?? { min: 20, max: 60 })));
  const drawnRounds = Math.max(1, Math.round(drawSpan(d, intention?.talkRounds ?? { min: 1, max: 3 })));
  let hangup: HangupType = model.hangup.length > 0 ? d.weighted(model.hangup) : 'ByCallee';
  const connectAt = req.startAt + ring * 1000;
  const talkCtx = talkContext(ctx, req.contact, req.startAt);
  const talk =
    ctx.business === 'info_check'
      ? infoCheckTalk(ctx, ctx.questions, req.contact, kind, talkCtx)
      : scriptedTalk(ctx, ctx.business, req.contact, kind, drawnRounds, talkCtx, connectAt);
  // Every beat needs its own second inside the call: stretch short calls rather than squash them.
  const talkTime = Math.max(drawnTalk, talk.beats.length + 1);
  if (kind === 'silent') hangup = d.chance(0.5) ? 'ByCallee' : 'ByRobot';
  // A question answered "Hangup" means the callee hung up (the vendor example pairs it with
  // ByCallee): applied after every draw, so the silent draw above can no longer undo it.
  if (talk.hungUp) hangup = 'ByCallee';
  const endAt = connectAt + talkTime * 1000;
  return {
    callId: head.callId,
    number: req.contact.numbers[req.numberIndex]!,
    numberIndex: req.numberIndex,
    attempt: req.attempt,
    outcome: head.outcome,
    answered: true,
    ringType: 'normal',
    ringTime: ring,
    talkTime,
    hangup,
    label: intention?.label ?? model.noAnswer.label,
    description: intention?.description ?? model.noAnswer.description,
    kind,
    talkRound: talkRoundOf(talk.beats),
    startAt: req.startAt,
    connectAt,
    endAt,
    callerNumber: req.callerNumber,
    eventLabels: intention?.eventLabels ?? {},
    asr: layTurns(d, talk.beats, talkTime, model.asr.emptyTurnShare),
    asrPtp: talk.asrPtp,
    nerSlots: talk.nerSlots,
    qa: talk.qa,
    redialDelayMs: head.redialDelayMs,
    nextNumberDelayMs: head.nextNumberDelayMs,
  };
}

/** The names and amounts the robot's lines use (products and orders are drawn when sold). */
function talkContext(ctx: DialContext, contact: Contact, startAt: number): TalkContext {
  const d = ctx.rng;
  const language = ctx.profile.language;
  // Only offers and orders talk about a product.
  const sells = ctx.business === 'telemarketing' || ctx.business === 'ecommerce';
  const product = contact.variables.product ?? (sells ? ctx.text.productName(d) : '');
  const orderId = contact.variables.order_id ?? (sells ? `ORD${d.int(1_000_000_000, 9_999_999_999)}` : '');
  return {
    agent: ctx.agent,
    company:
      ctx.company ||
      contact.platform ||
      (language === 'id' ? 'layanan pelanggan' : language === 'es' ? 'atención a clientes' : 'customer care'),
    name: contact.customer_name || (language === 'id' ? 'Bapak/Ibu' : 'the account holder'),
    amount: contact.total_owing_amount ?? contact.borrowed_amount ?? '',
    currency: contact.currency_unit ?? ctx.currency,
    due: contact.due_date ?? ctx.fmt.date(startAt),
    ptpAmount: '',
    ptpDate: '',
    product,
    orderId,
  };
}

/** An Info Check call: the opening, each answered question, then a closing or the hang-up. */
function infoCheckTalk(
  ctx: DialContext,
  questions: PreparedQuestion[],
  contact: Contact,
  kind: IntentionKind,
  talkCtx: TalkContext,
): Talk {
  const language = ctx.profile.language;
  const { model } = ctx;
  const sheet = answerQuestions(
    ctx.rng,
    questions,
    contact.variables,
    kind,
    language,
    model.answers,
    model.hangupRate,
  );
  const pack = PACKS[language];
  const info = pack.scripts.info_check;
  const opening = info.opening(talkCtx);
  const greeting =
    kind === 'silent'
      ? ''
      : kind === 'wrong_person'
        ? (pack.replies.wrong_person as string[])[0]!
        : (pack.replies.verified as string[])[0]!;
  // A silent callee hangs up at the first question (answerQuestions), so is not re-prompted.
  const beats = list<Beat>();
  beats.push([turn(opening, greeting)]);
  for (const a of sheet.answered) beats.push([turn(a.q.spoken, a.text)]);
  if (sheet.hungUp) {
    const at = sheet.qa.findIndex((x) => x.whether_answer === 'Hangup');
    beats.push([turn(questions[at]!.spoken, '')]);
  } else {
    const closing =
      kind === 'verified'
        ? info.closing.default(talkCtx)
        : kind === 'silent'
          ? pack.silentClosing
          : pack.wrongClosing;
    beats.push([turn(closing, '')]);
  }
  return { beats, asrPtp: '', nerSlots: {}, qa: sheet.qa, hungUp: sheet.hungUp };
}

/** How many times a silent callee is re-prompted (drawn only for silent calls). */
function reprompts(ctx: DialContext): number {
  return Math.round(drawSpan(ctx.rng, ctx.model.asr.silenceReprompts));
}

/** A collection / telemarketing / e-commerce call: the script of its intention, and its slots. */
function scriptedTalk(
  ctx: DialContext,
  business: Exclude<Business, 'info_check'>,
  contact: Contact,
  kind: IntentionKind,
  drawnRounds: number,
  talkCtx: TalkContext,
  connectAt: number,
): Talk {
  const { asrPtp, nerSlots } = callSlots(ctx, contact, kind, talkCtx, connectAt);
  const again = kind === 'silent' ? reprompts(ctx) : 0;
  const beats = conversation(ctx.profile.language, business, kind, drawnRounds, again, talkCtx);
  return { beats, asrPtp, nerSlots, qa: null, hungUp: false };
}

/**
 * The slots the intention fills (NerSlots / ner_slots), and asr_ptp for a promise to pay. A
 * promise also sets the amount and date the robot repeats (`talkCtx`).
 */
function callSlots(
  ctx: DialContext,
  contact: Contact,
  kind: IntentionKind,
  talkCtx: TalkContext,
  connectAt: number,
): { asrPtp: string; nerSlots: StringMap } {
  const d = ctx.rng;
  const product = talkCtx.product;
  switch (kind) {
    case 'ptp': {
      const amount = ptpAmount(contact, d, ctx);
      const days = Math.max(0, Math.round(drawSpan(d, ctx.model.ptpDays)));
      talkCtx.ptpAmount = String(amount);
      talkCtx.ptpDate = ctx.fmt.dateAfter(connectAt, days);
      const nerSlots = {
        PaymentTime: talkCtx.ptpDate,
        PaymentAmount: talkCtx.ptpAmount,
        PaymentMethod: d.pick(PAYMENT_METHODS),
      };
      return { asrPtp: `${talkCtx.ptpDate} ${talkCtx.ptpAmount}`, nerSlots };
    }
    case 'paid':
      return { asrPtp: '', nerSlots: { PaymentMethod: d.pick(PAYMENT_METHODS) } };
    case 'later':
      return { asrPtp: '', nerSlots: { CallbackTime: d.pick(['Time_0', 'Time_1', 'Time_2']) } };
    case 'interested':
      return { asrPtp: '', nerSlots: { product, channel: 'WhatsApp' } };
    case 'confirm':
      return { asrPtp: '', nerSlots: { item_name: product, receivetime: String(d.int(1, 3)) } };
    case 'cancel':
      return { asrPtp: '', nerSlots: { item_name: product, cancel_reason: 'ordered_by_mistake' } };
    default:
      return { asrPtp: '', nerSlots: {} };
  }
}

/**
 * Lay the beats over `talk` seconds: the turns of a beat share its offset (the push page's
 * example logs 00:00:14, 00:00:25 and 00:00:35 twice each), offsets grow beat by beat and stay
 * below the duration, and a later beat opens with an all-empty turn with chance `emptyShare`.
 */
function layTurns(d: Rng, beats: Beat[], talk: number, emptyShare: number): AsrTurn[] {
  const out = list<AsrTurn>();
  const n = beats.length;
  for (let k = 0; k < n; k++) {
    const time = clockOffset(Math.floor((k * talk) / n));
    if (k > 0 && emptyShare > 0 && d.chance(emptyShare)) out.push({ time, robottext: '', text: '' });
    for (const t of beats[k]!) {
      t.time = time;
      out.push(t);
    }
  }
  return out;
}

function ptpAmount(c: Contact, d: Rng, ctx: DialContext): number {
  const owing = Number(
    c.total_owing_amount ?? c.borrowed_amount ?? d.int(ctx.profile.borrowed.min, ctx.profile.borrowed.max),
  );
  const share = drawSpan(d, ctx.model.ptpShare);
  // Round to a sensible unit for the currency (IDR amounts are quoted in thousands).
  const unit = ctx.currency === 'IDR' ? 1000 : 1;
  const v = Math.max(unit, Math.round((owing * Math.min(1, share)) / unit) * unit);
  return Math.min(v, Math.max(unit, Math.floor(owing)));
}
