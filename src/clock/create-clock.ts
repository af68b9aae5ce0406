/**
 * `--clock real | scaled:<scale> | virtual` → a clock (a scenario's `clock: { mode, scale }`). `virtual:manual` is the virtual clock that
 * moves only when told to (admin API / library `advance()`).
 */
import { createVirtualClock } from './virtual-clock.ts';
import { createWallClock } from './wall-clock.ts';
import type { RunClock } from './types.ts';
import type { Wall } from './wall.ts';

export type ClockSpec =
  { mode: 'real' } | { mode: 'scaled'; scale: number } | { mode: 'virtual'; auto: boolean };

export const CLOCK_SPEC_HELP = 'real | scaled:<scale> (e.g. scaled:60) | virtual | virtual:manual';

/** Parse a clock spec string; throws an Error whose message suits a CLI usage error. */
export function parseClockSpec(spec: string): ClockSpec {
  const s = spec.trim();
  if (s === 'real') return { mode: 'real' };
  if (s === 'virtual') return { mode: 'virtual', auto: true };
  if (s === 'virtual:manual') return { mode: 'virtual', auto: false };
  const m = /^scaled:(\d+(?:\.\d+)?)$/.exec(s);
  if (m) {
    const scale = Number(m[1]);
    if (scale > 0) return { mode: 'scaled', scale };
  }
  throw new Error(`invalid clock "${spec}" (expected ${CLOCK_SPEC_HELP})`);
}

/**
 * Create a clock from its spec. `startTime` (epoch ms) is the clock time at creation; without it the
 * host time is used, which makes runs differ — pass one for reproducible payload times.
 */
export function createClock(
  spec: string | ClockSpec,
  startTime?: number,
  opts: { wall?: Wall } = {},
): RunClock {
  const s = typeof spec === 'string' ? parseClockSpec(spec) : spec;
  if (startTime !== undefined && !Number.isFinite(startTime))
    throw new Error('start time must be a finite epoch ms');
  switch (s.mode) {
    case 'real':
      return createWallClock({ startTime, wall: opts.wall });
    case 'scaled':
      return createWallClock({ startTime, scale: s.scale, wall: opts.wall });
    case 'virtual':
      return createVirtualClock({ startTime, auto: s.auto, wall: opts.wall });
  }
}
