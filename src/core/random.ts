/**
 * Seeded randomness. One Faker instance per run, seeded and with a fixed reference date, so the
 * same seed and start time give the same data on every machine. Never the global `faker`.
 */
import { fakerLocale } from './lazy-packages.ts';
import type { Faker, LocaleDefinition, Randomizer } from '@faker-js/faker';

/**
 * Account locales the emulator knows, keyed by the scenario's `locale`: the faker locale module
 * (`@faker-js/faker/locale/<name>`) whose definitions it uses. Each module's prebuilt instance
 * merges the locale with its fallbacks, exactly the chain the emulator wants: id_ID → en → base,
 * es_MX → es → en → base, en_IN/en_US/zh_CN → en → base, en → base.
 */
const LOCALE_MODULES: Record<string, string> = {
  id_ID: 'id_ID',
  // faker has no Filipino locale: English for what faker still gives (products); names, companies
  // and places come from Philippine tables (src/engine/names/ph.ts, used by src/engine/rng.ts).
  en_PH: 'en',
  es_MX: 'es_MX',
  en_IN: 'en_IN',
  en_US: 'en_US',
  zh_CN: 'zh_CN',
};

/** The account locales the emulator knows. */
export const LOCALE_NAMES: readonly string[] = Object.keys(LOCALE_MODULES);

/** Each locale's prebuilt instance, loaded on first use: a process pays only for its locales. */
const prebuilt = new Map<string, Faker>();

function localeFaker(locale: string): Faker {
  let f = prebuilt.get(locale);
  if (!f) {
    const mod = LOCALE_MODULES[locale];
    if (!mod) throw new Error(`unknown locale "${locale}" (known: ${LOCALE_NAMES.join(', ')})`);
    f = fakerLocale(mod).faker;
    prebuilt.set(locale, f);
  }
  return f;
}

/** The merged definitions (locale, then its fallbacks) of an account locale. */
export function localeDefinitions(locale: string): LocaleDefinition {
  return localeFaker(locale).rawDefinitions;
}

/**
 * A new Faker over an account locale's definitions, seeded or drawing from `randomizer`. (faker's
 * class is taken from the locale's prebuilt instance: importing it from the main entry point
 * would load every locale.)
 */
export function newFaker(locale: string, opts: { seed?: number; randomizer?: Randomizer }): Faker {
  const FakerClass = localeFaker(locale).constructor as typeof Faker;
  return new FakerClass({ locale: localeDefinitions(locale), ...opts });
}

export function createFaker(seed: number, refDateMs: number, locale = 'en_US'): Faker {
  const faker = newFaker(locale, { seed });
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

/** Who a workflow is, for its seed: its scenario's name, the template's `id`, and its position. */
export interface WorkflowIdentity {
  scenario: string;
  template: string;
  /** 0 for the first workflow made from this scenario's template, 1 for the second… */
  position: number;
}

/**
 * A workflow's seed, derived from the root seed (`--seed`, `seed:` option) by the workflow's
 * identity. `run`, `serve` and the library all use it, so the same scenario, seed and start time
 * give the same workflow (ids, contacts, outcomes) whichever plays it.
 */
export function workflowSeed(root: number, id: WorkflowIdentity): number {
  return deriveSeed(root, `workflow:${id.scenario}/${id.template}#${id.position}`);
}
