import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { detectMessage } from '../../src/contract/detect.ts';
import { schemas, validate } from '../../src/contract/registry.ts';
import { MESSAGE_SCHEMAS } from './message-schemas.ts';

const fixture = (f: string) =>
  JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', f), 'utf8')) as Record<string, unknown>;

describe('detectMessage', () => {
  test('the seed examples', () => {
    assert.equal(detectMessage(fixture('seed-custom-api-node-push.json'))?.name, 'custom-api-node-push');
    assert.equal(
      detectMessage(fixture('seed-call-completion-info-check.json'))?.name,
      'call-completion-info-check',
    );
  });

  for (const name of MESSAGE_SCHEMAS) {
    test(`${name}: its example is detected as a message it conforms to`, () => {
      const ex = schemas().schema(name).examples?.[0];
      const found = detectMessage(ex);
      assert.ok(found, 'not detected');
      // The bare success envelope is also a valid createinstance answer; either is a right answer.
      if (name !== 'envelope-success') assert.equal(found.name, name);
      assert.deepEqual(validate(found.name, ex), { ok: true });
      assert.ok(found.reason.length > 0);
    });
  }

  test('the collection callback is told from Info Check by its details[] items', () => {
    const cb = fixture('seed-call-completion-info-check.json');
    const d = (cb.details as Record<string, unknown>[])[0];
    delete d.question_answer;
    d.asr_result = [];
    assert.equal(detectMessage(cb)?.name, 'call-completion');
  });

  test('a broken payload is still detected by its distinctive keys', () => {
    const push = fixture('seed-custom-api-node-push.json');
    delete push.workflow_id;
    assert.equal(detectMessage(push)?.name, 'custom-api-node-push');
  });

  test('shapes that are no message', () => {
    for (const v of [null, 42, 'text', [], [{ node_id: 1 }], {}, { foo: 1 }])
      assert.equal(detectMessage(v), undefined);
  });
});
