/**
 * One dial of one number: outcome, ring/talk durations, labels and the call's content (ASR turns,
 * PTP and NER slots, Info Check answers), drawn from the dial's own sub-stream. Times are fixed
 * here (start, connect, end), so every payload built from the record agrees with itself.
 */
import type { AsrTurn, HangupType } from '../generated/types.ts';
import type { Business, IntentionKind } from '../scenario/types.ts';
import { callId } from '../core/ids.ts';
import type { Contact } from './contacts.ts';
import type { DialRecord } from './dial-record.ts';
import { conversation, PACKS, turn, type TalkContext, type Turn } from './dialogue.ts';
import { answerQuestions, type PreparedQuestion, type QuestionAnswer } from './info-check.ts';
import type { LocaleProfile } from './locale-profile.ts';
import { drawSpan, type Model } from './model.ts';
import { STREAM, streamSeed, type LocaleText, type Rng } from './rng.ts';
import { clockOffset, type TimeFormatter } from './time-format.ts';
import { list } from './payloads/list.ts';

export type { DialRecord };

export interface DialContext {
  /** The run's generator, re-seeded per dial. */
  rng: Rng;
  text: LocaleText;
  seed: number;
  business: Business;
  model: Model;
  profile: LocaleProfile;
  fmt: TimeFormatter;
  currency: string;
  agent: string;
  company: string;
  questions: PreparedQuestion[] | null;
}

const PAYMENT_METHODS = ['Transfer', 'VirtualAccount', 'Minimarket', 'E-wallet'];

/** Spread `turns` over `talk` seconds: offsets strictly grow and stay below the duration. */
function timeTurns(turns: Turn[], talk: number): AsrTurn[] {
  const n = turns.length;
  for (let i = 0; i < n; i++) turns[i]!.time = clockOffset(Math.floor((i * talk) / n));
  return turns;
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

export function drawDial(
  ctx: DialContext,
  contact: Contact,
  nodeIndex: number,
  dialSeq: number,
  numberIndex: number,
  attempt: number,
  startAt: number,
  callerNumber: string,
): DialRecord {
  const { rng: d, model } = ctx;
  d.seed(streamSeed(ctx.seed, STREAM.dial, contact.index, nodeIndex, dialSeq));
  const weights = model.byNumber
    ? model.byNumber[Math.min(numberIndex, model.byNumber.length - 1)]!
    : model.dial;
  const outcome = weights.length > 0 ? d.weighted(weights) : 'normal';
  const id = callId(d, ctx.business === 'info_check');
  const redialDelayMs = Math.round(drawSpan(d, model.redialDelay) * 1000);
  const nextNumberDelayMs = Math.round(drawSpan(d, model.nextNumberDelay) * 1000);
  const number = contact.numbers[numberIndex]!;
  if (outcome !== 'answered') {
    const ring = Math.round(drawSpan(d, outcome === 'normal' ? model.ring.unanswered : model.ring.failed));
    const endAt = startAt + ring * 1000;
    return {
      callId: id,
      number,
      numberIndex,
      attempt,
      outcome,
      answered: false,
      ringType: outcome,
      ringTime: ring,
      talkTime: 0,
      // Nobody picked up: the system releases the line.
      hangup: 'ByRobot',
      label: model.noAnswer.label,
      description: model.noAnswer.description,
      kind: null,
      talkRound: 0,
      startAt,
      connectAt: endAt,
      endAt,
      callerNumber,
      // Fresh empties, not shared frozen ones: a frozen value has a hidden class of its own
      // (see payloads/list.ts).
      eventLabels: {},
      asr: list<AsrTurn>(),
      asrPtp: '',
      nerSlots: {},
      qa: null,
      redialDelayMs,
      nextNumberDelayMs,
    };
  }
  const ring = Math.round(drawSpan(d, model.ring.answered));
  const intention = model.intentions.length > 0 ? d.weighted(model.intentions) : null;
  const kind: IntentionKind = intention?.kind ?? 'silent';
  let talk = Math.max(3, Math.round(drawSpan(d, intention?.talkTime ?? { min: 20, max: 60 })));
  let rounds = Math.max(1, Math.round(drawSpan(d, intention?.talkRounds ?? { min: 1, max: 3 })));
  let hangup: HangupType = model.hangup.length > 0 ? d.weighted(model.hangup) : 'ByCallee';
  const connectAt = startAt + ring * 1000;
  const language = ctx.profile.language;
  // Only offers and orders talk about a product.
  const sells = ctx.business === 'telemarketing' || ctx.business === 'ecommerce';
  const product = contact.variables.product ?? (sells ? ctx.text.productName(d) : '');
  const orderId = contact.variables.order_id ?? (sells ? `ORD${d.int(1_000_000_000, 9_999_999_999)}` : '');
  const talkCtx: TalkContext = {
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
  let asrPtp = '';
  let nerSlots: Record<string, string> = {};
  let qa: QuestionAnswer[] | null = null;
  let turns: Turn[];
  if (ctx.business === 'info_check' && ctx.questions) {
    const sheet = answerQuestions(
      d,
      ctx.questions,
      contact.variables,
      kind,
      language,
      model.answers,
      model.hangupRate,
    );
    qa = sheet.qa;
    if (sheet.hungUp) hangup = 'ByCallee';
    const pack = PACKS[language];
    const info = pack.scripts.info_check;
    turns = list<Turn>();
    turns.push(
      turn(
        info.opening(talkCtx),
        kind === 'silent'
          ? ''
          : kind === 'wrong_person'
            ? (PACKS[language].replies.wrong_person as string[])[0]!
            : (pack.replies.verified as string[])[0]!,
      ),
    );
    for (const a of sheet.answered) turns.push(turn(a.q.spoken, a.text));
    if (sheet.hungUp) {
      const at = sheet.qa.findIndex((x) => x.whether_answer === 'Hangup');
      turns.push(turn(ctx.questions[at]!.spoken, ''));
    } else {
      turns.push(turn(kind === 'verified' ? info.closing.default(talkCtx) : pack.wrongClosing, ''));
    }
    rounds = Math.max(1, sheet.answered.length + 1);
    if (kind === 'silent') {
      nerSlots = {};
    }
  } else {
    if (kind === 'ptp') {
      const amount = ptpAmount(contact, d, ctx);
      const days = Math.max(0, Math.round(drawSpan(d, model.ptpDays)));
      talkCtx.ptpAmount = String(amount);
      talkCtx.ptpDate = ctx.fmt.dateAfter(connectAt, days);
      asrPtp = `${talkCtx.ptpDate} ${talkCtx.ptpAmount}`;
      nerSlots = {
        PaymentTime: talkCtx.ptpDate,
        PaymentAmount: talkCtx.ptpAmount,
        PaymentMethod: d.pick(PAYMENT_METHODS),
      };
    } else if (kind === 'paid') nerSlots = { PaymentMethod: d.pick(PAYMENT_METHODS) };
    else if (kind === 'later') nerSlots = { CallbackTime: d.pick(['Time_0', 'Time_1', 'Time_2']) };
    else if (kind === 'interested') nerSlots = { product, channel: 'WhatsApp' };
    else if (kind === 'confirm') nerSlots = { item_name: product, receivetime: String(d.int(1, 3)) };
    else if (kind === 'cancel') nerSlots = { item_name: product, cancel_reason: 'ordered_by_mistake' };
    if (kind === 'wrong_person') rounds = Math.min(rounds, 2);
    turns = conversation(language, ctx.business as Exclude<Business, 'info_check'>, kind, rounds, talkCtx);
  }
  // Every turn needs its own second inside the call: stretch short calls rather than squash turns.
  talk = Math.max(talk, turns.length + 1);
  if (kind === 'silent') hangup = d.chance(0.5) ? 'ByCallee' : 'ByRobot';
  const endAt = connectAt + talk * 1000;
  return {
    callId: id,
    number,
    numberIndex,
    attempt,
    outcome,
    answered: true,
    ringType: 'normal',
    ringTime: ring,
    talkTime: talk,
    hangup,
    label: intention?.label ?? model.noAnswer.label,
    description: intention?.description ?? model.noAnswer.description,
    kind,
    talkRound: rounds,
    startAt,
    connectAt,
    endAt,
    callerNumber,
    eventLabels: intention?.eventLabels ?? {},
    asr: timeTurns(turns, talk),
    asrPtp,
    nerSlots,
    qa,
    redialDelayMs,
    nextNumberDelayMs,
  };
}
