/**
 * Reading the admin API's paged lists in tests: one page (200, `{list, total, next}` as compact
 * JSON, the bytes res.json writes even when the page is written in slices), or every page by
 * following `next`.
 */
import assert from 'node:assert/strict';
import request from 'supertest';

export interface Page<T = Record<string, unknown>> {
  list: T[];
  total: number;
  next: string | null;
}

export type Query = Record<string, string | number>;

/** `app()`: the app to ask (read at each call: the tests build it in `before`). */
export function pageClient(app: () => Parameters<typeof request>[0]) {
  async function get<T = Record<string, unknown>>(path: string, query: Query = {}): Promise<Page<T>> {
    const res = await request(app()).get(path).query(query);
    assert.equal(res.status, 200, res.text);
    assert.match(String(res.headers['content-type']), /^application\/json/);
    const body = JSON.parse(res.text) as Page<T>;
    assert.equal(res.text, JSON.stringify(body), 'compact JSON, as res.json writes it');
    assert.deepEqual(Object.keys(body), ['list', 'total', 'next']);
    return body;
  }

  /** Every page from `cursor` (none: the first) to the last, in the order they were answered. */
  async function walk<T = Record<string, unknown>>(
    path: string,
    query: Query = {},
    cursor: string | null = null,
  ): Promise<Page<T>[]> {
    const out: Page<T>[] = [];
    do {
      const page = await get<T>(path, cursor === null ? query : { ...query, cursor });
      out.push(page);
      cursor = page.next;
    } while (cursor !== null);
    return out;
  }

  return { get, walk };
}
