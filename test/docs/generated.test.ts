/**
 * The endpoint and error tables of docs/api.md are what scripts/gen-docs.ts makes of the code
 * (`npm run check:docs` in CI says the same): a route, an admin path or an error kind added,
 * removed or changed without `npm run gen:docs` fails here.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { staleDocs } from '../../scripts/gen-docs.ts';
import { adminRoutes, renderGenerated } from '../../scripts/doctables/tables.ts';
import { documentedRoutes } from '../../src/http/documented-routes.ts';
import { VENDOR_ERRORS } from '../../src/core/vendor-errors.ts';
import { ROOT } from './markdown.ts';

const api = () => readFileSync(join(ROOT, 'docs', 'api.md'), 'utf8');

/** The rows of one generated table (the lines starting with `|`, header and rule dropped). */
function rows(name: string): string[] {
  const text = api();
  const block = text.slice(text.indexOf(`<!-- generated:${name} -->`), text.indexOf(`<!-- /generated:${name} -->`));
  return block.split('\n').filter((l) => l.startsWith('| ')).slice(2);
}

describe('generated tables in docs/', () => {
  it('every generated block is what the code generates now (npm run gen:docs)', () => {
    assert.deepEqual(
      staleDocs().map((s) => s.file),
      [],
    );
  });

  it('the vendor table has one row per route the server mounts, method and path', () => {
    const shown = rows('vendor-routes').map((r) => r.split(' | ').slice(0, 2).join(' ').replace(/\?[^`]*/, ''));
    assert.deepEqual(
      shown,
      documentedRoutes().map((r) => `| ${r.method} \`${r.path}\``),
    );
    assert.ok(shown.length >= 18, `${shown.length} vendor routes`);
  });

  it('the admin table has every method and path the admin router answers', () => {
    const table = rows('admin-routes').join('\n');
    for (const r of adminRoutes()) {
      const path = r.path === '/sink/*' ? '/sink/<anything>' : r.path;
      assert.match(table, new RegExp(`^\\| [A-Z /]*\\b${r.method}\\b[A-Z /]* \\| \`${path.replace(/[/*<>]/g, '\\$&')}[?\`]`, 'm'));
    }
    assert.ok(adminRoutes().some((r) => r.method === 'ANY' && r.path === '/sink/*'), 'the sink mount is found');
  });

  it('the error table has one row per error kind, with its code, HTTP status and message', () => {
    const shown = rows('errors').map((r) => r.split(' | ').slice(0, 4).join(' | '));
    assert.deepEqual(
      shown,
      Object.values(VENDOR_ERRORS).map((e) => `| ${e.code} | ${e.http} | ${e.status} | ${e.message.replace(/\|/g, '\\|')}`),
    );
  });

  it('an edited table is rewritten, an unknown or unclosed block is an error', () => {
    const text = api();
    const edited = text.replace('| 10813 | 401 |', '| 10813 | 403 |');
    assert.notEqual(edited, text);
    assert.equal(renderGenerated(edited, 'docs/api.md'), text);
    assert.throws(() => renderGenerated('<!-- generated:nope -->\n<!-- /generated:nope -->', 'x.md'), /unknown generated block "nope"/);
    assert.throws(() => renderGenerated('<!-- generated:errors -->\n', 'x.md'), /has no <!-- \/generated:errors -->/);
  });
});
