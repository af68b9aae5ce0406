/**
 * The verification pack itself: every variant is valid against its own schema (a variant that is
 * not would accuse a correct endpoint), names are unique, the pack is the same for the same seed,
 * and the tricky parts docs/contract.md promises are really in the payloads.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { validate } from '../../src/contract/registry.ts';
import { buildVariants, CALLBACK_TYPES, variantBody, type Variant } from '../../src/verify/variants.ts';

const fixture = (name: string) =>
  readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8').trimEnd();

let pack: Variant[];
const byName = (name: string): Variant => {
  const v = pack.find((x) => x.name === name);
  assert.ok(v, `variant ${name} missing`);
  return v;
};
type Obj = Record<string, unknown>;
const call = (v: Variant) => v.payload.call as Obj;
const detail = (v: Variant) => (v.payload.details as Obj[])[0]!;

before(() => {
  pack = buildVariants({ seed: 1 });
});

describe('verification pack', () => {
  test('every variant validates against its own schema', () => {
    assert.ok(pack.length >= 60, `only ${pack.length} variants`);
    for (const v of pack) {
      const r = validate(v.type, v.payload);
      assert.ok(r.ok, `${v.name}: ${JSON.stringify(r.ok ? [] : r.errors.slice(0, 3))}`);
    }
  });

  test('a custom body is the same value as the payload', () => {
    for (const v of pack) {
      assert.deepEqual(JSON.parse(variantBody(v)), v.payload, v.name);
    }
  });

  test('names are unique, prefixed by the type, and every callback type has variants', () => {
    const names = pack.map((v) => v.name);
    assert.equal(new Set(names).size, names.length);
    for (const v of pack) {
      assert.ok(v.name.startsWith(`${v.type}/`), v.name);
      assert.match(v.name, /^[a-z-]+\/[a-z0-9-]+$/);
      assert.ok(v.tricky.length > 0 && v.valid.length > 0, v.name);
    }
    assert.deepEqual([...new Set(pack.map((v) => v.type))], [...CALLBACK_TYPES]);
  });

  test('Info Check pushes in both shapes: without asr_* (the default) and with them beside question_answer', () => {
    const without = call(byName('custom-api-node-push/info-check-without-asr'));
    assert.ok(Array.isArray(without.question_answer) && without.question_answer.length > 0);
    assert.equal('asr_ptp' in without, false);
    assert.equal('asr_result' in without, false);
    const withAsr = call(byName('custom-api-node-push/info-check-with-asr'));
    assert.ok(Array.isArray(withAsr.question_answer) && withAsr.question_answer.length > 0);
    assert.equal(typeof withAsr.asr_ptp, 'string');
    assert.ok(Array.isArray(withAsr.asr_result) && withAsr.asr_result.length > 0);
  });

  test('deterministic per seed', () => {
    const again = buildVariants({ seed: 1 });
    assert.deepEqual(
      again.map((v) => [v.name, variantBody(v)]),
      pack.map((v) => [v.name, variantBody(v)]),
    );
    const other = buildVariants({ seed: 2 });
    assert.deepEqual(
      other.map((v) => v.name),
      pack.map((v) => v.name),
      'the same variants for every seed',
    );
    const differ = other.filter((v, i) => variantBody(v) !== variantBody(pack[i]!));
    assert.ok(differ.length > pack.length / 2, 'another seed gives other payloads');
  });

  test('--type keeps one callback type', () => {
    const only = buildVariants({ seed: 1, types: ['list-completion'] });
    assert.ok(only.length > 0);
    assert.ok(only.every((v) => v.type === 'list-completion'));
  });
});

describe('the tricky parts are there', () => {
  test('vendor examples byte for byte', () => {
    assert.equal(
      variantBody(byName('custom-api-node-push/vendor-example')),
      fixture('seed-custom-api-node-push.json'),
    );
    assert.equal(
      variantBody(byName('call-completion-info-check/vendor-example')),
      fixture('seed-call-completion-info-check.json'),
    );
  });

  test('masked ids and numbers as in the vendor docs', () => {
    const v = byName('custom-api-node-push/masked-ids-and-numbers');
    assert.match(String(v.payload.workflow_id), /^[0-9a-f]+x{8}[0-9a-f]+$/);
    assert.match(String((v.payload.callee as Obj).callee_number), /^\+\d+x+\d+$/);
    assert.match(
      String(call(v).callee_number),
      /^\+\d+$/,
      'call.callee_number stays full, as in the vendor example',
    );
    assert.match(String(detail(byName('call-completion-info-check/masked-ids-and-numbers')).callee), /x{8}/);
  });

  test('ring_type null, empty arrays, absent optional fields', () => {
    assert.equal(call(byName('custom-api-node-push/ring-type-null')).ring_type, null);
    assert.equal(detail(byName('call-completion/ring-type-null')).ring_type, null);
    const empty = call(byName('custom-api-node-push/empty-arrays-and-maps'));
    assert.deepEqual([empty.asr_result, empty.question_answer, 'redial_call' in empty], [[], [], false]);
    const ic = detail(byName('call-completion-info-check/empty-arrays-and-maps'));
    assert.deepEqual([ic.question_answer, 'redail_call' in ic], [[], false]);
    const absent = byName('custom-api-node-push/optional-fields-absent');
    assert.equal('borrowed_date' in (absent.payload.callee as Obj), false);
    assert.equal('caller_number' in call(absent), false);
    const nonCollection = byName('custom-api-node-push/non-collection').payload.callee as Obj;
    for (const f of ['borrowed_date', 'due_date', 'borrowed_amount', 'total_owing_amount', 'currency_unit']) {
      assert.equal(f in nonCollection, false, f);
    }
  });

  test('question_content escaped and plain UTF-8; ASCII-escaped JSON', () => {
    const escaped = byName('custom-api-node-push/question-content-escaped');
    const qa = call(escaped).question_answer as Obj[];
    assert.ok(qa.some((q) => /\\u[0-9a-f]{4}/.test(String(q.question_content))));
    const utf8 = detail(byName('call-completion-info-check/question-content-utf8')).question_answer as Obj[];
    assert.ok(utf8.some((q) => /[意👍]|ñ/u.test(String(q.question_content))));
    const ascii = byName('call-completion-info-check/ascii-escaped-json');
    assert.match(variantBody(ascii), /^[\x20-\x7e]*$/, 'pure ASCII text');
    assert.match(variantBody(ascii), /\\ud83d\\ude42|\\ud83d\\udc4d/, 'emoji as surrogate pairs');
  });

  test('long text, many redials, zero duration, canceled', () => {
    const asr = call(byName('custom-api-node-push/long-asr-text')).asr_result as Obj[];
    assert.ok(String(asr[0]!.text).length >= 20_000);
    const many = call(byName('custom-api-node-push/many-redials'));
    assert.ok((many.redial_call as Obj[]).length >= 40);
    assert.equal(many.call_times, (many.redial_call as Obj[]).length + 1);
    const zero = detail(byName('call-completion/zero-duration'));
    assert.equal(zero.duration, 0);
    assert.equal(zero.call_start_time, zero.call_end_time);
    const canceled = byName('call-completion-info-check/canceled');
    assert.equal(canceled.payload.status, 'canceled');
    assert.deepEqual([detail(canceled).result, detail(canceled).hangup_type], ['cancelled', 'Canceled']);
  });

  test('multi-number, several countries, empty CaseID, free maps, big payloads', () => {
    const multi = byName('custom-api-node-push/multi-number');
    assert.notEqual(call(multi).callee_number, (multi.payload.callee as Obj).callee_number);
    const intl = call(byName('custom-api-node-push/numbers-from-several-countries')).redial_call as Obj[];
    const codes = new Set(intl.map((r) => String(r.callee_number).slice(0, 3)));
    assert.ok(codes.size >= 8, `${[...codes]}`);
    assert.equal(detail(byName('call-completion-info-check/case-id-empty')).CaseID, '');
    assert.equal((byName('custom-api-node-push/case-id-empty').payload.callee as Obj).case_id, '');
    const vars = detail(byName('call-completion-info-check/free-map-extra-keys')).Variables as Obj;
    assert.equal(vars['键'], '值');
    const extend = (byName('custom-api-node-push/free-map-extra-keys').payload.callee as Obj).extend as Obj;
    assert.ok('unknown_child' in extend);
    for (const v of pack.filter((x) => x.name.endsWith('/big-payload'))) {
      const size = Buffer.byteLength(variantBody(v));
      assert.ok(size > 800_000 && size < 1_500_000, `${v.name}: ${size} bytes`);
    }
  });
});
