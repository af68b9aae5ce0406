/**
 * Variants of the two call-completion callbacks: Info Check (seed page 003, documented) and
 * collection / telemarketing / e-commerce (inferred). They share their top level and most of
 * `details[]`, so most variants are written once for both; Info Check adds question_answer, the
 * other asr_ptp / asr_result.
 */
import type {
  CallCompletion,
  CallCompletionDetail,
  CallCompletionInfoCheck,
  InfoCheckCallDetail,
} from '../generated/types.ts';
import {
  asciiJson,
  clockOffset,
  EXTRA_MAP_KEYS,
  internationalNumbers,
  longText,
  maskIdsAndNumbers,
  MULTILINGUAL,
  MULTILINGUAL_LINE,
  redialHistory,
  vendorLayout,
} from './mutate.ts';
import type { VariantContext, VariantSpec } from './variant-types.ts';

type Detail = CallCompletionDetail | InfoCheckCallDetail;
type Payload = CallCompletion | CallCompletionInfoCheck;

function detailOf<P extends Payload>(p: P): P['details'][number] {
  const d = p.details[0];
  if (!d) throw new Error('engine call-completion payload without details');
  return d;
}

function silent(d: Detail): void {
  d.call_end_time = d.call_start_time;
  d.duration = 0;
  d.talk_round = 0;
  d.ring_time = 0;
  d.intention_description = '';
  d.result_label = '';
  d.NerSlots = {};
  d.EventLabel = {};
  if ('asr_result' in d) {
    d.asr_result = [];
    d.asr_ptp = '';
  }
  if ('question_answer' in d) {
    d.question_answer = d.question_answer.map((q) => ({
      ...q,
      answer: '/',
      answer_text: '',
      status: 'Skip',
      whether_answer: 'Skip',
    }));
  }
}

/** Variants common to both callbacks, from an answered and a redials-exhausted base. */
function shared<P extends Payload>(ctx: VariantContext, answered: P, redialed: P): VariantSpec[] {
  const { faker } = ctx;
  const copy = (p: P): P => structuredClone(p);
  const out: VariantSpec[] = [];
  const add = (spec: VariantSpec) => out.push(spec);

  add({
    slug: 'emulator-answered',
    tricky: 'nothing: an answered call as the emulator sends it (the baseline)',
    valid: 'built by the emulator engine; every emulated run sends this shape',
    payload: copy(answered),
  });
  add({
    slug: 'emulator-redials-exhausted',
    tricky: 'a number that never connected: redail_call (sic) lists the earlier dials, call_times > 1',
    valid: 'built by the emulator engine: one callback per number once its redials are used up',
    payload: copy(redialed),
  });
  add({
    slug: 'masked-ids-and-numbers',
    tricky:
      'ids and numbers redacted with runs of x as in the vendor docs (8e364f6729exxxxxxxxxx5c2d9b2a2c2, +8618xxxxx721)',
    valid: "the vendor's own example carries such values; the schema accepts them so that example validates",
    payload: maskIdsAndNumbers(copy(answered)),
  });

  const ringNull = copy(redialed);
  detailOf(ringNull).ring_type = null;
  for (const r of detailOf(ringNull).redail_call ?? []) r.ring_type = null;
  add({
    slug: 'ring-type-null',
    tricky: 'details[0].ring_type and every redail_call[].ring_type are JSON null, not a string',
    valid: 'null is the documented initial value of ring_type',
    payload: ringNull,
  });

  const empty = copy(answered);
  const ed = detailOf(empty);
  delete ed.redail_call;
  ed.NerSlots = {};
  ed.EventLabel = {};
  ed.Variables = {};
  if ('question_answer' in ed) ed.question_answer = [];
  if ('asr_result' in ed) ed.asr_result = [];
  add({
    slug: 'empty-arrays-and-maps',
    tricky: `${'question_answer' in ed ? 'question_answer []' : 'asr_result []'}, no redail_call at all, and {} for NerSlots, EventLabel, Variables`,
    valid: 'the arrays have no minimum length, redail_call is optional, the maps may be empty',
    payload: empty,
  });

  const minimal = copy(answered);
  const md = detailOf(minimal);
  delete md.NerSlots;
  delete md.redail_call;
  delete md.intention_description;
  delete md.EventLabel;
  delete md.caller_number;
  add({
    slug: 'optional-fields-absent',
    tricky: 'no NerSlots, redail_call, intention_description, EventLabel or caller_number in details[0]',
    valid: 'the schema (after the vendor field list) marks these optional',
    payload: minimal,
  });

  const many = copy(redialed);
  const n = 40;
  const dm = detailOf(many);
  dm.redail_call = redialHistory(faker, n, dm.call_start_time, dm.callee, dm.caller_number);
  dm.call_times = n + 1;
  add({
    slug: 'many-redials',
    tricky: `${n} redail_call items cycling through every ring_type (null included) and hangup_type, caller_number only on some; call_times ${n + 1}`,
    valid: 'redail_call has no maximum length; caller_number is optional in its items',
    payload: many,
  });

  const zero = copy(redialed);
  silent(detailOf(zero));
  add({
    slug: 'zero-duration',
    tricky: 'duration 0, call_start_time equals call_end_time, talk_round 0, ring_time 0, empty result_label',
    valid: 'the integers have minimum 0 and the strings may be empty',
    payload: zero,
  });

  const canceled = copy(redialed);
  const dc = detailOf(canceled);
  silent(dc);
  dc.result = 'cancelled';
  dc.hangup_type = 'Canceled';
  dc.ring_type = null;
  canceled.status = 'canceled';
  add({
    slug: 'canceled',
    tricky:
      'hangup_type "Canceled" and task status "canceled" (one l) next to result "cancelled" (two l) in one payload',
    valid: "both spellings are the vendor's documented enum values (task status vs detail result)",
    payload: canceled,
  });

  const intl = copy(redialed);
  const di = detailOf(intl);
  const numbers = internationalNumbers(faker);
  di.callee = numbers[0]!.number;
  di.caller_number = numbers[5]!.number;
  di.redail_call = redialHistory(faker, numbers.length, di.call_start_time, di.callee, undefined).map(
    (r, i) => ({ ...r, callee_number: di.callee, caller_number: numbers[i]!.number }),
  );
  add({
    slug: 'numbers-from-several-countries',
    tricky: `E.164 numbers of many lengths and country codes: ${numbers.map((x) => `${x.number} (${x.where})`).join(', ')}`,
    valid: 'each is a valid E.164 number (+, 7 to 15 digits)',
    payload: intl,
  });

  const noCase = copy(answered);
  detailOf(noCase).CaseID = '';
  add({
    slug: 'case-id-empty',
    tricky: 'CaseID is the empty string',
    valid: 'the vendor example itself sends CaseID ""',
    payload: noCase,
  });

  const maps = copy(answered);
  const dmap = detailOf(maps);
  dmap.Variables = { ...dmap.Variables, ...EXTRA_MAP_KEYS };
  dmap.NerSlots = { ...dmap.NerSlots, ...EXTRA_MAP_KEYS };
  dmap.EventLabel = { ...dmap.EventLabel, ...EXTRA_MAP_KEYS };
  add({
    slug: 'free-map-extra-keys',
    tricky:
      'unknown keys (non-ASCII, dotted, spaced, empty values, a 2,000-char value) in Variables, NerSlots and EventLabel',
    valid: 'these are the vendor free maps: any key, string values',
    payload: maps,
  });
  return out;
}

export function infoCheckVariants(ctx: VariantContext): VariantSpec[] {
  const { bases, faker } = ctx;
  const b = bases.infoCheck;
  const out: VariantSpec[] = [
    {
      slug: 'vendor-example',
      tricky:
        'the vendor page example byte for byte, in its layout (every key on its own line, no indentation): masked ids, CaseID "", literal \\uXXXX in question_content, "-" and "/" placeholders',
      valid: 'it is the example the vendor publishes on the Info Check call-completion page',
      payload: b.vendorExample,
      body: vendorLayout(b.vendorExample, 'flush'),
    },
    ...shared(ctx, b.answered, b.redialed),
  ];

  const utf8 = structuredClone(b.answered);
  const texts = Object.values(MULTILINGUAL);
  const du = detailOf(utf8);
  du.question_answer = du.question_answer.map((q, i) => ({
    ...q,
    question_content: texts[i % texts.length]!,
    answer_text: i % 2 === 0 ? 'sí, señor 👍' : '是的',
  }));
  du.Variables = { ...du.Variables, name: 'José Ñúñez 王小明 🙂' };
  out.push(
    {
      slug: 'question-content-utf8',
      tricky: `question_content as plain UTF-8 instead of the vendor's literal \\u escapes: ${MULTILINGUAL_LINE}`,
      valid: 'question_content is a string; any Unicode text is a valid JSON string',
      payload: utf8,
    },
    {
      slug: 'ascii-escaped-json',
      tricky:
        'the question-content-utf8 payload with every non-ASCII character written as a \\u escape in the JSON text (Python json.dumps style), next to the literal backslash-u text of other fields',
      valid: 'it decodes to exactly the question-content-utf8 payload',
      payload: utf8,
      body: asciiJson(utf8),
    },
  );

  const big = structuredClone(b.answered);
  const db = detailOf(big);
  const template = db.question_answer[0];
  const block = longText(faker, 600);
  const count = Math.ceil(1_000_000 / (block.length + 300));
  if (template) {
    db.question_answer = Array.from({ length: count }, (_, i) => ({
      ...template,
      question_name: `Q${i}`,
      answer_text: block,
    }));
  }
  out.push({
    slug: 'big-payload',
    tricky: `about 1 MB of JSON: ${count} question_answer items with long answer_text`,
    valid: 'question_answer has no maximum length and answer_text no maximum size',
    payload: big,
  });
  return out;
}

export function completionVariants(ctx: VariantContext): VariantSpec[] {
  const { bases, faker } = ctx;
  const b = bases.completion;
  const out = shared(ctx, b.answered, b.redialed);

  out.push({
    slug: 'multi-number-later-number',
    tricky:
      "the callback of a contact's later number: same CaseID as an earlier callback, another callee, its own call_times",
    valid: 'the vendor sends one callback per number; built by the emulator engine',
    payload: structuredClone(b.laterNumber),
  });

  const longAsr = structuredClone(b.answered);
  const dl = detailOf(longAsr);
  const first = dl.asr_result[0] ?? { time: '00:00:00', robottext: '', text: '' };
  dl.asr_result[0] = { ...first, robottext: longText(faker, 5_000), text: longText(faker, 20_000) };
  out.push({
    slug: 'long-asr-text',
    tricky: 'one ASR turn with a 20,000-character customer text and a 5,000-character robot text',
    valid: 'text and robottext are strings without a maximum length',
    payload: longAsr,
  });

  const utf8 = structuredClone(b.answered);
  const du = detailOf(utf8);
  const texts = Object.values(MULTILINGUAL);
  du.asr_result = du.asr_result.map((t, i) => ({ ...t, text: texts[i % texts.length]! }));
  du.asr_ptp = '2024-03-15 — Rp 500.000 — 承诺 💸';
  du.intention_description = 'Janji bayar · promesa de pago · 承诺还款';
  out.push(
    {
      slug: 'utf8-asr-text',
      tricky: `ASR text, asr_ptp and intention_description in several scripts and emoji: ${MULTILINGUAL_LINE}`,
      valid: 'these fields are free strings; the body is UTF-8 JSON',
      payload: utf8,
    },
    {
      slug: 'ascii-escaped-json',
      tricky:
        'the utf8-asr-text payload with every non-ASCII character written as a \\u escape in the JSON text (Python json.dumps style)',
      valid: 'it decodes to exactly the utf8-asr-text payload',
      payload: utf8,
      body: asciiJson(utf8),
    },
  );

  const big = structuredClone(b.answered);
  const db = detailOf(big);
  const block = longText(faker, 800);
  const turns = Math.ceil(1_000_000 / (block.length + 120));
  db.asr_result = Array.from({ length: turns }, (_, i) => ({
    time: clockOffset(i * 7),
    robottext: `${i}`,
    text: block,
  }));
  db.talk_round = turns;
  out.push({
    slug: 'big-payload',
    tricky: `about 1 MB of JSON: ${turns} ASR turns`,
    valid: 'asr_result has no maximum length',
    payload: big,
  });
  return out;
}
