/**
 * What an account locale means for generated data: country calling code and mobile number space
 * (E.164), currency and typical debt sizes, the robot's language and persona. Number spaces follow
 * each country's public numbering plan (mobile prefixes, current lengths), not any real subscriber.
 */
import { NumberSpace } from './number-space.ts';
import type { Draw } from './rng.ts';

export type Language = 'id' | 'en' | 'es' | 'zh';

export interface LocaleProfile {
  locale: string;
  country: string;
  language: Language;
  currency: string;
  /** Typical borrowed amount, in currency units. */
  borrowed: { min: number; max: number };
  /** Robot persona name. */
  agent: string;
  /** Every mobile number rows may get (drawn through a campaign's permutation of it). */
  mobiles: NumberSpace;
  /** The E.164 shape of those numbers, written apart from `mobiles` so tests can check one by the other. */
  mobilePattern: RegExp;
  landline(d: Draw): string;
}

const digits = (d: Draw, n: number): string => d.digits(n);

// Indonesian mobile operator prefixes (Telkomsel, Indosat, XL, Tri, Smartfren).
const ID_PREFIXES = [
  '811',
  '812',
  '813',
  '821',
  '822',
  '852',
  '853',
  '814',
  '815',
  '816',
  '855',
  '856',
  '857',
  '858',
  '817',
  '818',
  '819',
  '859',
  '877',
  '878',
  '895',
  '896',
  '897',
  '898',
  '899',
  '881',
  '882',
  '883',
];
// Philippine mobile prefixes (Globe, Smart, DITO).
const PH_PREFIXES = [
  '917',
  '918',
  '919',
  '920',
  '921',
  '927',
  '928',
  '929',
  '939',
  '945',
  '947',
  '951',
  '955',
  '961',
  '966',
  '977',
  '991',
  '995',
  '998',
];
// Mexican area codes (CDMX, Guadalajara, Monterrey, Puebla, Querétaro, Juárez). Since 2019 every
// number, mobile or not, is dialled as +52 + 10 digits: the "1" of the old +521 mobile form is gone.
const MX_AREAS_2 = ['55', '33', '81'];
const MX_AREAS_3 = ['222', '442', '656'];
/** NANP area codes and exchanges: NXX, not N11 (service codes) nor N9X (reserved for expansion). */
const nanp = (exclude: string[]): string[] => {
  const out: string[] = [];
  for (let n = 200; n < 1000; n++) {
    const s = String(n);
    if (s[1] === '1' && s[2] === '1') continue;
    if (!exclude.includes(s)) out.push(s);
  }
  return out;
};
const US_AREAS = nanp([]).filter((s) => s[1] !== '9');
// 555 exchanges are kept for directory and fictional use.
const US_EXCHANGES = nanp(['555']);

export const PROFILES: Record<string, LocaleProfile> = {
  id_ID: {
    locale: 'id_ID',
    country: 'ID',
    language: 'id',
    currency: 'IDR',
    borrowed: { min: 500_000, max: 15_000_000 },
    agent: 'Sari',
    mobiles: new NumberSpace([
      { prefix: '+62', slots: [ID_PREFIXES, 7] },
      { prefix: '+62', slots: [ID_PREFIXES, 8] },
    ]),
    mobilePattern: /^\+628\d{9,10}$/,
    landline: (d) => `+6221${digits(d, 8)}`,
  },
  en_PH: {
    locale: 'en_PH',
    country: 'PH',
    language: 'en',
    currency: 'PHP',
    borrowed: { min: 2_000, max: 60_000 },
    agent: 'Hannah',
    mobiles: new NumberSpace([{ prefix: '+63', slots: [PH_PREFIXES, 7] }]),
    mobilePattern: /^\+639\d{9}$/,
    landline: (d) => `+632${digits(d, 8)}`,
  },
  es_MX: {
    locale: 'es_MX',
    country: 'MX',
    language: 'es',
    currency: 'MXN',
    borrowed: { min: 1_000, max: 40_000 },
    agent: 'Lucía',
    mobiles: new NumberSpace([
      { prefix: '+52', slots: [MX_AREAS_2, 8] },
      { prefix: '+52', slots: [MX_AREAS_3, 7] },
    ]),
    mobilePattern: /^\+52[2-9]\d{9}$/,
    landline: (d) => `+5255${digits(d, 8)}`,
  },
  en_IN: {
    locale: 'en_IN',
    country: 'IN',
    language: 'en',
    currency: 'INR',
    borrowed: { min: 5_000, max: 150_000 },
    agent: 'Priya',
    mobiles: new NumberSpace([{ prefix: '+91', slots: [['6', '7', '8', '9'], 9] }]),
    mobilePattern: /^\+91[6-9]\d{9}$/,
    landline: (d) => `+9122${digits(d, 8)}`,
  },
  en_US: {
    locale: 'en_US',
    country: 'US',
    language: 'en',
    currency: 'USD',
    borrowed: { min: 100, max: 5_000 },
    agent: 'Hannah',
    mobiles: new NumberSpace([{ prefix: '+1', slots: [US_AREAS, US_EXCHANGES, 4] }]),
    mobilePattern: /^\+1[2-9](?!11)[0-8]\d(?!555)[2-9](?!11)\d{2}\d{4}$/,
    landline: (d) => `+1${d.int(2, 9)}${digits(d, 2)}${d.int(2, 9)}${digits(d, 6)}`,
  },
  zh_CN: {
    locale: 'zh_CN',
    country: 'CN',
    language: 'zh',
    currency: 'CNY',
    borrowed: { min: 1_000, max: 50_000 },
    agent: '小雨',
    mobiles: new NumberSpace([{ prefix: '+861', slots: [['3', '5', '7', '8', '9'], 9] }]),
    mobilePattern: /^\+861[35789]\d{9}$/,
    landline: (d) => `+8610${digits(d, 8)}`,
  },
};

export function profileFor(locale: string): LocaleProfile {
  const p = PROFILES[locale];
  if (!p) throw new Error(`no locale profile for "${locale}"`);
  return p;
}
