/**
 * At-least-once chaos (emulator-defined; the vendor documents none of it, but a receiver must
 * survive it): duplicate a delivery, hold one back so the next message to the same URL overtakes
 * it, or delay its first attempt. Off by default. Every draw is derived from (seed, delivery id,
 * switch) with deriveSeed, so a run's chaos does not depend on the order deliveries are created in.
 */
import { deriveSeed } from '../core/random.ts';

/** A scenario's `delivery.chaos` in camelCase (`duplicate_rate` → `duplicateRate`, …). */
export interface ChaosConfig {
  /** Probability (0..1) that a delivery is sent twice (a second delivery, same bytes). */
  duplicateRate?: number;
  /** Probability (0..1) that a delivery is held back until the next one to its URL has gone. */
  reorderRate?: number;
  /** Longest hold for `reorderRate`, clock ms (default 60 000; library only). */
  reorderWindowMs?: number;
  /** Extra clock delay before each attempt: fixed, or a uniform draw in {min, max}. */
  delayMs?: number | { min: number; max: number };
}

export interface ChaosPlan {
  duplicate: boolean;
  /** Hold at most this long (clock ms) for reordering, or 0. */
  holdMs: number;
  /** Extra delay (clock ms) before attempt n. */
  delayMs(n: number): number;
}

const noDelay = () => 0;
export const NO_CHAOS: ChaosPlan = Object.freeze({ duplicate: false, holdMs: 0, delayMs: noDelay });

function checkProbability(name: string, p: number | undefined): number {
  if (p === undefined) return 0;
  if (!(p >= 0 && p <= 1)) throw new Error(`chaos.${name} must be a probability between 0 and 1 (got ${p})`);
  return p;
}

/** A uniform draw in [0, 1) for (seed, label): FNV-1a (deriveSeed) plus a murmur3 finaliser. */
export function uniform(seed: number, label: string): number {
  let h = deriveSeed(seed, label);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return (h >>> 0) / 0x1_0000_0000;
}

export function createChaos(
  config: ChaosConfig | undefined,
  seed: number,
): (deliveryId: string) => ChaosPlan {
  const dup = checkProbability('duplicateRate', config?.duplicateRate);
  const reorder = checkProbability('reorderRate', config?.reorderRate);
  const windowMs = config?.reorderWindowMs ?? 60_000;
  const d = config?.delayMs ?? 0;
  const [lo, hi] = typeof d === 'number' ? [d, d] : [d.min, d.max];
  if (!(lo >= 0 && hi >= lo)) throw new Error('chaos.delayMs must be >= 0 (and min <= max)');
  if (dup === 0 && reorder === 0 && hi === 0) return () => NO_CHAOS;
  return (id) => ({
    duplicate: dup > 0 && uniform(seed, `${id}:duplicate`) < dup,
    holdMs: reorder > 0 && uniform(seed, `${id}:reorder`) < reorder ? windowMs : 0,
    delayMs: hi === 0 ? noDelay : (n) => lo + Math.floor(uniform(seed, `${id}:delay:${n}`) * (hi - lo + 1)),
  });
}

/**
 * The chaos of a service: its own plan maker (`base`, from the service's config, checked now), and
 * one per template config object (`of`), made on first use and cached for that object.
 */
export function chaosPlans(
  config: ChaosConfig | undefined,
  seed: number,
): {
  base: (deliveryId: string) => ChaosPlan;
  of(config: ChaosConfig | undefined): (deliveryId: string) => ChaosPlan;
} {
  const base = createChaos(config, seed);
  const byConfig = new WeakMap<ChaosConfig, (deliveryId: string) => ChaosPlan>();
  return {
    base,
    of(c) {
      if (c === undefined) return base;
      let plans = byConfig.get(c);
      if (!plans) {
        plans = createChaos(c, seed);
        byConfig.set(c, plans);
      }
      return plans;
    },
  };
}
