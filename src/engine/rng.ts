/**
 * The engine's one Faker per run, with sub-streams per contact.
 *
 * Same locales, seed and reference date as `createFaker` (src/core/random.ts), but with a small
 * seedable PRNG (sfc32) as faker's randomizer: the engine re-seeds the Faker once per contact
 * (`deriveSeed(runSeed, "contact:<n>")`, so adding rows later never shifts earlier ones), and
 * re-seeding faker's default Mersenne Twister costs ~37 µs — too slow for 10,000-contact
 * campaigns and the 30k payloads/s goal. sfc32 re-seeds in a few nanoseconds.
 */
import { Faker, type Randomizer } from '@faker-js/faker';
import { LOCALES, deriveSeed } from '../core/random.ts';

/** sfc32 (Chris Doty-Humphrey's small fast counting generator), 32-bit state words. */
export function createSfc32Randomizer(seed: number): Randomizer {
  let a = 0;
  let b = 0;
  let c = 0;
  let d = 0;
  const next = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  const reseed = (s: number | number[]): void => {
    const n = Array.isArray(s) ? s.reduce((h, x, i) => deriveSeed(h, `${i}:${x}`), 0x9e3779b9) : s;
    a = 0x9e3779b9;
    b = 0x243f6a88;
    c = 0xb7e15162;
    d = n >>> 0;
    // Warm-up rounds decorrelate nearby seeds (deriveSeed outputs differ in few bits at times).
    for (let i = 0; i < 12; i++) next();
  };
  reseed(seed);
  return { next, seed: reseed };
}

export function createEngineFaker(seed: number, refDateMs: number, locale: string): Faker {
  const defs = LOCALES[locale];
  if (!defs) throw new Error(`unknown locale "${locale}" (known: ${Object.keys(LOCALES).join(', ')})`);
  const faker = new Faker({ locale: defs, randomizer: createSfc32Randomizer(seed) });
  faker.setDefaultRefDate(refDateMs);
  return faker;
}

/** Small draw helpers over a Faker, so hot paths avoid faker's option-object parsing. */
export interface Draw {
  faker: Faker;
  /** Uniform float in [0, 1). */
  unit(): number;
  /** Integer in [min, max] inclusive. */
  int(min: number, max: number): number;
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** Pick a key by weight; `entries` must have a positive total. */
  weighted<T>(entries: readonly (readonly [T, number])[]): T;
}

export function createDraw(faker: Faker): Draw {
  const unit = (): number => faker.number.float({ min: 0, max: 1, multipleOf: undefined });
  return {
    faker,
    unit,
    int: (min, max) => (max <= min ? min : min + Math.floor(unit() * (max - min + 1))),
    chance: (p) => unit() < p,
    pick: (items) => items[Math.floor(unit() * items.length)]!,
    weighted(entries) {
      let total = 0;
      for (const [, w] of entries) total += w;
      let r = unit() * total;
      for (const [k, w] of entries) {
        r -= w;
        if (r < 0) return k;
      }
      return entries[entries.length - 1]![0];
    },
  };
}
