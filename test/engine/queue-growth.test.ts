/**
 * The campaign's step queue and waiting-row columns start small (a one-row workflow holds a few
 * steps) and grow: order must not depend on how many times they grew.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { EventQueue } from '../../src/engine/queue.ts';
import { WaitingRows } from '../../src/engine/waiting-rows.ts';

it('EventQueue pops by (time, insertion order) across many growths', () => {
  const q = new EventQueue<number>();
  const model: [number, number][] = [];
  const popModel = () => {
    model.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    return model.shift()?.[1];
  };
  let x = 7;
  for (let i = 0; i < 5000; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    const at = x % 97; // many equal times
    q.push(at, i);
    model.push([at, i]);
    if (i % 3 === 0) assert.equal(q.pop(), popModel());
  }
  assert.equal(q.size, model.length);
  while (model.length > 0) assert.equal(q.pop(), popModel());
  assert.equal(q.pop(), undefined);
});

it('WaitingRows keeps admission order across growths and compactions', () => {
  const w = new WaitingRows();
  const expected: number[] = [];
  const got: number[] = [];
  for (let i = 0; i < 3000; i++) {
    w.push({ index: i, seq: i, due: i, order: i });
    expected.push(i);
    if (i % 5 === 0) got.push(w.shift()!.index);
  }
  for (const r of w.drain()) got.push(r.index);
  assert.deepEqual(got, expected);
});
