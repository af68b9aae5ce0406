/**
 * Variants of the Custom API node data push (seed page 000): the vendor's own example, then
 * engine payloads bent into every shape the page allows but a receiver may not expect.
 */
import type { CustomApiNodePush, QuestionAnswer } from '../generated/types.ts';
import type { BasePayloads } from './base-payloads.ts';
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

const COLLECTION_FIELDS = [
  'borrowed_date',
  'due_date',
  'borrowed_amount',
  'total_owing_amount',
  'currency_unit',
] as const;

/** Engine payloads are plain JSON: a deep copy per variant keeps the bases untouched. */
const copy = (p: CustomApiNodePush): CustomApiNodePush => structuredClone(p);

/** A call that never got as far as talking: no speech, no labels, start = end. */
function silent(p: CustomApiNodePush): CustomApiNodePush {
  p.call.call_end_time = p.call.call_start_time;
  p.call.talk_round = 0;
  p.call.ring_time = 0;
  p.call.asr_result = [];
  p.call.asr_ptp = '';
  p.call.intention = '';
  p.call.intention_description = '';
  p.call.multi_label = {};
  p.call.ner_slots = {};
  return p;
}

function utf8Questions(base: QuestionAnswer[]): QuestionAnswer[] {
  const texts = Object.values(MULTILINGUAL);
  return base.map((q, i) => ({
    ...q,
    question_content: texts[i % texts.length]!,
    answer_text: i % 2 === 0 ? 'sí, señor 👍' : '是的',
  }));
}

export function pushVariants({ bases, faker }: VariantContext): VariantSpec[] {
  const b: BasePayloads['push'] = bases.push;
  const out: VariantSpec[] = [];
  const add = (spec: VariantSpec) => out.push(spec);

  add({
    slug: 'vendor-example',
    tricky:
      'the vendor page example byte for byte, in its 4-space layout: masked ids and numbers (079918b288xxxxxxxx3815e2a8030eb, +861xxxxxxxx5721) next to a full call.callee_number, case_id "12345.0", slots "", redial numbers of different lengths',
    valid: 'it is the example the vendor publishes on the Custom API Node Data Push page',
    payload: b.vendorExample,
    body: vendorLayout(b.vendorExample, 'indent-4'),
  });
  add({
    slug: 'emulator-answered',
    tricky: 'nothing: an answered collection call as the emulator sends it (the baseline)',
    valid: 'built by the emulator engine from the vendor field list; every emulated run sends this shape',
    payload: copy(b.answered),
  });
  add({
    slug: 'emulator-redials-exhausted',
    tricky: 'a number that never connected: redial_call lists the earlier dials, asr_result is empty',
    valid: 'built by the emulator engine: one push per row once its redials are used up',
    payload: copy(b.redialed),
  });
  add({
    slug: 'masked-ids-and-numbers',
    tricky:
      'ids and numbers redacted with runs of x as in the vendor docs (31-char ids, +621xxxxxxxx7727), except call.callee_number',
    valid: "the vendor's own example carries such values; the schema accepts them so that example validates",
    payload: maskIdsAndNumbers(copy(b.answered), new Set(['call.callee_number'])),
  });

  const ringNull = copy(b.redialed);
  ringNull.call.ring_type = null;
  for (const r of ringNull.call.redial_call ?? []) r.ring_type = null;
  add({
    slug: 'ring-type-null',
    tricky: 'call.ring_type and every redial_call[].ring_type are JSON null, not a string',
    valid: 'null is the documented initial value of ring_type (before a ring outcome is known)',
    payload: ringNull,
  });

  const empty = copy(b.answered);
  empty.call.asr_result = [];
  empty.call.question_answer = [];
  empty.callee.extra = [];
  empty.call.multi_label = {};
  empty.call.ner_slots = {};
  empty.custom_attribute = {};
  delete empty.call.redial_call;
  add({
    slug: 'empty-arrays-and-maps',
    tricky:
      'asr_result [], question_answer [], callee.extra [], no redial_call at all, and {} for multi_label, ner_slots, custom_attribute',
    valid:
      'the arrays have no minimum length, redial_call and question_answer are optional (可选), the maps may be empty',
    payload: empty,
  });

  const minimal = copy(b.answered);
  for (const f of COLLECTION_FIELDS) delete minimal.callee[f];
  delete minimal.call.redial_call;
  delete minimal.call.caller_number;
  delete minimal.call.question_answer;
  minimal.callee.extend = {};
  add({
    slug: 'optional-fields-absent',
    tricky:
      'only the fields the page marks required (必需): no collection fields, redial_call, caller_number, question_answer, and callee.extend is {}',
    valid: 'the vendor page marks every removed field optional (可选) and lists no children of extend',
    payload: minimal,
  });

  const full = copy(b.answered);
  full.call.question_answer = structuredClone(b.infoCheck.call.question_answer ?? []);
  full.call.redial_call = structuredClone(b.redialed.call.redial_call ?? []).map((r) => ({
    ...r,
    callee_number: full.call.callee_number,
  }));
  full.call.caller_number ??= b.redialed.call.caller_number ?? '+622150001234';
  full.callee.extend = { variables: { plan: 'gold' }, detail_source: 'api', pds_variables: {} };
  add({
    slug: 'optional-fields-present',
    tricky:
      'every optional field at once: collection fields, redial_call, caller_number, question_answer on a collection push, all extend children',
    valid: 'each field is in the vendor field list; the page example itself carries question_answer',
    payload: full,
  });

  const nonCollection = copy(b.nonCollection);
  for (const f of COLLECTION_FIELDS) delete nonCollection.callee[f];
  add({
    slug: 'non-collection',
    tricky:
      'an e-commerce push (Mexico, Spanish text): borrowed_date, due_date, borrowed_amount, total_owing_amount, currency_unit are absent',
    valid: 'the page marks the five collection fields optional; only collection workflows fill them',
    payload: nonCollection,
  });

  add({
    slug: 'question-content-escaped',
    tricky:
      'an Info Check push: question_content holds literal \\uXXXX text (a backslash and u after JSON decoding, "\\\\u610f" on the wire) that must not be decoded twice',
    valid: 'this is how the vendor example writes question_content',
    payload: copy(b.infoCheck),
  });
  add({
    slug: 'info-check-without-asr',
    tricky:
      'an Info Check push as the emulator sends it by default: question_answer, and no asr_ptp / asr_result although the page marks them required',
    valid:
      'the page says only non-Info Check workflows carry asr_ptp / asr_result (非信审才有该字段); our reading (inferred)',
    payload: copy(b.infoCheck),
  });
  add({
    slug: 'info-check-with-asr',
    tricky: 'an Info Check push with asr_ptp and asr_result beside question_answer',
    valid:
      "the page's own example carries both; the emulator sends this shape with info_check_push_asr: true",
    payload: copy(b.infoCheckWithAsr),
  });

  const utf8q = copy(b.infoCheck);
  utf8q.call.question_answer = utf8Questions(utf8q.call.question_answer ?? []);
  add({
    slug: 'question-content-utf8',
    tricky: `question_content as plain UTF-8 instead of \\u escapes: ${MULTILINGUAL_LINE}`,
    valid: 'question_content is a string; any Unicode text is a valid JSON string',
    payload: utf8q,
  });

  const utf8 = copy(b.answered);
  utf8.workflow_name = `催收_第一轮 · cobranza año 2024 🚀`;
  utf8.node_name = 'API 节点 ✅';
  utf8.callee.callee_name = 'José Ñúñez Peña 王小明 🙂';
  utf8.callee.platform_name = 'KréditKu 🇮🇩';
  utf8.callee.comments = MULTILINGUAL_LINE;
  utf8.call.intention_description = 'Janji bayar — promesa de pago — 承诺还款 💸';
  add({
    slug: 'utf8-text-fields',
    tricky:
      'names, comments and labels in Chinese, Indonesian, Spanish with accents, and emoji (astral plane)',
    valid: 'these fields are free strings; the body is UTF-8 JSON as Content-Type says',
    payload: utf8,
  });
  add({
    slug: 'ascii-escaped-json',
    tricky:
      'the same UTF-8 payload, but the JSON text escapes every non-ASCII character (\\u00e9, surrogate pairs \\ud83d\\ude42 for emoji) as Python json.dumps does; the signature covers these bytes',
    valid: 'it decodes to exactly the utf8-text-fields payload: JSON allows \\u escapes anywhere in a string',
    payload: utf8,
    body: asciiJson(utf8),
  });

  const longAsr = copy(b.answered);
  const asr = (longAsr.call.asr_result ??= []);
  const first = asr[0] ?? { time: '00:00:00', robottext: '', text: '' };
  asr[0] = {
    ...first,
    robottext: longText(faker, 5_000),
    text: longText(faker, 20_000),
  };
  add({
    slug: 'long-asr-text',
    tricky: 'one ASR turn with a 20,000-character customer text and a 5,000-character robot text',
    valid: 'text and robottext are strings without a maximum length',
    payload: longAsr,
  });

  const manyRedials = copy(b.redialed);
  const n = 40;
  manyRedials.call.redial_call = redialHistory(
    faker,
    n,
    manyRedials.call.call_start_time,
    manyRedials.call.callee_number,
    manyRedials.call.caller_number,
  );
  manyRedials.call.call_times = n + 1;
  add({
    slug: 'many-redials',
    tricky: `${n} redial_call items cycling through every ring_type (null included) and hangup_type, caller_number only on some; call_times ${n + 1}`,
    valid: 'redial_call has no maximum length; caller_number is optional in its items',
    payload: manyRedials,
  });

  add({
    slug: 'zero-duration',
    tricky:
      'call_start_time equals call_end_time, talk_round 0, ring_time 0, no ASR, empty intention and intention_description',
    valid: 'the integers have minimum 0 and the strings may be empty',
    payload: silent(copy(b.redialed)),
  });

  const canceled = silent(copy(b.redialed));
  canceled.call.hangup_type = 'Canceled';
  canceled.call.ring_type = null;
  add({
    slug: 'canceled',
    tricky: 'hangup_type "Canceled" (one l, the vendor spelling) with ring_type null and no speech',
    valid: 'Canceled is a documented hangup_type value',
    payload: canceled,
  });

  const multi = copy(b.multiNumber);
  if (multi.call.callee_number === multi.callee.callee_number) {
    // The engine reports the last number dialled; make sure this payload shows the difference.
    multi.call.callee_number = internationalNumbers(faker)[1]!.number;
  }
  add({
    slug: 'multi-number',
    tricky:
      "a contact with several numbers: call.callee_number (the number dialled last) differs from callee.callee_number (the row's first number)",
    valid: 'the vendor example itself shows two different callee numbers',
    payload: multi,
  });

  const intl = copy(b.redialed);
  const numbers = internationalNumbers(faker);
  intl.callee.callee_number = numbers[0]!.number;
  intl.call.callee_number = numbers[0]!.number;
  intl.call.caller_number = numbers[5]!.number;
  intl.call.redial_call = redialHistory(
    faker,
    numbers.length,
    intl.call.call_start_time,
    intl.call.callee_number,
    undefined,
  ).map((r, i) => ({
    ...r,
    callee_number: numbers[i]!.number,
    caller_number: numbers[(i + 5) % numbers.length]!.number,
  }));
  add({
    slug: 'numbers-from-several-countries',
    tricky: `E.164 numbers of many lengths and country codes: ${numbers.map((x) => `${x.number} (${x.where})`).join(', ')}`,
    valid: 'each is a valid E.164 number (+, 7 to 15 digits)',
    payload: intl,
  });

  const noCase = copy(b.answered);
  noCase.callee.case_id = '';
  add({
    slug: 'case-id-empty',
    tricky: 'callee.case_id is the empty string',
    valid:
      'case_id is a required string, not a non-empty one; rows uploaded without a case id arrive this way',
    payload: noCase,
  });

  const maps = copy(b.answered);
  maps.custom_attribute = { ...maps.custom_attribute, ...EXTRA_MAP_KEYS };
  maps.call.ner_slots = { ...maps.call.ner_slots, ...EXTRA_MAP_KEYS };
  maps.call.multi_label = { ...maps.call.multi_label, ...EXTRA_MAP_KEYS };
  maps.callee.extend = {
    ...maps.callee.extend,
    variables: { ...maps.callee.extend.variables, ...EXTRA_MAP_KEYS },
    pds_variables: { nested: { deep: ['a', 1, true, null] } },
    ...({ unknown_child: { any: 'shape' }, count: 3 } as Record<string, unknown>),
  };
  add({
    slug: 'free-map-extra-keys',
    tricky:
      'unknown keys (non-ASCII, dotted, spaced, empty values, a 2,000-char value) in custom_attribute, ner_slots, multi_label and extend.variables; extend carries unknown children and pds_variables nests',
    valid:
      'these are the vendor free maps (any key, string values); extend is open because the page lists no children',
    payload: maps,
  });

  const big = copy(b.answered);
  const block = longText(faker, 800);
  const turns = Math.ceil(1_000_000 / (block.length + 120));
  big.call.asr_result = Array.from({ length: turns }, (_, i) => ({
    time: clockOffset(i * 7),
    robottext: `${i}`,
    text: block,
  }));
  big.call.talk_round = turns;
  add({
    slug: 'big-payload',
    tricky: `about 1 MB of JSON: ${turns} ASR turns`,
    valid: 'asr_result has no maximum length; a long call transcribes to many turns',
    payload: big,
  });
  return out;
}
