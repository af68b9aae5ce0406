/**
 * Table-driven: for every message schema, starting from its own example, removing each required
 * field, putting a wrong type in each field, and putting an unknown value in each enum are each
 * rejected, with the field's JSON path in the error.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { schemas } from '../../src/contract/registry.ts';
import { mutationCases } from './schema-walk.ts';
import { MESSAGE_SCHEMAS } from './message-schemas.ts';

const reg = schemas();

for (const name of MESSAGE_SCHEMAS) {
  describe(name, () => {
    const example = reg.schema(name).examples?.[0];
    test('has an example to mutate', () => assert.ok(example !== undefined));
    const cases = mutationCases(reg, name, example);
    for (const kind of ['required', 'type', 'enum'] as const) {
      for (const c of cases.filter((x) => x.kind === kind)) {
        test(`${kind} ${c.path}`, () => {
          const value = structuredClone(example);
          c.apply(value);
          const result = reg.validate(name, value);
          assert.equal(result.ok, false, `${kind} mutation at ${c.path} was accepted`);
          if (result.ok) return;
          assert.ok(
            result.errors.some((e) => e.path === c.path),
            `no error at ${c.path}; got ${JSON.stringify(result.errors)}`,
          );
        });
      }
    }
  });
}

test('the table covers every kind of mutation somewhere', () => {
  const kinds = new Set(
    MESSAGE_SCHEMAS.flatMap((n) => mutationCases(reg, n, reg.schema(n).examples?.[0]).map((c) => c.kind)),
  );
  assert.deepEqual([...kinds].sort(), ['enum', 'required', 'type']);
});
