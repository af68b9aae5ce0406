import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { findSyntaxError, lineColumn, parseJson } from '../../src/contract/parse-json.ts';

describe('parseJson', () => {
  test('valid JSON parses, a BOM included', () => {
    assert.deepEqual(parseJson('{"a":[1,2]}'), { ok: true, value: { a: [1, 2] } });
    assert.deepEqual(parseJson('\ufeff{"a":1}'), { ok: true, value: { a: 1 } });
  });

  const cases: [string, string, number, number, RegExp][] = [
    ['trailing comma', '{\n  "a": 1,\n}', 3, 1, /unexpected character "}"/],
    ['bad literal', '{\n  "a": 1,\n  "b": tru\n}', 3, 11, /unexpected character "\\n"/],
    ['unclosed object', '{"a": 1', 1, 8, /unexpected end of input/],
    ['empty file', '', 1, 1, /unexpected end of input/],
    ['single quotes', "{'a': 1}", 1, 2, /unexpected character "'"/],
    ['garbage after', '{"a":1} x', 1, 9, /unexpected character "x"/],
    ['bad escape', '{"a":"\\q"}', 1, 8, /unexpected character "q"/],
    ['raw newline in string', '{"a":"x\ny"}', 1, 8, /unexpected character "\\n"/],
    ['leading zero', '[01]', 1, 3, /unexpected character "1"/],
    ['CRLF lines', '{\r\n"a": 1,\r\n"b" 2}', 3, 5, /unexpected character "2"/],
  ];
  for (const [what, text, line, column, message] of cases) {
    test(`${what}: line ${line}, column ${column}`, () => {
      const r = parseJson(text);
      assert.equal(r.ok, false);
      if (r.ok) return;
      assert.deepEqual([r.line, r.column], [line, column]);
      assert.match(r.message, message);
    });
  }

  test('a BOM counts as the first column of line 1', () => {
    const r = parseJson('\ufeff{"a" 1}');
    assert.ok(!r.ok);
    assert.deepEqual([r.line, r.column], [1, 7]);
  });

  test('the scanner agrees with JSON.parse on valid input', () => {
    for (const s of [
      '0',
      '-1.5e+3',
      '"\\u00e9\\n"',
      '[true,false,null]',
      '{"a":{"b":[{}]}}',
      ' [ 1 , 2 ] ',
    ]) {
      JSON.parse(s);
      assert.equal(findSyntaxError(s), s.length, s);
    }
  });

  test('lineColumn is 1-based', () => {
    assert.deepEqual(lineColumn('ab\ncd', 0), { line: 1, column: 1 });
    assert.deepEqual(lineColumn('ab\ncd', 4), { line: 2, column: 2 });
  });
});
