/**
 * The shipped registry runs ajv's standalone code generated into src/generated/validators/
 * (scripts/gen-validators.ts). These tests hold it to a fresh ajv compilation of schemas/ (the
 * same transforms and options, compiled now): on every schema's examples, the shipped scenarios
 * and a family of invalid values derived from them, both give the same verdict and the same
 * error list — through the registry, and error object by error object from the raw validators.
 * And validating through the shipped registry must never load ajv's compiler.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { Ajv2020, ErrorObject } from 'ajv/dist/2020.js';
import { createSchemaRegistry, SCHEMA_DIR, schemas } from '../../src/contract/registry.ts';
import { compilations, loadSchemaDir, makeAjv } from '../../src/contract/compile.ts';
import type { CheckFunction } from '../../src/contract/report.ts';
import { SCENARIO_DIR } from '../../src/assets.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const requireHere = createRequire(import.meta.url);
const generated = (mode: 'fast' | 'full', name: string) =>
  requireHere(`../../src/generated/validators/${mode}/${name}.cjs`) as CheckFunction;

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Path = (string | number)[];

/** Every leaf and container of `value` with its path (the root included). */
function nodes(value: Json, path: Path = []): { path: Path; value: Json }[] {
  const here = [{ path, value }];
  if (Array.isArray(value)) return [...here, ...value.flatMap((v, i) => nodes(v, [...path, i]))];
  if (value !== null && typeof value === 'object')
    return [...here, ...Object.entries(value).flatMap(([k, v]) => nodes(v, [...path, k]))];
  return here;
}

function edit(
  root: Json,
  path: Path,
  f: (parent: Record<string | number, Json>, key: string | number) => void,
): Json {
  const copy = structuredClone(root);
  if (path.length === 0) return copy;
  let cur = copy as Record<string | number, Json>;
  for (const seg of path.slice(0, -1)) cur = cur[seg] as Record<string | number, Json>;
  f(cur, path[path.length - 1]!);
  return copy;
}

/**
 * Invalid (mostly) values derived from a valid one: each leaf replaced by a value of another type
 * and by a string no pattern or enum accepts, each property removed, an unknown property added to
 * each object, plus a few wrong roots.
 */
function variants(valid: Json): Json[] {
  const out: Json[] = [null, [], 'text', 0, {}];
  for (const { path, value } of nodes(valid)) {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      out.push(
        path.length === 0
          ? { ...value, surprise: 1 }
          : edit(valid, path, (p, k) => ((p[k] as Record<string, Json>).surprise = 1)),
      );
      continue;
    }
    if (path.length === 0 || Array.isArray(value)) continue;
    out.push(edit(valid, path, (p, k) => (p[k] = typeof value === 'string' ? 7 : 'seven')));
    out.push(edit(valid, path, (p, k) => (p[k] = '!! not-a-vendor value 2024-13-45 99:99')));
    if (typeof path[path.length - 1] === 'string') out.push(edit(valid, path, (p, k) => delete p[k]));
  }
  return out;
}

const docs = loadSchemaDir(SCHEMA_DIR);
const plan = compilations(docs);
const instances = new Map<string, Ajv2020>();
/** A fresh compilation of one validator, as the generator compiled it (same plan, same options). */
function freshlyCompiled(name: string, full: boolean): CheckFunction {
  const c = plan(name, full);
  let ajv = instances.get(c.key);
  if (!ajv) {
    ajv = makeAjv(c.full, c.options);
    for (const d of c.docs.values()) ajv.addSchema(d);
    instances.set(c.key, ajv);
  }
  return ajv.getSchema(docs.get(name)!.$id)!;
}
const fresh = createSchemaRegistry(SCHEMA_DIR);
const shipped = schemas();

/** What an error says, without the schema objects verbose mode attaches (the title aside). */
const essentials = (errors: ErrorObject[] | null | undefined) =>
  (errors ?? []).map((e) => ({
    keyword: e.keyword,
    instancePath: e.instancePath,
    schemaPath: e.schemaPath,
    params: e.params,
    message: e.message,
    title: (e.parentSchema as { title?: unknown } | undefined)?.title,
  }));

/** Valid samples per schema: its examples, and for scenario files the shipped scenarios. */
function samples(name: string): Json[] {
  const own = (docs.get(name)!.examples ?? []) as Json[];
  if (name !== 'scenario') return own;
  const shippedScenarios = readdirSync(SCENARIO_DIR)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => parse(readFileSync(join(SCENARIO_DIR, f), 'utf8')) as Json);
  return [...own, ...shippedScenarios];
}

describe('generated validators agree with a fresh ajv compilation', () => {
  test('the same schema names, in the same order', () => {
    assert.deepEqual(shipped.names(), fresh.names());
    assert.deepEqual(shipped.names(), [...docs.keys()]);
  });

  for (const name of docs.keys()) {
    test(name, () => {
      const fastFn = freshlyCompiled(name, false);
      const fullFn = freshlyCompiled(name, true);
      const values = samples(name).flatMap((s) => [s, ...variants(s)]);
      let invalid = 0;
      for (const value of values) {
        const label = `${name} ${JSON.stringify(value).slice(0, 200)}`;
        const expected = fresh.validate(name, value);
        assert.deepEqual(shipped.validate(name, value), expected, label);
        if (!expected.ok) invalid += 1;
        // Raw validators: verdict and every error object (the fast one stops at the first).
        const genFast = generated('fast', name);
        assert.equal(genFast(value), fastFn(value), label);
        assert.deepEqual(essentials(genFast.errors), essentials(fastFn.errors), label);
        const genFull = generated('full', name);
        assert.equal(genFull(value), fullFn(value), label);
        assert.deepEqual(essentials(genFull.errors), essentials(fullFn.errors), label);
      }
      for (const s of samples(name)) assert.deepEqual(shipped.validate(name, s), { ok: true }, name);
      // common holds shared definitions only: no examples, and it accepts any value.
      if (name !== 'common') assert.ok(invalid >= 5, `${name}: only ${invalid} invalid variants`);
    });
  }
});

/**
 * Runs `body` in a fresh Node process (through tsx, as the tests run src/) and answers the ajv
 * modules it loaded: the compiler (ajv/dist/{ajv,2020,core}.js, ajv/dist/compile/...), not the
 * small runtime helpers the generated code requires (ajv/dist/runtime/...).
 */
function ajvCompilerLoadedBy(body: string): string[] {
  const script = `
    const { pathToFileURL } = require('node:url');
    const url = (p) => pathToFileURL(require('node:path').join(${JSON.stringify(ROOT)}, p)).href;
    (async () => {
      ${body}
      const loaded = Object.keys(require.cache)
        .map((f) => f.split(require('node:path').sep).join('/'))
        .filter((f) => /\\/node_modules\\/ajv\\/dist\\/(ajv|2020|core|compile\\/.*)\\.js$/.test(f))
        .map((f) => f.slice(f.lastIndexOf('/node_modules/') + 1));
      process.stdout.write(JSON.stringify(loaded));
    })().catch((e) => { console.error(e); process.exit(1); });
  `;
  const out = execFileSync(process.execPath, ['--import', 'tsx', '-e', script], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  return JSON.parse(out) as string[];
}

describe('the shipped registry compiles nothing', () => {
  test('validating a valid and an invalid payload loads no part of ajv’s compiler', () => {
    const loaded = ajvCompilerLoadedBy(`
      const { validate, schemas } = await import(url('src/contract/registry.ts'));
      if (!validate('auth-request', { APPKey: 'a', APPSecret: 'b' }).ok) throw new Error('valid payload rejected');
      const bad = validate('custom-api-node-push', { call: { ring_type: 'nope' } });
      if (bad.ok || bad.errors.length < 2) throw new Error('invalid payload not reported');
      schemas().schema('common');
    `);
    assert.deepEqual(loaded, []);
  });

  test('the probe sees the compiler when a registry is compiled (it can fail)', () => {
    const loaded = ajvCompilerLoadedBy(`
      const { createSchemaRegistry, SCHEMA_DIR } = await import(url('src/contract/registry.ts'));
      createSchemaRegistry(SCHEMA_DIR).validate('auth-request', {});
    `);
    assert.ok(loaded.includes('node_modules/ajv/dist/2020.js'), JSON.stringify(loaded));
    assert.ok(loaded.includes('node_modules/ajv/dist/core.js'), JSON.stringify(loaded));
  });

  test('the probe also sees ajv imported as an ES module', () => {
    const loaded = ajvCompilerLoadedBy(`await import('ajv/dist/2020.js');`);
    assert.ok(loaded.includes('node_modules/ajv/dist/core.js'), JSON.stringify(loaded));
  });
});
