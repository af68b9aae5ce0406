/**
 * Robot and customer lines (asr_result[].robottext / .text) are in the call's language only: no
 * character of a script foreign to the locale, over every shipped scenario and several seeds, and
 * over Info Check fixtures in every locale language. Question names keep the vendor's text in
 * `question_content`; only what the robot says is rendered (src/engine/info-check.ts).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { simulate } from '../../src/engine/campaign.ts';
import { DEFAULT_QUESTIONS, spokenTitleOf } from '../../src/engine/info-check.ts';
import { toUnicodeEscapes } from '../../src/engine/escape.ts';
import { profileFor, type Language } from '../../src/engine/locale-profile.ts';
import type { CampaignEvent } from '../../src/engine/types.ts';
import { listScenarios } from '../../src/scenario/catalog.ts';
import { loadScenarioFile } from '../../src/scenario/load.ts';
import type { Scenario } from '../../src/scenario/types.ts';
import { fixture, T0 } from './scenario-fixture.ts';

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
/** A character of a script foreign to the language (digits, punctuation and marks are Common). */
const FOREIGN: Record<Language, RegExp> = {
  en: /[^\p{Script=Latin}\p{Script=Common}\p{Script=Inherited}]/u,
  es: /[^\p{Script=Latin}\p{Script=Common}\p{Script=Inherited}]/u,
  id: /[^\p{Script=Latin}\p{Script=Common}\p{Script=Inherited}]/u,
  // The Chinese pack is partial (English lines where it has none of its own), so Latin passes.
  zh: /[^\p{Script=Han}\p{Script=Latin}\p{Script=Common}\p{Script=Inherited}]/u,
};

interface Lines {
  turns: number;
  questions: string[];
}

/** Every asr_result turn of every message: its lines checked against the language. */
function checkLines(events: CampaignEvent[], language: Language, where: string): Lines {
  const out: Lines = { turns: 0, questions: [] };
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) for (const x of v) walk(x);
    else if (v !== null && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (Array.isArray(o.asr_result))
        for (const t of o.asr_result as { robottext: string; text: string }[]) {
          out.turns++;
          for (const line of [t.robottext, t.text]) {
            if (language !== 'zh') assert.ok(!CJK.test(line), `${where}: CJK in "${line}"`);
            assert.ok(!FOREIGN[language].test(line), `${where}: script foreign to ${language} in "${line}"`);
          }
        }
      if (typeof o.question_content === 'string') out.questions.push(o.question_content);
      for (const x of Object.values(o)) walk(x);
    }
  };
  for (const e of events) for (const m of e.messages) walk(m.payload);
  return out;
}

/**
 * A shipped scenario, its generated list cut to `max` rows (large-campaign has 10,000). Info Check
 * transcripts travel only on pushes, and only with `info_check_push_asr`: turned on to check them.
 */
function capped(s: Scenario, max: number): Scenario {
  const withAsr = { ...s, info_check_push_asr: true };
  const g = s.contacts.generate;
  if (g === undefined || g.count <= max) return withAsr;
  return { ...withAsr, contacts: { ...s.contacts, generate: { ...g, count: max } } };
}

describe('robot and customer lines are in the call language only', () => {
  for (const shipped of listScenarios()) {
    it(`shipped scenario ${shipped.name}, seeds default, 1, 2, 3`, () => {
      const scenario = capped(loadScenarioFile(shipped.file), 300);
      const language = profileFor(scenario.account.locale).language;
      let turns = 0;
      let answered = 0;
      for (const seed of [undefined, 1, 2, 3])
        for (const t of scenario.templates) {
          const events = simulate({
            scenario,
            templateId: t.id,
            startTime: T0,
            ...(seed === undefined ? {} : { seed }),
          });
          answered += events.filter((e) => e.kind === 'dial.finished' && e.data.answered).length;
          turns += checkLines(events, language, `${shipped.name} ${t.id} seed ${seed ?? 'default'}`).turns;
        }
      // A scenario where someone answers has lines to check (all-unreachable has none).
      assert.ok(answered === 0 || turns > 0, `${shipped.name}: no asr_result turns`);
    });
  }

  for (const locale of ['es_MX', 'en_PH', 'id_ID', 'en_US', 'zh_CN'] as const) {
    it(`Info Check with the vendor's bilingual questions (${locale}), seeds 1..5`, () => {
      const language = profileFor(locale).language;
      for (let seed = 1; seed <= 5; seed++) {
        const scenario = fixture({
          business: 'info_check',
          locale,
          seed,
          count: 80,
          outcomes: {
            dial: { answered: 90, normal: 10 },
            info_check: { answers: { match: 50, mismatch: 30, unclear: 20 }, hangup_rate: 0.2 },
          },
        });
        const { turns, questions } = checkLines(
          simulate({ scenario, startTime: T0, infoCheckPushAsr: true }),
          language,
          `${locale} ${seed}`,
        );
        assert.ok(turns > 0);
        // question_content keeps the vendor's text as it is (\uXXXX-escaped by default).
        assert.ok(questions.includes(toUnicodeEscapes('CURP核验 CURP Verification')), `${locale}`);
      }
    });
  }

  it('question titles: words of a foreign script dropped whole, a phrase when none is left', () => {
    assert.equal(spokenTitleOf('CURP核验 CURP Verification', 'es'), 'CURP Verification');
    assert.equal(spokenTitleOf('意愿确认 Willingness Check', 'en'), 'Willingness Check');
    assert.equal(
      spokenTitleOf('CURP2位核验 CURP Verification for 2 character', 'id'),
      'CURP Verification for 2 character',
    );
    assert.equal(spokenTitleOf('CURP核验 CURP Verification', 'zh'), 'CURP核验');
    assert.equal(spokenTitleOf('生日核验', 'es'), 'este dato');
    assert.equal(spokenTitleOf('Fecha de nacimiento', 'es'), 'Fecha de nacimiento');
    for (const q of DEFAULT_QUESTIONS)
      for (const l of ['en', 'es', 'id'] as const)
        assert.ok(!CJK.test(spokenTitleOf(q.content, l)), q.content);
  });
});
