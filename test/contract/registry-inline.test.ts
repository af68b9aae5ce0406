/**
 * The fast validator compiles every schema with its `$ref`s inlined (src/contract/registry.ts).
 * These registries over small private schema folders check that inlining keeps the meaning:
 * references across files and inside a file, a `$ref` with constraints beside it, a reference to
 * a whole document, and a recursive definition (left as a reference).
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSchemaRegistry, type SchemaRegistry } from '../../src/contract/registry.ts';

const BASE = 'https://example.test/schemas/';

const SCHEMAS: Record<string, object> = {
  'shared.schema.json': {
    $id: `${BASE}shared.schema.json`,
    title: 'Shared',
    $defs: {
      code: { title: 'Code', type: 'string', pattern: '^[A-Z]{3}$' },
      // A definition that refers to another one of its own file (relative to shared, not to
      // the document that inlines it).
      pair: {
        type: 'object',
        properties: { a: { $ref: '#/$defs/code' }, b: { $ref: '#/$defs/code' } },
        required: ['a', 'b'],
        additionalProperties: false,
      },
    },
  },
  'item.schema.json': {
    $id: `${BASE}item.schema.json`,
    title: 'Item',
    type: 'object',
    properties: { n: { type: 'integer', minimum: 1 } },
    required: ['n'],
    additionalProperties: false,
    $defs: { unused: { type: 'string' } },
  },
  'message.schema.json': {
    $id: `${BASE}message.schema.json`,
    title: 'Message',
    type: 'object',
    properties: {
      pairs: { type: 'array', items: { $ref: 'shared.schema.json#/$defs/pair' } },
      // A reference with a constraint beside it: both apply.
      short: { $ref: 'shared.schema.json#/$defs/code', description: 'a code', enum: ['ABC', 'XYZ'] },
      item: { $ref: 'item.schema.json' },
      tree: { $ref: '#/$defs/node' },
    },
    required: ['pairs'],
    additionalProperties: false,
    $defs: {
      node: {
        type: 'object',
        properties: {
          label: { $ref: 'shared.schema.json#/$defs/code' },
          children: { type: 'array', items: { $ref: '#/$defs/node' } },
        },
        required: ['label'],
        additionalProperties: false,
      },
    },
  },
};

describe('fast validator with inlined references', () => {
  let dir: string;
  let reg: SchemaRegistry;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'airudder-schemas-'));
    for (const [file, schema] of Object.entries(SCHEMAS))
      writeFileSync(join(dir, file), JSON.stringify(schema));
    reg = createSchemaRegistry(dir);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const ok = (value: unknown) => assert.deepEqual(reg.validate('message', value), { ok: true });
  const bad = (value: unknown, path: string, message: RegExp) => {
    const r = reg.validate('message', value);
    assert.equal(r.ok, false, JSON.stringify(value));
    if (r.ok) return;
    assert.ok(
      r.errors.some((e) => e.path === path && message.test(e.message)),
      `expected ${path} ${message} in ${JSON.stringify(r.errors)}`,
    );
  };

  test('accepts values that meet every referenced definition', () => {
    ok({ pairs: [] });
    ok({
      pairs: [{ a: 'ABC', b: 'XYZ' }],
      short: 'XYZ',
      item: { n: 2 },
      tree: { label: 'TOP', children: [{ label: 'KID', children: [{ label: 'SUB' }] }] },
    });
  });

  test('a definition reached through another file keeps its own references', () => {
    bad({ pairs: [{ a: 'ABC', b: 'abc' }] }, '$.pairs[0].b', /pattern/);
    bad({ pairs: [{ a: 'ABC' }] }, '$.pairs[0].b', /is required/);
    bad({ pairs: [{ a: 'ABC', b: 'XYZ', c: 'QQQ' }] }, '$.pairs[0].c', /not an allowed property/);
  });

  test('a constraint beside a $ref applies as well as the reference', () => {
    bad({ pairs: [], short: 'DEF' }, '$.short', /must be one of "ABC", "XYZ"/);
    bad({ pairs: [], short: 'abc' }, '$.short', /pattern/);
  });

  test('a reference to a whole document applies that document', () => {
    bad({ pairs: [], item: { n: 0 } }, '$.item.n', /must be >= 1/);
    bad({ pairs: [], item: {} }, '$.item.n', /is required/);
  });

  test('a recursive definition still checks every level', () => {
    bad(
      { pairs: [], tree: { label: 'TOP', children: [{ label: 'KID', children: [{}] }] } },
      '$.tree.children[0].children[0].label',
      /is required/,
    );
    bad(
      { pairs: [], tree: { label: 'TOP', children: [{ label: 'kid' }] } },
      '$.tree.children[0].label',
      /pattern/,
    );
  });
});
