/**
 * The time zone of a callee's region, from the number: E.164 calling code → country
 * (libphonenumber-js's metadata; its parser only for calling codes several countries share, such
 * as +1 and +7) → the country's IANA zone (countries-and-timezones). A country with several zones
 * gets the zone of its capital (CAPITAL_ZONES). Masked, malformed or non-geographic numbers and
 * countries without a capital zone have none (the caller falls back to the account zone).
 */
import { countriesAndTimezones, phoneMetadata, phoneNumbers } from './lazy-packages.ts';

/**
 * The capital's zone of every country that countries-and-timezones lists with several zones
 * (Antarctica and the US Minor Outlying Islands have no capital: they have none). Where the capital
 * is a link (Kinshasa, Kuala Lumpur, Palikir, Majuro, Port-aux-Français), its canonical zone.
 * test/core/callee-zone.test.ts checks this covers every such country.
 */
export const CAPITAL_ZONES: Readonly<Record<string, string>> = {
  AR: 'America/Argentina/Buenos_Aires',
  AU: 'Australia/Sydney',
  BR: 'America/Sao_Paulo',
  CA: 'America/Toronto',
  CD: 'Africa/Lagos',
  CL: 'America/Santiago',
  CN: 'Asia/Shanghai',
  CY: 'Asia/Nicosia',
  DE: 'Europe/Berlin',
  EC: 'America/Guayaquil',
  ES: 'Europe/Madrid',
  FM: 'Pacific/Guadalcanal',
  GL: 'America/Nuuk',
  ID: 'Asia/Jakarta',
  KI: 'Pacific/Tarawa',
  KZ: 'Asia/Almaty',
  MH: 'Pacific/Tarawa',
  MN: 'Asia/Ulaanbaatar',
  MX: 'America/Mexico_City',
  MY: 'Asia/Singapore',
  NZ: 'Pacific/Auckland',
  PF: 'Pacific/Tahiti',
  PG: 'Pacific/Port_Moresby',
  PS: 'Asia/Hebron',
  PT: 'Europe/Lisbon',
  RU: 'Europe/Moscow',
  TF: 'Indian/Maldives',
  UA: 'Europe/Kyiv',
  US: 'America/New_York',
  UZ: 'Asia/Tashkent',
  VN: 'Asia/Ho_Chi_Minh',
};

/** Countries with no zone of their own here: no capital (AQ, UM) or no zone listed (HM). */
export const ZONELESS_COUNTRIES: readonly string[] = ['AQ', 'HM', 'UM'];

const E164 = /^\+[1-9]\d{5,14}$/;

/** ISO 3166 country of an E.164 number, or undefined (masked, malformed, non-geographic). */
export function countryOfNumber(number: string): string | undefined {
  if (!E164.test(number)) return undefined;
  const codes = phoneMetadata().country_calling_codes;
  // Calling codes are prefix-free: the first one that matches is the number's.
  for (let len = 1; len <= 3; len++) {
    const countries = codes[number.slice(1, 1 + len)];
    if (countries === undefined) continue;
    if (countries.length === 1) return real(countries[0]!);
    // A shared code: the number's own plan decides (area code …); else the code's main country.
    // (extract: false: the text is the number, no search for one in it — half the cost.)
    const parsed = phoneNumbers().parsePhoneNumberFromString(number, { extract: false });
    return real(parsed?.country ?? countries[0]!);
  }
  return undefined;
}

/** "001" is libphonenumber's non-geographic entity (+800, +882 …): no country. */
const real = (country: string): string | undefined => (country === '001' ? undefined : country);

/** IANA zone of a country: its only zone, or its capital's; undefined when it has neither. */
export function zoneOfCountry(country: string): string | undefined {
  const capital = CAPITAL_ZONES[country];
  if (capital !== undefined) return capital;
  const zones = countriesAndTimezones().getCountry(country)?.timezones;
  return zones?.length === 1 ? zones[0] : undefined;
}

/** IANA zone of the callee's region, or undefined (the caller uses the account zone). */
export function zoneOfNumber(number: string): string | undefined {
  const country = countryOfNumber(number);
  return country === undefined ? undefined : zoneOfCountry(country);
}

/** Whether `zone` is an IANA zone this runtime knows. */
export function isKnownZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
