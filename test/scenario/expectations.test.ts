import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateExpectations, type DeliverySummary } from '../../src/scenario/expectations.ts';

const summary: DeliverySummary = {
  deliveries: [
    { type: 'call-completion', outcome: 'delivered', attempts: 3 },
    { type: 'call-completion', outcome: 'delivered', attempts: 1 },
    { type: 'custom-api-node-push', outcome: 'failed', attempts: 6 },
    { type: 'list-completion', outcome: 'pending', attempts: 2 },
  ],
};

describe('evaluateExpectations', () => {
  it('passes when nothing is expected', () => {
    assert.deepEqual(evaluateExpectations(undefined, summary), { ok: true, results: [] });
  });

  const table: [string, Parameters<typeof evaluateExpectations>[0], boolean][] = [
    ['all_delivered true fails with a failed delivery', { all_delivered: true }, false],
    ['all_delivered false passes with a failed delivery', { all_delivered: false }, true],
    ['exact total', { deliveries: 4 }, true],
    ['per-type exact count', { counts: { 'call-completion': 2, 'custom-api-node-push': 0 } }, true],
    ['counts count delivered callbacks, not failed ones', { counts: { 'custom-api-node-push': 1 } }, false],
    ['per-type count mismatch', { counts: { 'list-completion': 2 } }, false],
    ['per-type range', { counts: { 'call-completion': { min: 1, max: 2 } } }, true],
    ['delivered per type', { delivered: { 'call-completion': 2, 'custom-api-node-push': 0 } }, true],
    ['failed count', { failed: 1 }, true],
    ['attempts per delivery', { attempts: { max: 5 } }, false],
    ['attempts range ok', { attempts: { min: 1, max: 6 } }, true],
    ['total attempts', { total_attempts: 12 }, true],
    ['absent type counts zero', { counts: { 'chatbot-session-end': 0 } }, true],
  ];
  for (const [name, exp, ok] of table) {
    it(name, () => {
      const r = evaluateExpectations(exp, summary);
      assert.equal(r.ok, ok, JSON.stringify(r.results));
      assert.equal(r.results.length > 0, true);
    });
  }

  it('reports expected and actual', () => {
    const r = evaluateExpectations({ all_delivered: true, attempts: 3 }, summary);
    assert.deepEqual(r.results[0], {
      name: 'all_delivered',
      ok: false,
      expected: 'every delivery delivered',
      actual: '2 of 4 delivered',
    });
    assert.match(r.results[1]!.actual, /3 deliveries outside/);
  });

  it('counts say they count delivered callbacks, and how many were made', () => {
    const r = evaluateExpectations({ counts: { 'custom-api-node-push': 1 } }, summary);
    assert.deepEqual(r.results[0], {
      name: 'counts.custom-api-node-push',
      ok: false,
      expected: '1 delivered',
      actual: '0 delivered (of 1 made)',
    });
  });
});
