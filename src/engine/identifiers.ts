/**
 * National identifiers of generated rows, built by their real rules so a receiver's own checks
 * accept them: the Mexican CURP (RENAPO's "Instructivo normativo para la asignación de la CURP"),
 * the Indonesian NIK (Dukcapil's 16-digit layout) and the Indian PAN (Income Tax Department's
 * 10-character layout). Each kind has one `is…` check, used by the generator's tests and by anyone
 * who wants to check a value the emulator sent.
 */
import type { Draw } from './rng.ts';

export interface Person {
  /** Given name(s), as in `customer_name`. */
  given: string;
  /** Surnames in order (paternal first); a particle ("de", "del") stays with its surname. */
  surnames: string[];
  sex: 'male' | 'female';
  /** Birth date (UTC day). */
  dob: Date;
}

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const two = (n: number): string => String(n).padStart(2, '0');

// ---------------------------------------------------------------------------------------------
// CURP

/** The 32 states' codes, plus NE (born abroad), from the Instructivo's catalogue. */
export const CURP_STATES = [
  'AS', 'BC', 'BS', 'CC', 'CL', 'CM', 'CS', 'CH', 'DF', 'DG', 'GT', 'GR', 'HG', 'JC', 'MC', 'MN',
  'MS', 'NT', 'NL', 'OC', 'PL', 'QT', 'QR', 'SP', 'SL', 'SR', 'TC', 'TS', 'TL', 'VZ', 'YN', 'ZS',
  'NE',
] as const; // prettier-ignore

/** The check digit's dictionary (Ñ between N and O). */
const CURP_DICT = '0123456789ABCDEFGHIJKLMNÑOPQRSTUVWXYZ';

/**
 * Four-letter words the Instructivo (Anexo 2) forbids as the CURP's first four letters; the
 * second letter becomes X instead.
 */
const INCONVENIENT = new Set(
  (
    'BACA BAKA BUEI BUEY CACA CACO CAGA CAGO CAKA CAKO COGE COGI COJA COJE COJI COJO COLA CULO ' +
    'FALO FETO GETA GUEI GUEY JETA JOTO KACA KACO KAGA KAGO KAKA KAKO KOGE KOGI KOJA KOJE KOJI ' +
    'KOJO KOLA KULO LILO LOCA LOCO LOKA LOKO MAME MAMO MEAR MEAS MEON MIAR MION MOCO MOKO MULA ' +
    'MULO NACA NACO PEDA PEDO PENE PIPI PITO POPO PUTA PUTO QULO RATA ROBA ROBE ROBO RUIN SENO ' +
    'TETA VACA VAGA VAGO VAKA VUEI VUEY WUEI WUEY'
  ).split(' '),
);

/** Words skipped in names (the Instructivo's prepositions, conjunctions, contractions). */
const PARTICLES = new Set('DA DAS DE DEL DER DI DIE DD EL LA LOS LAS LE LES MAC MC VAN VON Y'.split(' '));
/** Given names skipped when another follows (María Fernanda → F, José Luis → L). */
const COMMON_FIRST = new Set(['MARIA', 'MA', 'JOSE', 'J']);

/** A name as the CURP reads it: capitals without accents, Ñ as X, particles removed. */
function curpWords(name: string): string[] {
  const plain = name
    .toUpperCase()
    .replace(/Ñ/g, 'X')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Z ]/g, ' ');
  return plain.split(/\s+/).filter((w) => w.length > 0 && !PARTICLES.has(w));
}

const isVowel = (c: string): boolean => 'AEIOU'.includes(c);
const firstInner = (w: string, want: (c: string) => boolean): string => {
  for (let i = 1; i < w.length; i++) if (want(w[i]!)) return w[i]!;
  return 'X';
};
const consonant = (c: string): boolean => !isVowel(c);

/** The name-derived parts of a CURP: letters 1–4 and 14–16. */
export function curpNameParts(p: Pick<Person, 'given' | 'surnames'>): { initials: string; inner: string } {
  const paternal = curpWords(p.surnames[0] ?? '').join('') || 'X';
  const maternal = curpWords(p.surnames.slice(1).join(' ')).join('');
  const givenWords = curpWords(p.given);
  const given =
    (givenWords.length > 1 && COMMON_FIRST.has(givenWords[0]!) ? givenWords[1] : givenWords[0]) ?? 'X';
  let initials = paternal[0]! + firstInner(paternal, isVowel) + (maternal[0] ?? 'X') + given[0]!;
  if (INCONVENIENT.has(initials)) initials = initials[0] + 'X' + initials.slice(2);
  const inner =
    firstInner(paternal, consonant) +
    (maternal ? firstInner(maternal, consonant) : 'X') +
    firstInner(given, consonant);
  return { initials, inner };
}

/** The CURP's 18th character for its first 17. */
export function curpCheckDigit(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += CURP_DICT.indexOf(first17[i]!) * (18 - i);
  return String((10 - (sum % 10)) % 10);
}

/** A CURP for a person, with a drawn state and homonymy differentiator. */
export function makeCurp(d: Draw, p: Person): string {
  const { initials, inner } = curpNameParts(p);
  const y = p.dob.getUTCFullYear();
  const date = two(y % 100) + two(p.dob.getUTCMonth() + 1) + two(p.dob.getUTCDate());
  // The differentiator: a digit for births up to 1999, a letter from 2000 (the Instructivo's rule).
  const diff = y < 2000 ? String(d.int(0, 9)) : LETTERS[d.int(0, 25)]!;
  const state = d.pick(CURP_STATES);
  const first17 = initials + date + (p.sex === 'male' ? 'H' : 'M') + state + inner + diff;
  return first17 + curpCheckDigit(first17);
}

const CURP_SHAPE =
  /^[A-Z][AEIOUX][A-Z]{2}(\d{2})(\d{2})(\d{2})[HM]([A-Z]{2})[B-DF-HJ-NP-TV-Z]{3}([0-9A-Z])(\d)$/;

const validDate = (y: number, m: number, day: number): boolean => {
  const t = new Date(Date.UTC(y, m - 1, day));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === day;
};

/**
 * Whether `curp` is a well-formed CURP: shape, a real date (the century read from the
 * differentiator: digit ⇒ 1900s, letter ⇒ 2000s), a state code of the catalogue, the check digit.
 */
export function isCurp(curp: string): boolean {
  const m = CURP_SHAPE.exec(curp);
  if (!m) return false;
  const century = /\d/.test(m[5]!) ? 1900 : 2000;
  if (!validDate(century + Number(m[1]), Number(m[2]), Number(m[3]))) return false;
  if (!(CURP_STATES as readonly string[]).includes(m[4]!)) return false;
  return curpCheckDigit(curp.slice(0, 17)) === curp[17];
}

// ---------------------------------------------------------------------------------------------
// NIK (Indonesia)

/**
 * Regions a NIK starts with: province (2 digits, BPS/Kemendagri codes) + a regency/city of it
 * (2 digits); the district (2 digits) is drawn 01–20.
 */
const NIK_REGIONS = [
  '1101', '1171', '1271', '1275', '1371', '1471', '1571', '1671', '1771', '1871', '1971', '2171',
  '3171', '3172', '3173', '3174', '3175', '3201', '3204', '3273', '3275', '3276', '3374', '3471',
  '3578', '3515', '3671', '5171', '5271', '5371', '6171', '6271', '6371', '6471', '7171', '7371',
  '7471', '8171', '9171',
] as const; // prettier-ignore

/** A NIK: region(4) + district(2) + DDMMYY (day + 40 for women) + serial (4, from 0001). */
export function makeNik(d: Draw, p: Person): string {
  const day = p.dob.getUTCDate() + (p.sex === 'female' ? 40 : 0);
  const born = two(day) + two(p.dob.getUTCMonth() + 1) + two(p.dob.getUTCFullYear() % 100);
  return d.pick(NIK_REGIONS) + two(d.int(1, 20)) + born + String(d.int(1, 9999)).padStart(4, '0');
}

/** Whether `nik` has a NIK's layout: 16 digits, province 11–94, a real day (or day + 40), serial ≥ 1. */
export function isNik(nik: string): boolean {
  const m = /^(\d{2})\d{2}\d{2}(\d{2})(\d{2})(\d{2})(\d{4})$/.exec(nik);
  if (!m) return false;
  const province = Number(m[1]);
  let day = Number(m[2]);
  if (day > 40) day -= 40;
  if (province < 11 || province > 94 || m[5] === '0000') return false;
  // Any century: a leap day only needs some year with those two last digits to be a leap year.
  return (
    validDate(2000 + Number(m[4]), Number(m[3]), day) || validDate(1900 + Number(m[4]), Number(m[3]), day)
  );
}

/** Sex and birth day encoded in a NIK (for consistency checks). */
export function nikBirth(nik: string): { sex: 'male' | 'female'; day: number; month: number; yy: number } {
  const day = Number(nik.slice(6, 8));
  return {
    sex: day > 40 ? 'female' : 'male',
    day: day > 40 ? day - 40 : day,
    month: Number(nik.slice(8, 10)),
    yy: Number(nik.slice(10, 12)),
  };
}

// ---------------------------------------------------------------------------------------------
// PAN (India)

/** PAN: 3 letters (AAA–ZZZ series), holder type P (a person), surname initial, 4 digits (0001–9999), a letter. */
export function makePan(d: Draw, p: Pick<Person, 'surnames' | 'given'>): string {
  const surname = (p.surnames[p.surnames.length - 1] ?? p.given).normalize('NFD').toUpperCase();
  const initial = /[A-Z]/.exec(surname)?.[0] ?? LETTERS[d.int(0, 25)]!;
  let series = '';
  for (let i = 0; i < 3; i++) series += LETTERS[d.int(0, 25)];
  return `${series}P${initial}${String(d.int(1, 9999)).padStart(4, '0')}${LETTERS[d.int(0, 25)]}`;
}

/** Holder types of a PAN's 4th letter (P person, C company, H HUF, F firm, A AOP, T trust, B BOI, L local authority, J juridical person, G government). */
const PAN_HOLDERS = 'PCHFATBLJG';

/** Whether `pan` has a PAN's layout (a known holder type, serial not 0000). */
export function isPan(pan: string): boolean {
  const m = /^[A-Z]{3}([A-Z])[A-Z](\d{4})[A-Z]$/.exec(pan);
  return m !== null && PAN_HOLDERS.includes(m[1]!) && m[2] !== '0000';
}
