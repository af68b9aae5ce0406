/** The clock edge: real, scaled and virtual clocks, cron triggers on any clock. */
export { createClock, parseClockSpec, CLOCK_SPEC_HELP, type ClockSpec } from './create-clock.ts';
export { createVirtualClock, type VirtualClockOptions } from './virtual-clock.ts';
export { createWallClock, type WallClockOptions } from './wall-clock.ts';
export { scheduleCron, nextCronInstant, type CronJob, type CronOptions } from './schedule-cron.ts';
export { isVirtualClock, type RunClock, type VirtualClock } from './types.ts';
export { systemWall, type Wall, type WallTimer } from './wall.ts';
