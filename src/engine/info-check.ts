/**
 * Info Check question/answer sets. The default set is the vendor example's ("Notification of Call Completion in Workflow": Q0..Q5 with
 * Chinese + English titles); answers follow the contact's Variables: an open question is a
 * "Match" only when the answer equals the variable, and once the callee hangs up the remaining
 * questions are "Skip" — the shape of the vendor example.
 */
import type { QuestionAnswer, StringMap } from '../generated/types.ts';
import type { IntentionKind, QuestionSpec } from '../scenario/types.ts';
import { PACKS, spoken } from './dialogue.ts';
import { toUnicodeEscapes } from './escape.ts';
import { list } from './payloads/list.ts';
import type { Language } from './locale-profile.ts';
import type { Draw } from './rng.ts';

// The item shape comes from the contract (schemas/common.schema.json), not a second copy.
export type { QuestionAnswer };

export const DEFAULT_QUESTIONS: QuestionSpec[] = [
  { name: 'Q0', content: '意愿确认 Willingness Check', type: 'whether' },
  { name: 'Q1', content: '姓名确认 NameCheck', type: 'whether' },
  { name: 'Q2', content: '贷款人确认 BorrowerCheck', type: 'whether' },
  { name: 'Q3', content: 'CURP核验 CURP Verification', type: 'open', variable: 'CURP' },
  { name: 'Q3N', content: 'CURP再次核验 CURP Reverification', type: 'open', variable: 'CURP' },
  { name: 'Q4', content: '生日核验 DoB Verification', type: 'open', variable: 'DoB' },
  { name: 'Q4N', content: '生日再次核验 DoB Reverification', type: 'open', variable: 'DoB' },
  // "for 2 character": the callee says two characters of the CURP, the last two (the differentiator
  // and check digit, the part a caller cannot work out from the name and birth date).
  {
    name: 'Q5',
    content: 'CURP2位核验 CURP Verification for 2 character',
    type: 'open',
    variable: 'CURP',
    chars: { from: -2, length: 2 },
  },
];

/** What an open question expects: its variable, or the part of it the question asks for. */
export function expectedAnswer(q: QuestionSpec, value: string): string {
  if (!q.chars) return value;
  const from = q.chars.from < 0 ? Math.max(0, value.length + q.chars.from) : q.chars.from;
  return value.slice(from, from + q.chars.length);
}

/** Emulator-defined spelling of a failed verification (the vendor example only shows "Match"). */
export const NOT_MATCH = 'NotMatch';

export interface PreparedQuestion {
  spec: QuestionSpec;
  /** question_content as sent (escaped or plain). */
  content: string;
  /** What the robot says: the title's words in the call's language (`spokenTitle`). */
  spokenTitle: string;
  /** The robot's line asking it, in the account language. */
  spoken: string;
}

/** A character of a CJK script (Han, kana, Hangul). */
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
/** A character outside the Latin script (letters of another script; digits, marks, punctuation pass). */
const NON_LATIN = /[^\p{Script=Latin}\p{Script=Common}\p{Script=Inherited}]/u;

/** What the robot says when no word of a title is in the call's language. */
const NO_TITLE: Record<Language, string> = {
  en: 'this detail',
  es: 'este dato',
  id: 'data ini',
  zh: '这项信息',
};

/**
 * A question title as the robot says it: only its words in the call's language. The vendor's titles
 * are bilingual and glue an acronym to Chinese ("CURP核验 CURP Verification"), so a word with any
 * character of a foreign script is dropped whole: a Latin-script call says "CURP Verification", a
 * Chinese one "CURP核验". `question_content` keeps the vendor's text as it is.
 */
export function spokenTitleOf(content: string, language: Language): string {
  const words = content.split(/\s+/).filter((w) => w.length > 0);
  const own = language === 'zh' ? words.filter((w) => CJK.test(w)) : words.filter((w) => !NON_LATIN.test(w));
  return own.length > 0 ? own.join(' ') : NO_TITLE[language];
}

export function prepareQuestions(
  questions: QuestionSpec[],
  escape: boolean,
  language: Language = 'en',
): PreparedQuestion[] {
  const pack = PACKS[language];
  return questions.map((q) => {
    const spokenTitle = spokenTitleOf(q.content, language);
    return {
      spec: q,
      content: escape ? toUnicodeEscapes(q.content) : q.content,
      spokenTitle,
      spoken: q.type === 'open' ? pack.ask(spokenTitle) : pack.confirm(spokenTitle),
    };
  });
}

function skipped(q: PreparedQuestion, variables: StringMap): QuestionAnswer {
  const open = q.spec.type === 'open';
  return {
    question_name: q.spec.name,
    answer: '/',
    answer_text: '',
    status: 'Skip',
    answer_text_slot: open ? '/' : '-',
    var: open ? (variables[q.spec.variable ?? ''] ?? '/') : '-',
    verification_results: open ? '/' : '-',
    question_content: q.content,
    question_type: q.spec.type,
    whether_answer: 'Skip',
  };
}

/** Every question skipped: a number that never connected (or a cancelled one). */
export function allSkipped(questions: PreparedQuestion[], variables: StringMap): QuestionAnswer[] {
  const qa = list<QuestionAnswer>();
  for (const q of questions) qa.push(skipped(q, variables));
  return qa;
}

function perturb(d: Draw, value: string): string {
  if (value.length === 0) return '0';
  const i = d.int(0, value.length - 1);
  const ch = value[i]!;
  let rep: string;
  if (ch >= '0' && ch <= '9') rep = String((Number(ch) + d.int(1, 9)) % 10);
  else if (/[A-Za-z]/.test(ch))
    rep = String.fromCharCode(((ch.toUpperCase().charCodeAt(0) - 65 + d.int(1, 25)) % 26) + 65);
  else rep = 'x';
  return value.slice(0, i) + rep + value.slice(i + 1);
}

export interface AnswerSheet {
  qa: QuestionAnswer[];
  /** Questions the callee actually answered (turns in the transcript). */
  answered: { q: PreparedQuestion; text: string }[];
  /** Whether the callee hung up during the questions. */
  hungUp: boolean;
}

export function answerQuestions(
  d: Draw,
  questions: PreparedQuestion[],
  variables: StringMap,
  kind: IntentionKind,
  language: Language,
  answerWeights: readonly (readonly ['match' | 'mismatch' | 'unclear', number])[],
  hangupRate: number,
): AnswerSheet {
  const pack = PACKS[language];
  const qa = list<QuestionAnswer>();
  const answered: { q: PreparedQuestion; text: string }[] = [];
  // Where the conversation stops: silent callees hang up at the first question (the vendor
  // example); refusals and wrong persons answer "no" to the first question; others may hang up.
  let stopAt = questions.length;
  let hangupAt = -1;
  if (kind === 'silent') hangupAt = 0;
  else if (kind !== 'verified') stopAt = 1;
  else if (questions.length > 1 && d.chance(hangupRate)) hangupAt = d.int(1, questions.length - 1);
  for (let i = 0; i < questions.length; i++) {
    const q = questions[i]!;
    const open = q.spec.type === 'open';
    const expected = variables[q.spec.variable ?? ''];
    if (i === hangupAt) {
      qa.push({
        question_name: q.spec.name,
        answer: '/',
        answer_text: '',
        status: 'Completed',
        answer_text_slot: open ? '/' : '-',
        var: open ? (expected ?? '/') : '-',
        verification_results: open ? '/' : '-',
        question_content: q.content,
        question_type: q.spec.type,
        whether_answer: 'Hangup',
      });
      continue;
    }
    if (i >= stopAt || (hangupAt >= 0 && i > hangupAt)) {
      qa.push(skipped(q, variables));
      continue;
    }
    if (!open || expected === undefined) {
      const yes = kind === 'verified';
      const text = yes ? pack.yes : pack.no;
      answered.push({ q, text });
      qa.push({
        question_name: q.spec.name,
        answer: yes ? 'Yes' : 'No',
        answer_text: text,
        status: 'Completed',
        answer_text_slot: '-',
        var: '-',
        verification_results: '-',
        question_content: q.content,
        question_type: q.spec.type,
        whether_answer: 'Answered',
      });
      continue;
    }
    const quality = d.weighted(answerWeights);
    if (quality === 'unclear') {
      const text = d.pick(pack.unclear);
      answered.push({ q, text });
      qa.push({
        question_name: q.spec.name,
        answer: '/',
        answer_text: text,
        status: 'Completed',
        answer_text_slot: '/',
        var: expected,
        verification_results: '/',
        question_content: q.content,
        question_type: q.spec.type,
        whether_answer: 'Answered',
      });
      continue;
    }
    const asked = expectedAnswer(q.spec, expected);
    const answer = quality === 'match' ? asked : perturb(d, asked);
    const text = spoken(language, answer);
    answered.push({ q, text });
    let digitsOnly = '';
    for (let k = 0; k < answer.length; k++) {
      const code = answer.charCodeAt(k);
      if (code >= 48 && code <= 57) digitsOnly += answer[k];
    }
    qa.push({
      question_name: q.spec.name,
      answer,
      answer_text: text,
      status: 'Completed',
      answer_text_slot:
        digitsOnly && digitsOnly !== answer ? `${answer.toLowerCase()};${digitsOnly}` : answer,
      var: expected,
      verification_results: answer === asked ? 'Match' : NOT_MATCH,
      question_content: q.content,
      question_type: q.spec.type,
      whether_answer: 'Answered',
    });
  }
  return { qa, answered, hungUp: hangupAt >= 0 };
}
