import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createVirtualClock } from '../../src/clock/virtual-clock.ts';
import { createFakeWall, settle } from './fake-wall.ts';

const T0 = Date.UTC(2024, 2, 11, 1, 0, 0);

describe('virtual clock', () => {
  it('jumps straight to each due timer when nothing is in flight', async () => {
    const clock = createVirtualClock({ startTime: T0 });
    const seen: [string, number][] = [];
    clock.setTimer(() => seen.push(['b', clock.now()]), 120_000);
    clock.setTimer(() => seen.push(['a', clock.now()]), 60_000);
    clock.setTimer(() => seen.push(['c', clock.now()]), 3_600_000);
    await clock.idle();
    assert.deepEqual(seen, [
      ['a', T0 + 60_000],
      ['b', T0 + 120_000],
      ['c', T0 + 3_600_000],
    ]);
    assert.equal(clock.now(), T0 + 3_600_000);
    assert.equal(clock.mode, 'virtual');
  });

  it('fires timers due at the same instant in the order they were set; clearTimer cancels', async () => {
    const clock = createVirtualClock({ startTime: T0 });
    const order: number[] = [];
    const handles = [1, 2, 3, 4].map((i) => clock.setTimer(() => order.push(i), 1_000));
    clock.clearTimer(handles[2]!);
    await clock.idle();
    assert.deepEqual(order, [1, 2, 4]);
  });

  it('does not jump while tracked work is in flight; time then flows at the real rate', async () => {
    const wall = createFakeWall();
    const clock = createVirtualClock({ startTime: T0, wall });
    let fired = 0;
    clock.setTimer(() => fired++, 60_000);
    let finish!: () => void;
    void clock.track(new Promise<void>((r) => (finish = r)));
    await settle();
    assert.equal(fired, 0);
    assert.equal(clock.now(), T0);
    wall.tick(5_000);
    assert.equal(clock.now(), T0 + 5_000, 'clock time follows real time while work is in flight');
    finish();
    await settle();
    assert.equal(fired, 1);
    assert.equal(clock.now(), T0 + 60_000);
  });

  it('fires timers that fall due during an in-flight stretch when real time reaches them', async () => {
    const wall = createFakeWall();
    const clock = createVirtualClock({ startTime: T0, wall });
    let finish!: () => void;
    void clock.track(new Promise<void>((r) => (finish = r)));
    const at: number[] = [];
    clock.setTimer(() => at.push(clock.now()), 3_000);
    await settle();
    wall.tick(2_999);
    await settle();
    assert.deepEqual(at, []);
    wall.tick(1);
    await settle();
    assert.deepEqual(at, [T0 + 3_000]);
    finish();
    await clock.idle();
  });

  it('counts work a timer starts in its microtasks before jumping again', async () => {
    const wall = createFakeWall();
    const clock = createVirtualClock({ startTime: T0, wall });
    let later = 0;
    let finish!: () => void;
    clock.setTimer(() => {
      void Promise.resolve().then(() => clock.track(new Promise<void>((r) => (finish = r))));
    }, 1_000);
    clock.setTimer(() => later++, 60_000);
    await settle(10);
    assert.equal(clock.now(), T0 + 1_000);
    assert.equal(later, 0);
    finish();
    await clock.idle();
    assert.equal(later, 1);
    assert.equal(clock.now(), T0 + 60_000);
  });

  it('manual mode moves only with advance() and runUntilIdle()', async () => {
    const clock = createVirtualClock({ startTime: T0, auto: false });
    const fired: number[] = [];
    for (const s of [10, 20, 30]) clock.setTimer(() => fired.push(clock.now() - T0), s * 1_000);
    await settle();
    assert.deepEqual(fired, []);
    await clock.advance(25_000);
    assert.deepEqual(fired, [10_000, 20_000]);
    assert.equal(clock.now(), T0 + 25_000);
    await clock.advance(0);
    assert.equal(clock.now(), T0 + 25_000);
    await clock.runUntilIdle();
    assert.deepEqual(fired, [10_000, 20_000, 30_000]);
    assert.equal(clock.now(), T0 + 30_000);
    await clock.advance(1_000);
    assert.equal(clock.now(), T0 + 31_000, 'advance moves time even with no timers');
  });

  it('advance() waits for the work its timers start (a retry chain plays out inside the window)', async () => {
    const clock = createVirtualClock({ startTime: T0, auto: false });
    const at: number[] = [];
    // Each retry is set for its planned instant, as the delivery service and the campaign driver
    // do: while the tracked work is in flight the clock flows at the real rate, so "60 s from
    // now()" would drift by however many real ms the work took on a busy machine.
    const step = (n: number) => {
      at.push(clock.now() - T0);
      void clock.track(Promise.resolve()).then(() => {
        if (n < 4) clock.setTimer(() => step(n + 1), T0 + n * 60_000 - clock.now());
      });
    };
    clock.setTimer(() => step(1), 0);
    await clock.advance(150_000);
    assert.deepEqual(at, [0, 60_000, 120_000]);
    assert.equal(clock.pending().timers, 1);
    await clock.runUntilIdle();
    assert.deepEqual(at, [0, 60_000, 120_000, 180_000]);
  });

  it('with a horizon, jumps to every timer due before it while the work is in flight, then waits', async () => {
    const wall = createFakeWall();
    const clock = createVirtualClock({ startTime: T0, wall });
    const fired: number[] = [];
    for (const s of [10, 30, 59, 60, 90]) clock.setTimer(() => fired.push(clock.now() - T0), s * 1_000);
    let finish!: () => void;
    void clock.track(new Promise<void>((r) => (finish = r)), T0 + 60_000);
    await settle(20);
    assert.deepEqual(fired, [10_000, 30_000, 59_000], 'every timer due before the horizon, at its instant');
    assert.equal(clock.now(), T0 + 59_000, 'then the clock stands still (no real time passed)');
    wall.tick(5_000);
    await settle();
    assert.equal(clock.now(), T0 + 59_000, 'real time passing does not move it either');
    assert.deepEqual(clock.pending(), { timers: 2, inFlight: 1 });
    finish();
    await clock.idle();
    assert.deepEqual(fired, [10_000, 30_000, 59_000, 60_000, 90_000]);
  });

  it('the earliest horizon in flight bounds the jumps; a settled one no longer does', async () => {
    const clock = createVirtualClock({ startTime: T0 });
    const fired: number[] = [];
    for (const s of [10, 20, 40]) clock.setTimer(() => fired.push(clock.now() - T0), s * 1_000);
    let finishEarly!: () => void;
    let finishLate!: () => void;
    void clock.track(new Promise<void>((r) => (finishLate = r)), T0 + 50_000);
    void clock.track(new Promise<void>((r) => (finishEarly = r)), T0 + 15_000);
    await settle(20);
    assert.deepEqual(fired, [10_000]);
    finishEarly();
    await settle(20);
    assert.deepEqual(fired, [10_000, 20_000, 40_000]);
    finishLate();
    await clock.idle();
  });

  it('work without a horizon flows at the real rate, but stops short of a horizon in flight', async () => {
    const wall = createFakeWall();
    const clock = createVirtualClock({ startTime: T0, wall });
    let finishFree!: () => void;
    let finishBounded!: () => void;
    void clock.track(new Promise<void>((r) => (finishFree = r)));
    void clock.track(new Promise<void>((r) => (finishBounded = r)), T0 + 3_000);
    const fired: number[] = [];
    clock.setTimer(() => fired.push(clock.now() - T0), 2_000);
    clock.setTimer(() => fired.push(clock.now() - T0), 3_000);
    await settle();
    wall.tick(2_000);
    await settle();
    assert.deepEqual(fired, [2_000], 'a timer before the horizon fires when real time reaches it');
    wall.tick(5_000);
    await settle();
    assert.equal(clock.now(), T0 + 2_999, 'held just short of the horizon');
    assert.deepEqual(fired, [2_000]);
    finishBounded();
    await settle();
    assert.deepEqual(fired, [2_000], 'no catching up on the real time spent held');
    wall.tick(1);
    await settle();
    assert.deepEqual(fired, [2_000, 3_000]);
    finishFree();
    await clock.idle();
  });

  it('a horizon at or before now holds the clock where it is (time never goes back)', async () => {
    const wall = createFakeWall();
    const clock = createVirtualClock({ startTime: T0, wall });
    let finishFree!: () => void;
    void clock.track(new Promise<void>((r) => (finishFree = r)));
    wall.tick(4_000);
    let finish!: () => void;
    void clock.track(new Promise<void>((r) => (finish = r)), T0 + 1_000);
    assert.equal(clock.now(), T0 + 4_000);
    wall.tick(4_000);
    assert.equal(clock.now(), T0 + 4_000);
    finish();
    finishFree();
    await clock.idle();
  });

  it('manual mode ignores horizons: tracked work lets time flow as before', async () => {
    const wall = createFakeWall();
    const clock = createVirtualClock({ startTime: T0, wall, auto: false });
    const fired: number[] = [];
    clock.setTimer(() => fired.push(clock.now() - T0), 10_000);
    let finish!: () => void;
    void clock.track(new Promise<void>((r) => (finish = r)), T0 + 60_000);
    await settle(20);
    assert.deepEqual(fired, [], 'no jump');
    wall.tick(10_000);
    await settle();
    assert.deepEqual(fired, [10_000], 'time flowed at the real rate');
    finish();
    await settle();
  });

  it('idle() resolves at once when empty; close() cancels timers and releases waiters', async () => {
    const clock = createVirtualClock({ startTime: T0, auto: false });
    await clock.idle();
    clock.setTimer(() => assert.fail('must not fire'), 1_000);
    const waiting = clock.idle();
    clock.close();
    await waiting;
    assert.deepEqual(clock.pending(), { timers: 0, inFlight: 0 });
  });
});
