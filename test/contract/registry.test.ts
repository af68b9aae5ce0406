import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  createSchemaRegistry,
  registryBuilds,
  schemas,
  SCHEMA_DIR,
  validate,
} from '../../src/contract/registry.ts';
import { CALLBACK_SCHEMAS, MESSAGE_SCHEMAS } from './message-schemas.ts';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures');
const readFixture = (f: string) => readFileSync(join(FIXTURES, f), 'utf8');
const fixture = (f: string) => JSON.parse(readFixture(f)) as Record<string, unknown>;
const SEEDS = [
  {
    file: 'seed-custom-api-node-push.json',
    schema: 'custom-api-node-push',
    page: '000_1025fd1505fe1fd5.txt',
  },
  {
    file: 'seed-call-completion-info-check.json',
    schema: 'call-completion-info-check',
    page: '003_4ca58e87422996c1.txt',
  },
];

describe('the shared registry', () => {
  test('is compiled once and reused across calls', () => {
    assert.equal(validate('auth-request', { APPKey: 'a', APPSecret: 'b' }).ok, true);
    assert.equal(validate('auth-request', {}).ok, false);
    assert.equal(schemas(), schemas());
    assert.equal(registryBuilds(), 1);
  });

  test('an unknown schema name throws, naming the known ones', () => {
    assert.throws(
      () => validate('no-such-message', {}),
      /unknown schema "no-such-message".*custom-api-node-push/,
    );
  });

  test('a private registry compiles the same schemas (strict mode accepts every file)', () => {
    const reg = createSchemaRegistry(SCHEMA_DIR);
    for (const name of MESSAGE_SCHEMAS) assert.ok(reg.has(name), name);
  });
});

describe('seed examples, byte for byte as the vendor pages print them', () => {
  for (const seed of SEEDS) {
    test(`${seed.file} validates against ${seed.schema}`, () => {
      const result = validate(seed.schema, fixture(seed.file));
      assert.deepEqual(result, { ok: true });
    });

    const page = join(import.meta.dirname, '..', '..', '..', 'shared', 'seeds', seed.page);
    test(
      `${seed.file} is the page's example text`,
      { skip: !existsSync(page) && 'vendor pages not present' },
      () => {
        const text = readFixture(seed.file);
        assert.ok(text.endsWith('}\n'));
        assert.ok(
          readFileSync(page, 'utf8').includes(text.slice(0, -1)),
          'fixture differs from the page text',
        );
      },
    );

    test(`${seed.schema} carries the seed as its example`, () => {
      assert.deepEqual(schemas().schema(seed.schema).examples?.[0], fixture(seed.file));
    });
  }
});

describe('every schema', () => {
  for (const name of MESSAGE_SCHEMAS) {
    test(`${name}: $id, title, description, x-fidelity and examples that validate`, () => {
      const doc = schemas().schema(name);
      assert.equal(doc.$id, `https://airudder-emulator.local/schemas/${name}.schema.json`);
      assert.match(doc.title, /^[A-Z][A-Za-z0-9]+$/);
      assert.ok(doc.description && doc.description.length > 20);
      assert.ok(['documented', 'inferred', 'emulator-defined'].includes(String(doc['x-fidelity'])));
      assert.ok((doc.examples ?? []).length > 0, 'no example');
      for (const ex of doc.examples ?? []) assert.deepEqual(validate(name, ex), { ok: true });
    });

    test(`${name}: every field has a description`, () => {
      const missing: string[] = [];
      const walk = (node: unknown, at: string) => {
        if (Array.isArray(node)) return node.forEach((n, i) => walk(n, `${at}[${i}]`));
        if (typeof node !== 'object' || node === null) return;
        const o = node as Record<string, unknown>;
        if (typeof o.properties === 'object' && o.properties !== null) {
          for (const [k, v] of Object.entries(o.properties)) {
            if (typeof (v as { description?: unknown }).description !== 'string') missing.push(`${at}.${k}`);
          }
        }
        for (const [k, v] of Object.entries(o)) if (k !== 'examples') walk(v, `${at}/${k}`);
      };
      walk(schemas().schema(name), '#');
      assert.deepEqual(missing, []);
    });
  }

  test('common defines every shared definition with a title and description', () => {
    const defs = schemas().schema('common').$defs as Record<string, { title?: string; description?: string }>;
    for (const [k, d] of Object.entries(defs)) {
      assert.ok(d.title, `${k} has no title`);
      assert.ok(d.description, `${k} has no description`);
    }
  });
});

describe('vendor quirks and enums', () => {
  const common = () => schemas().schema('common').$defs as Record<string, { enum?: unknown[] }>;

  test('enums exactly as the seed pages give them', () => {
    assert.deepEqual(common().hangupType.enum, ['ByCallee', 'ByRobot', 'Canceled']);
    assert.deepEqual(common().taskStatus.enum, [
      'created',
      'pending',
      'finished',
      'calling',
      'canceled',
      'paused',
    ]);
    assert.deepEqual(common().detailResult.enum, ['created', 'pending', 'finished', 'cancelled', 'failed']);
    assert.deepEqual(common().ringTypeCanonical.enum, [
      'busy',
      'cantuse',
      'hold',
      'line',
      'switchoff',
      'outofarea',
      'unregister',
      'wrongnum',
      'notmatch',
      'normal',
      null,
    ]);
  });

  test('ring_type accepts null (its initial value)', () => {
    const push = fixture('seed-custom-api-node-push.json');
    (push.call as Record<string, unknown>).ring_type = null;
    assert.deepEqual(validate('custom-api-node-push', push), { ok: true });
  });

  // The pages print the values run together; validate must take every plausible split of that
  // text (and the trailing null as a string), on the push and on both call-completion callbacks.
  const PAGE_TEXT = 'busycantuseholdlineswitchoffoutofareaunregisterwrongnumnotmatchnormalnull';
  const CANONICAL = [
    'busy',
    'cantuse',
    'hold',
    'line',
    'switchoff',
    'outofarea',
    'unregister',
    'wrongnum',
    'notmatch',
    'normal',
  ];
  const RUN = ['hold', 'line', 'switchoff'];
  const runReadings = [...RUN, ...RUN.slice(1).map((_, i) => RUN.slice(i, i + 2).join('')), RUN.join('')];
  const readings = [...new Set([...CANONICAL, ...runReadings, 'null'])];

  test('ring_type: every reading of the run-together list, and null, is accepted; a wrong value is not', () => {
    assert.ok(PAGE_TEXT.includes(RUN.join('')));
    assert.equal(CANONICAL.join('') + 'null', PAGE_TEXT);
    assert.deepEqual(runReadings.slice(3), ['holdline', 'lineswitchoff', 'holdlineswitchoff']);
    const setPush = (v: unknown) => {
      const push = fixture('seed-custom-api-node-push.json');
      (push.call as Record<string, unknown>).ring_type = v;
      return validate('custom-api-node-push', push);
    };
    const setInfo = (v: unknown) => {
      const cb = fixture('seed-call-completion-info-check.json');
      (cb.details as Record<string, unknown>[])[0]!.ring_type = v;
      return validate('call-completion-info-check', cb);
    };
    for (const v of [...readings, null]) {
      assert.deepEqual(setPush(v), { ok: true }, `push ${String(v)}`);
      assert.deepEqual(setInfo(v), { ok: true }, `info check ${String(v)}`);
    }
    for (const v of ['ringing', 'NORMAL', 'switch off', '', PAGE_TEXT, 0]) {
      assert.equal(setPush(v).ok, false, `push ${String(v)}`);
      assert.equal(setInfo(v).ok, false, `info check ${String(v)}`);
    }
  });

  test('Info Check details[] items have 22 fields with the vendor spellings', () => {
    const doc = schemas().schema('call-completion-info-check') as unknown as {
      properties: { details: { items: { properties: Record<string, unknown>; required: string[] } } };
    };
    const item = doc.properties.details.items;
    assert.equal(Object.keys(item.properties).length, 22);
    for (const k of ['redail_call', 'NerSlots', 'EventLabel', 'CaseID', 'Variables'])
      assert.ok(k in item.properties, k);
    assert.ok(item.required.includes('CaseID') && item.required.includes('Variables'));
    assert.ok(!item.required.includes('NerSlots') && !item.required.includes('redail_call'));
  });

  test('the Custom API push spelling redial_call is rejected on the Info Check callback', () => {
    const cb = fixture('seed-call-completion-info-check.json');
    const d = (cb.details as Record<string, unknown>[])[0];
    d.redial_call = d.redail_call;
    delete d.redail_call;
    const r = validate('call-completion-info-check', cb);
    assert.equal(r.ok, false);
    assert.ok(
      !r.ok &&
        r.errors.some(
          (e) => e.path === '$.details[0].redial_call' && /not an allowed property/.test(e.message),
        ),
    );
  });

  test('redial_call items have 8 fields and question_answer items 10', () => {
    const defs = schemas().schema('common').$defs as Record<string, { properties: Record<string, unknown> }>;
    assert.equal(Object.keys(defs.redialCall.properties).length, 8);
    assert.equal(Object.keys(defs.questionAnswer.properties).length, 10);
  });

  test('question_content carries literal \\uXXXX text, which validates as a plain string', () => {
    const cb = fixture('seed-call-completion-info-check.json');
    const qa = (cb.details as { question_answer: { question_content: string }[] }[])[0].question_answer[0];
    assert.equal(qa.question_content, '\\u610f\\u613f\\u786e\\u8ba4 Willingness Check');
    assert.ok(qa.question_content.includes('\\u'));
  });

  test('the Custom API push: collection-only callee fields are optional, slots is required at call level', () => {
    const push = fixture('seed-custom-api-node-push.json');
    const callee = push.callee as Record<string, unknown>;
    for (const k of ['borrowed_date', 'due_date', 'borrowed_amount', 'total_owing_amount', 'currency_unit'])
      delete callee[k];
    const call = push.call as Record<string, unknown>;
    for (const k of ['redial_call', 'caller_number', 'question_answer']) delete call[k];
    assert.deepEqual(validate('custom-api-node-push', push), { ok: true });
    delete call.slots;
    const r = validate('custom-api-node-push', push);
    assert.ok(!r.ok && r.errors.some((e) => e.path === '$.call.slots'));
  });

  test('ner_slots, multi_label and custom_attribute are string → string objects', () => {
    for (const [at, key] of [
      ['call', 'ner_slots'],
      ['call', 'multi_label'],
      [null, 'custom_attribute'],
    ] as const) {
      const push = fixture('seed-custom-api-node-push.json');
      const parent = (at ? push[at] : push) as Record<string, Record<string, unknown>>;
      parent[key] = { any_key: 'a string', count: 3 };
      const r = validate('custom-api-node-push', push);
      const path = at ? `$.${at}.${key}.count` : `$.${key}.count`;
      assert.ok(!r.ok && r.errors.some((e) => e.path === path && /string/.test(e.message)), path);
    }
  });

  test('vendor time: "YYYY-MM-DD HH:mm:ss" only', () => {
    const cb = fixture('seed-call-completion-info-check.json');
    for (const bad of [
      '2024-03-11T13:24:29',
      '2024-03-11 13:24:29+08:00',
      '2024-03-11 13:24',
      '2024-03-11T13:24:29Z',
    ]) {
      const d = structuredClone(cb);
      (d.details as Record<string, unknown>[])[0].call_start_time = bad;
      const r = validate('call-completion-info-check', d);
      assert.ok(!r.ok, bad);
      const e = !r.ok ? r.errors.find((x) => x.path === '$.details[0].call_start_time') : undefined;
      assert.ok(e, bad);
      assert.match(e.message, /VendorTime/);
    }
  });

  test("phone numbers: E.164 and the vendor's masked forms on callbacks, E.164 only in uploads", () => {
    const push = fixture('seed-custom-api-node-push.json');
    const callee = push.callee as Record<string, unknown>;
    for (const ok of ['+8618717905721', '+861xxxxxxxx5721', '+95xxxxxxxxxx088', '+861xxxxxxxxxx5721']) {
      callee.callee_number = ok;
      assert.deepEqual(validate('custom-api-node-push', push), { ok: true }, ok);
    }
    for (const bad of ['8618717905721', '+86 187 1790 5721', '+0123456789', '+86187179057211234', 'xxxx']) {
      callee.callee_number = bad;
      assert.equal(validate('custom-api-node-push', push).ok, false, bad);
    }
    assert.equal(validate('list-item', { callee: '+8618717905721' }).ok, true);
    const r = validate('list-item', { callee: '+861xxxxxxxx5721' });
    assert.ok(!r.ok && r.errors.some((e) => e.path === '$.callee'));
  });

  test('callbacks are strict: an unknown field is rejected with its path', () => {
    for (const name of CALLBACK_SCHEMAS) {
      const ex = structuredClone(schemas().schema(name).examples?.[0]) as Record<string, unknown>;
      ex.surprise = 1;
      const r = validate(name, ex);
      assert.ok(!r.ok && r.errors.some((e) => e.path === '$.surprise'), name);
    }
  });

  test('extend is the one open object of the push (the vendor lists no children)', () => {
    const push = fixture('seed-custom-api-node-push.json');
    ((push.callee as Record<string, unknown>).extend as Record<string, unknown>).something_new = { a: 1 };
    assert.deepEqual(validate('custom-api-node-push', push), { ok: true });
  });

  test('the inferred collection callback keeps the Info Check spellings and adds asr_result / asr_ptp', () => {
    const doc = schemas().schema('call-completion') as unknown as {
      'x-fidelity': string;
      properties: { details: { items: { properties: Record<string, unknown>; required: string[] } } };
    };
    assert.equal(doc['x-fidelity'], 'inferred');
    const item = doc.properties.details.items;
    for (const k of ['redail_call', 'NerSlots', 'EventLabel', 'CaseID', 'Variables', 'asr_result', 'asr_ptp'])
      assert.ok(k in item.properties, k);
    for (const k of ['question_answer', 'multi_label', 'ner_slots', 'redial_call'])
      assert.ok(!(k in item.properties), k);
  });

  test('error paths quote keys that are not identifiers', () => {
    const r = validate('list-item', { callee: '+8618717905721', variables: { 'due date': 5 } });
    assert.ok(!r.ok && r.errors.some((e) => e.path === '$.variables["due date"]'), JSON.stringify(r));
  });
});
