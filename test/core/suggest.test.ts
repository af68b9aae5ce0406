/**
 * "Did you mean …?": the same suggestions as before for typos and prefixes, and a word far longer
 * than every candidate answered at once (the fuzzer's megabyte `type` built a quadratic table per
 * candidate and held the server for a minute).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CALLBACK_TYPES } from '../../src/contract/callbacks.ts';
import { closest, editDistance, quoted } from '../../src/core/suggest.ts';

describe('closest', () => {
  it('suggests for typos, swaps and prefixes', () => {
    assert.equal(closest('call-completon', CALLBACK_TYPES), 'call-completion');
    assert.equal(closest('list-compleiton', CALLBACK_TYPES), 'list-completion');
    assert.equal(closest('workflow-status', CALLBACK_TYPES), 'workflow-status-change');
    assert.equal(closest('custom-api-node-push-extra', CALLBACK_TYPES), 'custom-api-node-push');
    assert.equal(closest('--targ', ['--target', '--targets']), '--target');
  });

  it('suggests nothing for a word unlike every candidate, however long', () => {
    assert.equal(closest('zzzz', CALLBACK_TYPES), undefined);
    assert.equal(closest('x'.repeat(1_000_000), CALLBACK_TYPES), undefined);
  });

  it('a prefix is as far as its length difference', () => {
    assert.equal(editDistance('workflow-status', 'workflow-status-change'), 7);
  });
});

describe('quoted', () => {
  it('quotes a word, cutting a long one with its length', () => {
    assert.equal(quoted('abc'), '"abc"');
    assert.equal(quoted('y'.repeat(81)), `"${'y'.repeat(80)}…" (81 characters)`);
  });
});
