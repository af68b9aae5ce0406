/**
 * JSON.parse with a line and column for syntax errors. Node 20's messages only sometimes carry
 * "at position N" ("Unexpected token 'x', ... is not valid JSON" does not), so the offset comes from
 * a small scanner of our own: the same answer on every Node version.
 */
export type ParsedJson =
  { ok: true; value: unknown } | { ok: false; message: string; offset: number; line: number; column: number };

export function parseJson(text: string): ParsedJson {
  // A UTF-8 BOM is legal in files but not for JSON.parse; editors on Windows add one.
  const bom = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const body = bom ? text.slice(1) : text;
  try {
    return { ok: true, value: JSON.parse(body) };
  } catch {
    // JSON.parse's wording and location differ between Node versions; ours do not.
    const at = findSyntaxError(body);
    const message =
      at >= body.length ? 'unexpected end of input' : `unexpected character ${JSON.stringify(body[at])}`;
    const { line, column } = lineColumn(text, bom + at);
    return { ok: false, message, offset: bom + at, line, column };
  }
}

/** 1-based line and column of a UTF-16 offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      start = i + 1;
    }
  }
  return { line, column: end - start + 1 };
}

class Stop {
  readonly at: number;
  constructor(at: number) {
    this.at = at;
  }
}

/** Offset of the first character that makes `text` invalid JSON (text.length when it ends early). */
export function findSyntaxError(text: string): number {
  let i = 0;
  const fail = (at = i): never => {
    throw new Stop(at);
  };
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  const literal = (word: string) => {
    for (const ch of word) if (text[i++] !== ch) fail(i - 1);
  };
  const string = () => {
    i++; // opening quote
    for (;;) {
      if (i >= text.length) fail();
      const c = text.charCodeAt(i);
      if (c === 34) return void i++;
      if (c < 0x20) fail();
      if (c === 92) {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail(i + 1);
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else fail(i + 1);
      } else i++;
    }
  };
  const number = () => {
    const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i));
    if (!m) fail();
    i += m![0].length;
  };
  const value = (): void => {
    ws();
    if (i >= text.length) fail();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') return void i++;
      for (;;) {
        ws();
        if (text[i] !== '"') fail();
        string();
        ws();
        if (text[i] !== ':') fail();
        i++;
        value();
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') return void i++;
        fail();
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') return void i++;
      for (;;) {
        value();
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') return void i++;
        fail();
      }
    }
    if (c === '"') return string();
    if (c === 't') return literal('true');
    if (c === 'f') return literal('false');
    if (c === 'n') return literal('null');
    if (c === '-' || (c >= '0' && c <= '9')) return number();
    fail();
  };
  try {
    value();
    ws();
    if (i < text.length) fail();
  } catch (e) {
    if (e instanceof Stop) return Math.min(e.at, text.length);
    // Absurd nesting overflows the recursion: no better position to offer than the end.
    return text.length;
  }
  // The scanner accepted what JSON.parse rejected: point at the end rather than guess.
  return text.length;
}
