import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ContactTable } from '../../src/store/contact-fold.ts';

const T = Date.UTC(2026, 0, 5, 1, 0, 0);

test('contact table: views rebuilt from columns, lookups by case id then callee', () => {
  const t = new ContactTable();
  t.add({ caseId: 'c1', callees: ['+1', '+2'], customerName: 'Ana', status: 'waiting', finishedAt: null });
  t.uploaded = t.length;
  const g = t.add({ caseId: null, callees: ['+3'], customerName: null, status: 'waiting', finishedAt: null });
  assert.equal(t.find('c1', '+3'), 0, 'the case id wins over the callee');
  assert.equal(t.find(undefined, '+2'), 0);
  assert.equal(t.find('nope', undefined), -1);
  t.addCallee(g, '+4');
  t.addCallee(g, '+3');
  assert.equal(t.find(undefined, '+4'), g, 'a callee added later finds its contact');
  t.setStatus(g, 'calling');
  t.dialled(g, T);
  t.dialled(g, T + 5000);
  t.finished(0, 'cancelled', T + 9000);
  t.setName(0, 'Bea');
  assert.deepEqual(t.view(0), {
    case_id: 'c1',
    callees: ['+1', '+2'],
    customer_name: 'Bea',
    source: 'uploaded',
    status: 'cancelled',
    dials: 0,
    last_dial_at: null,
    finished_at: T + 9000,
  });
  assert.deepEqual(t.view(g), {
    case_id: null,
    callees: ['+3', '+4'],
    customer_name: null,
    source: 'scenario',
    status: 'calling',
    dials: 2,
    last_dial_at: T + 5000,
    finished_at: null,
  });
  t.view(g).callees.push('+9');
  assert.deepEqual(t.view(g).callees, ['+3', '+4'], 'a view is a copy');
});
