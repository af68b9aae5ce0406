/**
 * Seeded randomness. One Faker instance per run, seeded and with a fixed reference date, so the
 * same seed and start time give the same data on every machine. Never the global `faker`.
 */
import {
  Faker,
  base,
  en,
  en_IN,
  es,
  es_MX,
  id_ID,
  en_US,
  zh_CN,
  type LocaleDefinition,
} from '@faker-js/faker';

/** Account locales the emulator knows, keyed by the scenario's `locale`. */
export const LOCALES: Record<string, LocaleDefinition[]> = {
  id_ID: [id_ID, en, base],
  // faker has no Filipino locale with names; the Philippines is English-speaking for business calls.
  en_PH: [en, base],
  es_MX: [es_MX, es, en, base],
  en_IN: [en_IN, en, base],
  en_US: [en_US, en, base],
  zh_CN: [zh_CN, en, base],
};

export function createFaker(seed: number, refDateMs: number, locale = 'en_US'): Faker {
  const defs = LOCALES[locale];
  if (!defs) throw new Error(`unknown locale "${locale}" (known: ${Object.keys(LOCALES).join(', ')})`);
  const faker = new Faker({ locale: defs, seed });
  faker.setDefaultRefDate(refDateMs);
  return faker;
}

/**
 * Derive an independent 32-bit seed from a parent seed and a label (FNV-1a), so sub-streams
 * (one per contact, say) do not shift when another stream draws more numbers.
 */
export function deriveSeed(seed: number, label: string): number {
  let h = (0x811c9dc5 ^ (seed >>> 0)) >>> 0;
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}
