/**
 * What an account locale means for generated data: country calling code and mobile number shape
 * (E.164), currency and typical debt sizes, the robot's language and persona. Number shapes follow
 * each country's public numbering plan (mobile prefixes), not any real subscriber.
 */
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
  mobile(d: Draw): string;
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
// Mexican area codes (CDMX, Guadalajara, Monterrey, Puebla, Querétaro, Juárez); numbers are 10 digits.
const MX_AREAS = ['55', '33', '81', '222', '442', '656'];

export const PROFILES: Record<string, LocaleProfile> = {
  id_ID: {
    locale: 'id_ID',
    country: 'ID',
    language: 'id',
    currency: 'IDR',
    borrowed: { min: 500_000, max: 15_000_000 },
    agent: 'Sari',
    mobile: (d) => `+62${d.pick(ID_PREFIXES)}${digits(d, d.int(7, 8))}`,
    landline: (d) => `+6221${digits(d, 8)}`,
  },
  en_PH: {
    locale: 'en_PH',
    country: 'PH',
    language: 'en',
    currency: 'PHP',
    borrowed: { min: 2_000, max: 60_000 },
    agent: 'Hannah',
    mobile: (d) => `+63${d.pick(PH_PREFIXES)}${digits(d, 7)}`,
    landline: (d) => `+632${digits(d, 8)}`,
  },
  es_MX: {
    locale: 'es_MX',
    country: 'MX',
    language: 'es',
    currency: 'MXN',
    borrowed: { min: 1_000, max: 40_000 },
    agent: 'Lucía',
    mobile: (d) => {
      const area = d.pick(MX_AREAS);
      return `+52${area}${digits(d, 10 - area.length)}`;
    },
    landline: (d) => `+5255${digits(d, 8)}`,
  },
  en_IN: {
    locale: 'en_IN',
    country: 'IN',
    language: 'en',
    currency: 'INR',
    borrowed: { min: 5_000, max: 150_000 },
    agent: 'Priya',
    mobile: (d) => `+91${d.int(6, 9)}${digits(d, 9)}`,
    landline: (d) => `+9122${digits(d, 8)}`,
  },
  en_US: {
    locale: 'en_US',
    country: 'US',
    language: 'en',
    currency: 'USD',
    borrowed: { min: 100, max: 5_000 },
    agent: 'Hannah',
    mobile: (d) => `+1${d.int(2, 9)}${digits(d, 2)}${d.int(2, 9)}${digits(d, 6)}`,
    landline: (d) => `+1${d.int(2, 9)}${digits(d, 2)}${d.int(2, 9)}${digits(d, 6)}`,
  },
  zh_CN: {
    locale: 'zh_CN',
    country: 'CN',
    language: 'zh',
    currency: 'CNY',
    borrowed: { min: 1_000, max: 50_000 },
    agent: '小雨',
    mobile: (d) => `+861${d.pick(['3', '5', '7', '8', '9'])}${digits(d, 9)}`,
    landline: (d) => `+8610${digits(d, 8)}`,
  },
};

export function profileFor(locale: string): LocaleProfile {
  const p = PROFILES[locale];
  if (!p) throw new Error(`no locale profile for "${locale}"`);
  return p;
}
