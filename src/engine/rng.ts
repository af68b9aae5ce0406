/**
 * The engine's randomness: one small seedable generator per run (`Rng`, sfc32), re-seeded per
 * unit of work with `streamSeed(runSeed, stream, ...)` — a row's generation, one dial, one API
 * node, one detail id — so a row's data never depends on how other rows interleave, and appended
 * rows never shift earlier ones.
 *
 * Locale data (names, products, cities, companies) comes from faker's locale definitions, the same
 * tables faker itself draws from (cleaned of artefacts and adapted per country: `FIXES`; en_PH
 * from Philippine tables, faker having none), through `localeText(locale)`: the common look-ups (first and last
 * names, product names, city names) are compiled once per locale into direct picks from those
 * tables, driven by the run's Rng; anything else goes through one shared Faker per locale whose
 * randomizer reads the Rng it was bound to for that call. Creating a Faker costs ~100 µs and its
 * `helpers.fake` patterns microseconds per call; neither belongs on the per-row path.
 */
import type { Faker, LocaleDefinition } from '@faker-js/faker';
import { newFaker } from '../core/random.ts';
import { PH_CITIES, PH_FEMALE, PH_MALE, PH_SURNAMES, phCompany, phStreetAddress } from './names/ph.ts';

/** Uniform and weighted draws: the engine's only source of randomness (see `Rng`). */
export interface Draw {
  /** Uniform 32-bit unsigned integer. */
  uint32(): number;
  /** Uniform float in [0, 1). */
  unit(): number;
  /** Integer in [min, max] inclusive. */
  int(min: number, max: number): number;
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** Pick a key by weight; `entries` must have a positive total. */
  weighted<T>(entries: readonly (readonly [T, number])[]): T;
  /** `n` decimal digits (leading zeros allowed). */
  digits(n: number): string;
}

const TWO_32 = 4294967296;

/** sfc32 (Chris Doty-Humphrey's small fast counting generator): re-seeds in nanoseconds. */
export class Rng implements Draw {
  private a = 0;
  private b = 0;
  private c = 0;
  private d = 0;

  constructor(seed = 0) {
    this.seed(seed);
  }

  seed(seed: number): void {
    this.a = 0x9e3779b9;
    this.b = 0x243f6a88;
    this.c = 0xb7e15162;
    this.d = seed >>> 0;
    // Warm-up rounds decorrelate nearby seeds.
    for (let i = 0; i < 12; i++) this.uint32();
  }

  uint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    const c = (this.c << 21) | (this.c >>> 11);
    this.c = (c + t) | 0;
    return t >>> 0;
  }

  unit(): number {
    return this.uint32() / TWO_32;
  }

  int(min: number, max: number): number {
    return max <= min ? min : min + Math.floor(this.unit() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.unit() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.unit() * items.length)]!;
  }

  weighted<T>(entries: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (let i = 0; i < entries.length; i++) total += entries[i]![1];
    let r = this.unit() * total;
    for (let i = 0; i < entries.length; i++) {
      r -= entries[i]![1];
      if (r < 0) return entries[i]![0];
    }
    return entries[entries.length - 1]![0];
  }

  digits(n: number): string {
    let s = '';
    while (n > 0) {
      const k = n < 9 ? n : 9;
      const v = Math.floor(this.unit() * POW10[k]!);
      s += k === 9 ? String(v).padStart(9, '0') : String(v).padStart(k, '0');
      n -= k;
    }
    return s;
  }
}

const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];

/** Sub-stream tags for `streamSeed` (one per kind of unit of work). */
export const STREAM = {
  workflow: 1,
  platform: 2,
  row: 3,
  dial: 4,
  api: 5,
  detail: 6,
  /** The campaign's permutation of its locale's mobile numbers (src/engine/number-space.ts). */
  numbers: 7,
} as const;

const mix = (h: number, x: number): number => {
  let k = Math.imul(x | 0, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  h ^= Math.imul(k, 0x1b873593);
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
};

/**
 * Seed of one sub-stream: murmur3-style mixing of the run seed, a `STREAM` tag and up to three
 * indices (row, node, dial number, ...). Numeric, so no label string is built per dial.
 */
export function streamSeed(seed: number, stream: number, i = 0, j = 0, k = 0): number {
  let h = mix(mix(mix(mix(seed | 0, stream), i), j), k);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

// ---------------------------------------------------------------------------------------------
// Locale text

export type Sex = 'male' | 'female';

/** Locale-specific text drawn from faker's locale tables, driven by the caller's Rng. */
export interface LocaleText {
  readonly locale: string;
  firstName(r: Rng, sex: Sex): string;
  lastName(r: Rng, sex: Sex): string;
  productName(r: Rng): string;
  city(r: Rng): string;
  /** Company name (faker's patterns, through the shared Faker). */
  companyName(r: Rng): string;
  streetAddress(r: Rng): string;
  /** A birth date for an age in [minAge, maxAge] at `refMs` (UTC date). */
  birthdate(r: Rng, refMs: number, minAge: number, maxAge: number): Date;
}

type Gen = (r: Rng) => string;

/** Shared Faker per locale; its randomizer reads whichever Rng the last `bind` named. */
let bound: Rng = new Rng(0);
const fakers = new Map<string, Faker>();

function sharedFaker(locale: string): Faker {
  let f = fakers.get(locale);
  if (!f) {
    f = newFaker(locale, {
      randomizer: {
        next: () => bound.unit(),
        seed: () => {
          throw new Error('the engine Faker is seeded through its Rng (src/engine/rng.ts)');
        },
      },
    });
    fakers.set(locale, f);
  }
  return f;
}

/** The locale's shared Faker, drawing from `r` (use it at once: the next bind re-targets it). */
export function fakerFor(locale: string, r: Rng): Faker {
  const f = sharedFaker(locale);
  bound = r;
  return f;
}

type SexedDef<T> = { generic?: T[]; female?: T[]; male?: T[] } | undefined;

/** faker's person-module rule for a sexed definition: the sex's list, the generic one, or both weighted. */
function sexedChoices<T>(def: SexedDef<T>, sex: Sex): [T[], number][] {
  if (!def) return [];
  const own = sex === 'female' ? def.female : def.male;
  const generic = def.generic;
  if (!own || own.length === 0) return generic && generic.length > 0 ? [[generic, 1]] : [];
  if (!generic || generic.length === 0) return [[own, 1]];
  return [
    [own, 3 * Math.sqrt(own.length)],
    [generic, Math.sqrt(generic.length)],
  ];
}

const pickFrom = <T>(r: Rng, choices: [T[], number][]): T => r.pick(r.weighted(choices));

function getPath(root: unknown, path: string): unknown {
  let v = root;
  for (const key of path.split('.')) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

const isStringList = (v: unknown): v is string[] =>
  Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string');

/**
 * Compile a faker mustache pattern ("{{person.last_name.generic}} de {{...}}") into a generator,
 * or null when an expression is not a plain table look-up (the caller then falls back to faker).
 */
function compilePattern(pattern: string, resolve: (expr: string) => Gen | null): Gen | null {
  const parts: (string | Gen)[] = [];
  const re = /\{\{([^{}]+)\}\}/g;
  let last = 0;
  for (let m = re.exec(pattern); m; m = re.exec(pattern)) {
    if (m.index > last) parts.push(pattern.slice(last, m.index));
    const g = resolve(m[1]!.trim());
    if (!g) return null;
    parts.push(g);
    last = re.lastIndex;
  }
  if (last < pattern.length) parts.push(pattern.slice(last));
  if (parts.length === 1 && typeof parts[0] !== 'string') return parts[0]!;
  return (r) => {
    let s = '';
    for (const p of parts) s += typeof p === 'string' ? p : p(r);
    return s;
  };
}

/** A list of patterns (uniform strings or faker's weighted {value, weight}) into one generator. */
function compilePatterns(list: unknown, resolve: (expr: string) => Gen | null): Gen | null {
  if (!Array.isArray(list) || list.length === 0) return null;
  const gens: [Gen, number][] = [];
  for (const item of list) {
    const text = typeof item === 'string' ? item : (item as { value?: unknown }).value;
    const weight = typeof item === 'string' ? 1 : Number((item as { weight?: unknown }).weight ?? 1);
    if (typeof text !== 'string') return null;
    const g = compilePattern(text, resolve);
    if (!g) return null;
    gens.push([g, weight]);
  }
  if (gens.length === 1) return gens[0]![0];
  return (r) => r.weighted(gens)(r);
}

/**
 * Where faker's tables do not fit the country, what the emulator uses instead (patterns are
 * compiled like faker's own, `{{…}}` naming a table):
 * - es_MX: two surnames, paternal then maternal (the Mexican convention the CURP reads), not
 *   faker's "A de B"; faker's Spanish surname table has given names and foreign entries filed under
 *   K, W and X ("Kuzmina", "Xenia"), which no Spanish surname starts with.
 * - en_US, zh_CN: real city names instead of invented ones ("North Roxanneberg", "西头市").
 * - Company names in each country's legal forms (S.A. de C.V., Pvt. Ltd., 有限公司), not faker's
 *   "A - B", "Konopelski & King and Sons" or "无限责任公司" (unlimited liability).
 * - en_IN: single surnames; street addresses in Indian form ("12, Sharma Nagar") instead of faker's US "Oval", "Forks".
 * `{{fix.NAME}}` names one of the fix's `tables`, `{{fix.number}}` a house number 1–999.
 */
interface LocaleFix {
  lastPattern?: string;
  rejectSurname?: RegExp;
  cityPattern?: string;
  companyPatterns?: string[];
  streetPattern?: string;
  tables?: Record<string, readonly string[]>;
}

const FIXES: Record<string, LocaleFix> = {
  id_ID: {
    // A legal form once ("CV Anggraini", "PT Hidayat Tbk"), not "CV … (Persero) Tbk": Persero
    // marks state-owned firms; PT names of the common "Dana Mandiri Sejahtera" kind.
    companyPatterns: [
      '{{company.prefix}} {{person.lastName}}',
      'PT {{person.lastName}} Tbk',
      'PT {{fix.id_word}} {{fix.id_word2}}',
    ],
    tables: {
      id_word: ['Dana', 'Kredit', 'Sinar', 'Mitra', 'Karya', 'Bina', 'Cahaya', 'Artha'],
      id_word2: ['Mandiri', 'Sejahtera', 'Abadi', 'Jaya', 'Makmur', 'Sentosa', 'Utama', 'Lestari'],
    },
  },
  es_MX: {
    lastPattern: '{{person.last_name.generic}} {{person.last_name.generic}}',
    // Also a fictional name and misspellings the table carries.
    rejectSurname: /^([KWX]|(Gollum|Garica|Hernádez|Domínquez|Rodrígez|Rodríquez|Jimínez|Yami|Yago)$)/,
    companyPatterns: [
      '{{person.last_name.generic}} y Asociados',
      '{{person.last_name.generic}} Hermanos S.A. de C.V.',
      '{{person.last_name.generic}} {{person.last_name.generic}} S.A. de C.V.',
      'Grupo {{person.last_name.generic}} S.A. de C.V.',
      'Financiera {{person.last_name.generic}} S.A. de C.V., SOFOM, E.N.R.',
    ],
  },
  en_US: {
    cityPattern: '{{location.city_name}}',
    companyPatterns: [
      '{{person.lastName}} {{fix.us_entity}}',
      '{{person.lastName}} & {{person.lastName}} {{fix.us_entity}}',
      '{{person.lastName}}, {{person.lastName}} and {{person.lastName}}',
      '{{person.lastName}} and Sons',
    ],
    tables: { us_entity: ['LLC', 'Inc.', 'Group', 'Financial LLC', 'Credit Union'] },
  },
  en_IN: {
    // One family name: faker's English "A-B" double-barrelled surnames are not an Indian form.
    lastPattern: '{{person.last_name.generic}}',
    companyPatterns: [
      '{{person.lastName}} Finance Pvt. Ltd.',
      '{{person.lastName}} Fincorp Ltd.',
      '{{person.lastName}} & Sons',
      '{{person.lastName}} Traders',
      '{{person.lastName}} Enterprises Pvt. Ltd.',
    ],
    streetPattern: '{{fix.number}}, {{person.lastName}} {{fix.in_street}}',
    tables: { in_street: ['Road', 'Nagar', 'Marg', 'Colony', 'Street', 'Lane', 'Layout'] },
  },
  zh_CN: {
    cityPattern: '{{location.city_name}}市',
    companyPatterns: [
      '{{location.city}}{{person.firstName}}{{company.category}}{{fix.cn_entity}}',
      '{{location.state}}{{person.firstName}}{{company.category}}{{fix.cn_entity}}',
    ],
    tables: { cn_entity: ['有限公司', '有限责任公司', '股份有限公司', '集团有限公司'] },
  },
};

/**
 * A name table entry a person could carry: capitalised words (a surname table: one word, maybe
 * after particles such as "de", "del", "la"). Drops faker artefacts such as "Krauel natera".
 */
function properName(entry: string, surname: boolean): boolean {
  const words = entry.split(' ');
  let capitals = 0;
  for (const w of words) {
    if (/^(de|del|la|las|los|y|van|von|bin|binti)$/.test(w)) continue;
    // Latin script: a capital then lower-case letters (apostrophes, hyphenated parts allowed).
    if (/^\p{Script=Latin}/u.test(w) && !/^\p{Lu}[\p{Ll}'’]+(-\p{Lu}[\p{Ll}'’]+)*$/u.test(w)) return false;
    capitals++;
  }
  return capitals >= 1 && (!surname || capitals === 1);
}

function cleanSexed(def: SexedDef<string>, keep: (s: string) => boolean): SexedDef<string> {
  if (!def) return def;
  const out: { generic?: string[]; female?: string[]; male?: string[] } = {};
  for (const k of ['generic', 'female', 'male'] as const) {
    const list = def[k]?.filter(keep);
    if (list && list.length > 0) out[k] = list;
  }
  return out;
}

function buildLocaleText(locale: string): LocaleText {
  const t = buildFakerText(locale);
  if (locale !== 'en_PH') return t;
  // faker has no Filipino locale: Philippine tables (src/engine/names/ph.ts), faker's English
  // for the rest (products).
  const sexed = { male: PH_MALE, female: PH_FEMALE };
  return {
    ...t,
    firstName: (r, sex) => r.pick(sexed[sex]),
    lastName: (r) => r.pick(PH_SURNAMES),
    city: (r) => r.pick(PH_CITIES),
    companyName: phCompany,
    streetAddress: phStreetAddress,
  };
}

function buildFakerText(locale: string): LocaleText {
  const faker = sharedFaker(locale);
  const raw = faker.rawDefinitions as LocaleDefinition;
  const fix = FIXES[locale] ?? {};
  const person = raw.person as Record<string, unknown> | undefined;
  const firstDef = cleanSexed(person?.first_name as SexedDef<string>, (s) => properName(s, false));
  const first: Record<Sex, [string[], number][]> = {
    male: sexedChoices(firstDef, 'male'),
    female: sexedChoices(firstDef, 'female'),
  };
  const firstName = (r: Rng, sex: Sex): string =>
    first[sex].length > 0 ? pickFrom(r, first[sex]) : fakerFor(locale, r).person.firstName(sex);

  const reject = fix.rejectSurname;
  const lastDef = cleanSexed(
    person?.last_name as SexedDef<string>,
    (s) => properName(s, true) && !(reject && reject.test(s)),
  );
  const lastPlain: Record<Sex, [string[], number][]> = {
    male: sexedChoices(lastDef, 'male'),
    female: sexedChoices(lastDef, 'female'),
  };
  const commerce = raw.commerce as Record<string, unknown> | undefined;
  const productParts = commerce?.product_name as Record<string, unknown> | undefined;
  const location = raw.location as Record<string, unknown> | undefined;

  // Table look-ups a pattern may name; anything else is left to faker.
  let randomLast: Gen | null = null;
  let city: Gen | null = null;
  const resolve = (expr: string): Gen | null => {
    const alias: Record<string, unknown> = {
      'commerce.product': productParts?.product,
      'commerce.productMaterial': productParts?.material,
      'commerce.productAdjective': productParts?.adjective,
    };
    if (expr === 'person.firstName') return (r) => firstName(r, r.chance(0.5) ? 'female' : 'male');
    if (expr === 'person.lastName') return randomLast;
    if (expr === 'location.city') return city;
    if (expr === 'fix.number') return (r) => String(r.int(1, 999));
    if (expr.startsWith('fix.')) {
      const table = fix.tables?.[expr.slice(4)];
      return table ? (r) => r.pick(table) : null;
    }
    // Name tables: the cleaned ones.
    const v = expr.startsWith('person.last_name.')
      ? getPath(lastDef, expr.slice('person.last_name.'.length))
      : expr in alias
        ? alias[expr]
        : getPath(raw, expr);
    if (!isStringList(v)) return null;
    return (r) => r.pick(v);
  };

  const patternDef = fix.lastPattern
    ? { generic: [fix.lastPattern] }
    : (person?.last_name_pattern as SexedDef<unknown> | undefined);
  const lastFor = (sex: Sex): Gen => {
    if (patternDef) {
      const choices = sexedChoices(patternDef, sex);
      const compiled = choices.map(([list, w]): [Gen | null, number] => [compilePatterns(list, resolve), w]);
      if (compiled.length > 0 && compiled.every(([g]) => g !== null)) {
        const gens = compiled as [Gen, number][];
        return gens.length === 1 ? gens[0]![0] : (r) => r.weighted(gens)(r);
      }
      return (r) => fakerFor(locale, r).person.lastName(sex);
    }
    const plain = lastPlain[sex];
    return plain.length > 0 ? (r) => pickFrom(r, plain) : (r) => fakerFor(locale, r).person.lastName(sex);
  };
  const last: Record<Sex, Gen> = { male: lastFor('male'), female: lastFor('female') };
  randomLast = (r) => last[r.chance(0.5) ? 'female' : 'male'](r);

  const product =
    compilePatterns(productParts?.pattern, resolve) ??
    ((r: Rng) => fakerFor(locale, r).commerce.productName());
  city =
    compilePatterns(fix.cityPattern ? [fix.cityPattern] : location?.city_pattern, resolve) ??
    ((r: Rng) => fakerFor(locale, r).location.city());
  const company =
    compilePatterns(
      fix.companyPatterns ?? (raw.company as Record<string, unknown> | undefined)?.name_pattern,
      resolve,
    ) ?? ((r: Rng) => fakerFor(locale, r).company.name());
  const street =
    compilePatterns(fix.streetPattern ? [fix.streetPattern] : undefined, resolve) ??
    ((r: Rng) => fakerFor(locale, r).location.streetAddress());

  return {
    locale,
    firstName,
    lastName: (r, sex) => last[sex](r),
    productName: product,
    city,
    companyName: company,
    streetAddress: street,
    birthdate(r, refMs, minAge, maxAge) {
      const ref = new Date(refMs);
      const y = ref.getUTCFullYear();
      const m = ref.getUTCMonth();
      const d = ref.getUTCDate();
      // Born after the (maxAge + 1)th birthday's eve and on or before the minAge-th birthday.
      const lo = Date.UTC(y - maxAge - 1, m, d + 1);
      const hi = Date.UTC(y - minAge, m, d);
      return new Date(lo + Math.floor(r.unit() * ((hi - lo) / 86_400_000 + 1)) * 86_400_000);
    },
  };
}

const texts = new Map<string, LocaleText>();

/** The locale's text tables (built once per process and locale). */
export function localeText(locale: string): LocaleText {
  let t = texts.get(locale);
  if (!t) {
    t = buildLocaleText(locale);
    texts.set(locale, t);
  }
  return t;
}
