import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createClock, parseClockSpec } from '../../src/clock/create-clock.ts';
import { createWallClock } from '../../src/clock/wall-clock.ts';
import { createFakeWall, settle } from './fake-wall.ts';

const T0 = Date.UTC(2024, 2, 11, 1, 0, 0);

describe('real and scaled clocks', () => {
  it('scaled:60 — one vendor minute per real second, timers divided by the scale', async () => {
    const wall = createFakeWall();
    const clock = createWallClock({ startTime: T0, scale: 60, wall });
    assert.equal(clock.mode, 'scaled:60');
    const fired: number[] = [];
    clock.setTimer(() => fired.push(clock.now()), 60_000);
    wall.tick(999);
    assert.deepEqual(fired, []);
    assert.equal(clock.now(), T0 + 59_940);
    wall.tick(1);
    assert.deepEqual(fired, [T0 + 60_000]);
  });

  it('real — starts at the given start time and follows real time; idle() waits for timers and work', async () => {
    const wall = createFakeWall();
    const clock = createWallClock({ startTime: T0, wall });
    assert.equal(clock.mode, 'real');
    wall.tick(1_500);
    assert.equal(clock.now(), T0 + 1_500);
    let idle = false;
    void clock.idle().then(() => (idle = true));
    let finish!: () => void;
    void clock.track(new Promise<void>((r) => (finish = r)));
    const h = clock.setTimer(() => undefined, 10);
    await settle();
    assert.equal(idle, false);
    assert.deepEqual(clock.pending(), { timers: 1, inFlight: 1 });
    clock.clearTimer(h);
    finish();
    await settle();
    assert.equal(idle, true);
  });

  it('re-arms a timer the host fires early, so it never runs before its clock due time', () => {
    let t = 0;
    const queued: (() => void)[] = [];
    const early = {
      now: () => t,
      epoch: () => T0 + t,
      after: (_ms: number, fn: () => void) => (queued.push(fn), { cancel: () => undefined }),
      defer: (fn: () => void) => void setImmediate(fn),
    };
    const clock = createWallClock({ startTime: T0, wall: early });
    let fired = false;
    clock.setTimer(() => (fired = true), 100);
    t = 50;
    queued.shift()!();
    assert.equal(fired, false);
    t = 100;
    queued.shift()!();
    assert.equal(fired, true);
  });
});

describe('createClock', () => {
  it('parses real | scaled:<n> | virtual | virtual:manual and rejects the rest', () => {
    assert.deepEqual(parseClockSpec('real'), { mode: 'real' });
    assert.deepEqual(parseClockSpec('scaled:60'), { mode: 'scaled', scale: 60 });
    assert.deepEqual(parseClockSpec('scaled:0.5'), { mode: 'scaled', scale: 0.5 });
    assert.deepEqual(parseClockSpec('virtual'), { mode: 'virtual', auto: true });
    assert.deepEqual(parseClockSpec('virtual:manual'), { mode: 'virtual', auto: false });
    for (const bad of ['', 'fast', 'scaled:', 'scaled:0', 'scaled:-2', 'scaled:x']) {
      assert.throws(() => parseClockSpec(bad), /invalid clock/);
    }
  });

  it('creates each mode at the given start time', () => {
    const wall = createFakeWall();
    for (const [spec, mode] of [
      ['real', 'real'],
      ['scaled:60', 'scaled:60'],
      ['virtual', 'virtual'],
    ] as const) {
      const c = createClock(spec, T0, { wall });
      assert.equal(c.mode, mode);
      assert.equal(c.now(), T0);
      c.close();
    }
    assert.throws(() => createClock('virtual', Number.NaN), /finite/);
  });
});
