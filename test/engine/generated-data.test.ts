/**
 * Generated rows look like the account's country: names, companies and addresses of that locale
 * (Filipino ones for en_PH), identifiers that pass their own checks and agree with the row, and
 * mobile numbers of the country's current numbering plan, never twice in a campaign.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { localeDefinitions } from '../../src/core/random.ts';
import { messagesOf, simulate } from '../../src/engine/campaign.ts';
import { generateContacts, splitSurnames, type GenerateContext } from '../../src/engine/contacts.ts';
import {
  curpCheckDigit,
  curpNameParts,
  isCurp,
  isNik,
  isPan,
  nikBirth,
} from '../../src/engine/identifiers.ts';
import { PROFILES, profileFor } from '../../src/engine/locale-profile.ts';
import { PH_CITIES, PH_FEMALE, PH_MALE, PH_SURNAMES } from '../../src/engine/names/ph.ts';
import { NumberSpace, Permutation } from '../../src/engine/number-space.ts';
import { localeText, Rng } from '../../src/engine/rng.ts';
import { createTimeFormatter } from '../../src/engine/time-format.ts';
import { loadScenarioFile } from '../../src/scenario/load.ts';
import type { Business, GenerateSpec } from '../../src/scenario/types.ts';
import type { ContactInput } from '../../src/engine/types.ts';
import { fixture, T0 } from './scenario-fixture.ts';

const LOCALES = ['id_ID', 'en_PH', 'es_MX', 'en_IN', 'en_US', 'zh_CN'] as const;

function rows(locale: string, spec: GenerateSpec, seed = 11, business: Business = 'collection', start = T0) {
  const ctx: GenerateContext = {
    rng: new Rng(seed),
    text: localeText(locale),
    seed,
    business,
    profile: profileFor(locale),
    currency: profileFor(locale).currency,
    startTime: start,
    fmt: createTimeFormatter('UTC'),
  };
  return generateContacts(spec, ctx);
}

const numbersOf = (list: ContactInput[]): string[] => list.flatMap((r) => ([] as string[]).concat(r.callee));

describe('identifiers', () => {
  it('the CURP check accepts real-format examples and rejects the old generator’s shapes', () => {
    // Published examples (RENAPO's Instructivo examples as used by rfcmx; python-stdnum's test).
    for (const c of ['HEGG560427MVZRRL04', 'BEML920313HCMLNS09', 'BOXW310820HNERXN09'])
      assert.ok(isCurp(c), c);
    // Each with a right check digit, so only the named rule fails.
    const signed = (first17: string) => first17 + curpCheckDigit(first17);
    assert.equal(isCurp(signed('HEGG566827MVZRRL0')), false, 'month 68');
    assert.equal(isCurp(signed('HEGG560427MSQRRL0')), false, 'state SQ');
    assert.equal(isCurp(signed('HEGG560230MVZRRL0')), false, 'no 30 February');
    assert.equal(isCurp(signed('HEGG560427XVZRRL0')), false, 'sex H or M');
    assert.equal(isCurp('HEGG560427MVZRRL05'), false, 'check digit');
    assert.equal(isCurp(signed('HEGG560427MVZRRL0')), true);
    assert.deepEqual(curpNameParts({ given: 'María Fernanda', surnames: ['de la Cruz', 'Peña'] }), {
      initials: 'CUPF',
      inner: 'RXR',
    });
  });

  it('10,000 Info Check CURPs pass the check and agree with the row’s name, DoB, sex and year', () => {
    const list = rows('es_MX', { count: 10_000 }, 5, 'info_check');
    for (const r of list) {
      const v = r.variables!;
      const curp = v.CURP!;
      assert.ok(isCurp(curp), curp);
      assert.equal(curp.slice(6, 10), v.DoB, `${curp} vs DoB ${v.DoB}`);
      assert.equal(curp[10], v.gender === 'male' ? 'H' : 'M');
      const [given, ...rest] = [v.name!, r.customer_name!.slice(v.name!.length + 1)];
      const parts = curpNameParts({ given, surnames: splitSurnames(rest.join(' ')) });
      assert.equal(curp.slice(0, 4), parts.initials, `${curp} for ${r.customer_name}`);
      assert.equal(curp.slice(13, 16), parts.inner, `${curp} for ${r.customer_name}`);
      // Ages 21–60 at the start: born 1963..2003 for T0 (2024); digit ⇒ 1900s, letter ⇒ 2000s.
      const yy = Number(curp.slice(4, 6));
      assert.equal(/\d/.test(curp[16]!), yy >= 63, curp);
    }
  });

  it('NIKs encode the row’s birth date and sex (day + 40 for women)', () => {
    const list = rows('id_ID', { count: 2_000, variables: { NIK: 'nik', DOB: 'dob', gender: 'gender' } });
    for (const r of list) {
      const v = r.variables!;
      assert.ok(isNik(v.NIK!), v.NIK);
      const b = nikBirth(v.NIK!);
      const [y, m, d] = v.DOB!.split('-').map(Number) as [number, number, number];
      assert.deepEqual(b, { sex: v.gender, day: d, month: m, yy: y % 100 });
    }
    assert.equal(isNik('3171014108900001'), true);
    assert.equal(isNik('3171017208900001'), false, 'day 72 - 40 = 32');
    assert.equal(isNik('3171010108900000'), false, 'serial 0000');
  });

  it('PANs are a person’s (4th letter P) with the surname’s initial 5th', () => {
    const list = rows('en_IN', { count: 2_000, variables: { PAN: 'pan' } });
    for (const r of list) {
      const pan = r.variables!.PAN!;
      assert.ok(isPan(pan), pan);
      assert.equal(pan[3], 'P');
      const surname = r.customer_name!.split(' ').at(-1)!;
      assert.equal(pan[4], surname[0]!.toUpperCase(), `${pan} for ${r.customer_name}`);
    }
    assert.equal(isPan('ABCPD1234E'), true);
    assert.equal(isPan('ABCXD1234E'), false, 'holder type X');
  });

  it('Q5 "CURP Verification for 2 character" is answered with the CURP’s last 2 characters', () => {
    const scenario = fixture({
      business: 'info_check',
      locale: 'es_MX',
      timezone: 'America/Mexico_City',
      count: 120,
      outcomes: { dial: { answered: 1 } },
    });
    let checked = 0;
    for (const m of messagesOf(simulate({ scenario, startTime: T0 }), 'call-completion-info-check')) {
      for (const d of m.payload.details) {
        const q5 = d.question_answer.find((q) => q.question_name === 'Q5');
        if (!q5 || q5.answer === '/') continue;
        assert.equal(q5.var, d.Variables.CURP, 'var: the whole variable, as in the vendor example');
        assert.equal(q5.answer.length, 2, q5.answer);
        assert.equal(q5.verification_results === 'Match', q5.answer === d.Variables.CURP!.slice(-2));
        checked++;
      }
    }
    assert.ok(checked > 20, `${checked} Q5 answers`);
  });
});

describe('phone numbers', () => {
  it('the permutation is a bijection (exhaustive on small spaces)', () => {
    for (const size of [1, 7, 1000, 4097]) {
      const p = new Permutation(42, size);
      const seen = new Set<number>();
      for (let i = 0; i < size; i++) seen.add(p.at(i));
      assert.equal(seen.size, size);
      assert.ok([...seen].every((x) => x >= 0 && x < size));
    }
    const space = new NumberSpace([{ prefix: '+1', slots: [['2', '3'], 1] }]);
    assert.deepEqual(
      Array.from({ length: space.size }, (_, i) => space.at(i)),
      ['+120', '+121', '+122', '+123', '+124', '+125', '+126', '+127', '+128', '+129'].concat(
        ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'].map((d) => `+13${d}`),
      ),
    );
  });

  it('large-campaign: its 10,000 numbers are unique and PH mobiles', () => {
    const s = loadScenarioFile('scenarios/large-campaign.yaml');
    const locale = s.account.locale;
    const list = rows(locale, s.contacts.generate!, s.seed, s.templates[0]!.business);
    const numbers = numbersOf(list);
    assert.ok(numbers.length >= 10_000);
    assert.equal(new Set(numbers).size, numbers.length);
    for (const n of numbers) assert.match(n, /^\+639\d{9}$/);
  });

  for (const locale of LOCALES) {
    it(`${locale}: multi-number rows are unique across the campaign and match the numbering plan`, () => {
      const list = rows(locale, { count: 6_000, numbers_per_contact: { min: 1, max: 3 } }, 3);
      const numbers = numbersOf(list);
      assert.ok(numbers.length > 6_000);
      assert.equal(new Set(numbers).size, numbers.length);
      const pattern = PROFILES[locale]!.mobilePattern;
      for (const n of numbers) {
        assert.match(n, pattern);
        assert.ok(!n.startsWith('+521'), `${n}: the +521 mobile prefix was retired in 2019`);
      }
      // Appending rows keeps the earlier rows' numbers.
      const more = numbersOf(rows(locale, { count: 6_100, numbers_per_contact: { min: 1, max: 3 } }, 3));
      assert.deepEqual(more.slice(0, numbers.length), numbers);
    });
  }

  it('no shipped scenario lists a +521 number', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    for (const f of readdirSync('scenarios'))
      assert.doesNotMatch(readFileSync(`scenarios/${f}`, 'utf8'), /\+521\d/);
  });
});

describe('names, companies and addresses per locale', () => {
  /** Capitalised words (Latin script), particles allowed; other scripts pass. */
  const properWords = (s: string): boolean =>
    s
      .split(' ')
      .every(
        (w) =>
          /^(de|del|la|las|los|y)$/.test(w) ||
          !/^\p{Script=Latin}/u.test(w) ||
          /^\p{Lu}[\p{Ll}'’]+(-\p{Lu}[\p{Ll}'’]+)*$/u.test(w),
      );

  for (const locale of LOCALES) {
    it(`${locale}: 2,000 names are capitalised words from the locale's own tables`, () => {
      const list = rows(locale, { count: 2_000, variables: { first: 'first_name' } }, 8);
      const def = localeDefinitions(locale).person as unknown as Record<string, Record<string, string[]>>;
      const flat = (o: Record<string, string[]> | undefined) => new Set(Object.values(o ?? {}).flat());
      const firsts = locale === 'en_PH' ? new Set<string>([...PH_MALE, ...PH_FEMALE]) : flat(def.first_name);
      const lasts = locale === 'en_PH' ? new Set<string>(PH_SURNAMES) : flat(def.last_name);
      for (const r of list) {
        const first = r.variables!.first!;
        const surnames = splitSurnames(
          r.customer_name!.slice(first.length + 1).replace(/(\S)-(?=\p{Lu})/gu, '$1 '),
        );
        assert.ok(firsts.has(first), `${locale}: given name ${first}`);
        assert.ok(properWords(r.customer_name!), `${locale}: ${r.customer_name}`);
        if (locale === 'zh_CN') {
          assert.ok(lasts.has(r.customer_name!.slice(first.length + 1)), r.customer_name);
          continue;
        }
        for (const s of surnames) assert.ok(lasts.has(s), `${locale}: surname ${s} of ${r.customer_name}`);
        if (locale === 'es_MX') assert.equal(surnames.length, 2, `paternal + maternal: ${r.customer_name}`);
      }
    });
  }

  const COMPANY: Record<(typeof LOCALES)[number], RegExp> = {
    id_ID: /^(PT|CV|UD|PD|Perum|Fa|KKB|Yayasan) \p{Lu}\p{Ll}+( \p{Lu}\p{Ll}+)?( Tbk)?$/u,
    en_PH:
      / (Lending|Finance|Credit|Marketing|Holdings|Microfinance) (Corp\.|Inc\.)$| (Trading|Enterprises|Pawnshop|Credit Cooperative)$/,
    es_MX: /( y Asociados| S\.A\. de C\.V\.| SOFOM, E\.N\.R\.)$/,
    en_IN: /( Pvt\. Ltd\.| Ltd\.| & Sons| Traders)$/,
    en_US: /( LLC| Inc\.| Group| Credit Union| and Sons|, \S+ and \S+)$/,
    zh_CN: /^\p{Script=Han}+(有限公司|有限责任公司)$/u,
  };
  const ADDRESS: Partial<Record<(typeof LOCALES)[number], RegExp>> = {
    en_PH: new RegExp(
      `^\\d{1,3} \\p{Lu}[\\p{L}-]+( \\p{Lu}\\p{L}+)? (St\\.|Ave\\.|Road|Extension), Brgy\\. [\\p{L} ]+, (${PH_CITIES.join('|')})$`,
      'u',
    ),
    en_IN: /^\d{1,3}, \p{Lu}\p{Ll}+ (Road|Nagar|Marg|Colony|Street|Lane|Layout)$/u,
  };

  for (const locale of LOCALES) {
    it(`${locale}: companies, cities and addresses are the country's`, () => {
      const text = localeText(locale);
      const r = new Rng(4);
      const cities = new Set(
        locale === 'en_PH' ? PH_CITIES : (localeDefinitions(locale).location!.city_name as string[]),
      );
      for (let i = 0; i < 500; i++) {
        const company = text.companyName(r);
        assert.match(company, COMPANY[locale], `${locale}: ${company}`);
        assert.doesNotMatch(company, / - /, company);
        const city = text.city(r);
        assert.ok(cities.has(locale === 'zh_CN' ? city.replace(/市$/, '') : city), `${locale}: city ${city}`);
        const address = text.streetAddress(r);
        if (ADDRESS[locale]) assert.match(address, ADDRESS[locale]!, `${locale}: ${address}`);
      }
    });
  }

  it('en_PH rows (large-campaign) carry Filipino names, not faker’s US ones', () => {
    const us = localeDefinitions('en_US').person as unknown as { last_name: { generic: string[] } };
    const usOnly = new Set(
      us.last_name.generic.filter((s) => !(PH_SURNAMES as readonly string[]).includes(s)),
    );
    const list = rows('en_PH', { count: 2_000 }, 1);
    for (const r of list) assert.ok(!usOnly.has(r.customer_name!.split(' ').at(-1)!), r.customer_name);
  });
});
