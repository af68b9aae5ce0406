/**
 * The reference tables of docs/api.md, rendered from the code that answers the requests: the
 * vendor route table (src/http/documented-routes.ts, the routes the server mounts), the admin
 * router's declared routes (src/http/admin/admin-routes.ts) and the error table
 * (src/core/vendor-errors.ts). Only the prose the code has no place for (what an admin route is
 * for, when an error happens) lives here, keyed by path and by error kind; a route or an error
 * kind without its prose, or prose for one that no longer exists, is an error, so the tables
 * cannot drift from the code.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import express from 'express';
import { documentedRoutes } from '../../src/http/documented-routes.ts';
import { createAdminRouter, type AdminControl } from '../../src/http/admin/admin-routes.ts';
import { declaredRoutes } from '../../src/http/admin/declared-routes.ts';
import { VENDOR_ERRORS, type ErrorKind } from '../../src/core/vendor-errors.ts';
import { ADMIN_ROUTE_DOCS, ERROR_DOCS } from './prose.ts';

const ROOT = join(import.meta.dirname, '..', '..');

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const row = (cells: string[]): string => `| ${cells.join(' | ')} |`;

/** `?a=&b=` from the query schema of a GET route (its property names). */
function queryHint(schema: string | undefined): string {
  if (schema === undefined) return '';
  const s = JSON.parse(readFileSync(join(ROOT, 'schemas', `${schema}.schema.json`), 'utf8')) as {
    properties?: Record<string, unknown>;
  };
  const keys = Object.keys(s.properties ?? {});
  return keys.length > 0 ? `?${keys.map((k) => `${k}=`).join('&')}` : '';
}

export function vendorRoutesTable(): string {
  const lines = [
    row(['Method', 'Path', 'Vendor page', 'Fidelity', 'Token', 'Request schema', 'Answer schema']),
    row(['---', '---', '---', '---', '---', '---', '---']),
  ];
  for (const r of documentedRoutes()) {
    const path = r.method === 'GET' ? `${r.path}${queryHint(r.request)}` : r.path;
    const fidelity = r.note ? `${r.fidelity}: ${r.note}` : r.fidelity;
    const answer = r.rawMediaType ?? (r.response ? `\`${r.response}\`` : '—');
    lines.push(
      row([
        r.method,
        `\`${cell(path)}\``,
        cell(r.summary),
        cell(fidelity),
        r.auth === false ? 'no' : 'yes',
        r.request ? `\`${r.request}\`` : '—',
        answer,
      ]),
    );
  }
  return lines.join('\n');
}

/** Every (method, path) the admin router answers, in mounting order; `ANY` for the sink's receiver. */
export function adminRoutes(): { method: string; path: string }[] {
  // Only the router's shape is read: the control is never called.
  const inertSink = { router: express.Router() };
  const router = createAdminRouter({ sink: inertSink } as unknown as AdminControl, { bodyLimitBytes: 1 });
  return declaredRoutes(router).map((r) => ({ method: r.method, path: r.path }));
}

export function adminRoutesTable(): string {
  const byPath = new Map<string, string[]>();
  for (const r of adminRoutes()) byPath.set(r.path, [...(byPath.get(r.path) ?? []), r.method]);
  const undocumented = [...byPath.keys()].filter((p) => !(p in ADMIN_ROUTE_DOCS));
  const gone = Object.keys(ADMIN_ROUTE_DOCS).filter((p) => !byPath.has(p));
  if (undocumented.length > 0 || gone.length > 0) {
    throw new Error(
      [
        ...undocumented.map(
          (p) => `admin route ${byPath.get(p)!.join('/')} ${p} has no entry in scripts/doctables/prose.ts`,
        ),
        ...gone.map((p) => `scripts/doctables/prose.ts documents admin path ${p}, which no route answers`),
      ].join('\n'),
    );
  }
  const lines = [row(['Method', 'Path', 'What']), row(['---', '---', '---'])];
  for (const [path, methods] of byPath) {
    const doc = ADMIN_ROUTE_DOCS[path]!;
    const shown = `${doc.path ?? path}${doc.query ? `?${doc.query}` : ''}`;
    const body = doc.body ? ` \`${cell(doc.body)}\`` : '';
    lines.push(row([methods.join(' / '), `\`${cell(shown)}\`${body}`, cell(doc.what)]));
  }
  return lines.join('\n');
}

export function errorsTable(): string {
  const kinds = Object.keys(VENDOR_ERRORS) as ErrorKind[];
  const undocumented = kinds.filter((k) => !(k in ERROR_DOCS));
  const gone = Object.keys(ERROR_DOCS).filter((k) => !(k in VENDOR_ERRORS));
  if (undocumented.length > 0 || gone.length > 0) {
    throw new Error(
      [
        ...undocumented.map((k) => `error kind ${k} has no entry in scripts/doctables/prose.ts`),
        ...gone.map(
          (k) =>
            `scripts/doctables/prose.ts documents error kind ${k}, which src/core/vendor-errors.ts lacks`,
        ),
      ].join('\n'),
    );
  }
  const lines = [
    row(['code', 'HTTP', 'status', 'default message', 'when', 'source']),
    row(['---', '---', '---', '---', '---', '---']),
  ];
  for (const kind of kinds) {
    const e = VENDOR_ERRORS[kind];
    const source = e.fidelity === 'vendor-code' ? 'vendor code' : 'emulator-defined';
    lines.push(
      row([String(e.code), String(e.http), e.status, cell(e.message), cell(ERROR_DOCS[kind]!), source]),
    );
  }
  return lines.join('\n');
}

/** The generated blocks, by marker name. */
export const GENERATED: Record<string, () => string> = {
  'vendor-routes': vendorRoutesTable,
  'admin-routes': adminRoutesTable,
  errors: errorsTable,
};

/**
 * `text` with every `<!-- generated:NAME -->…<!-- /generated:NAME -->` block (markers on lines of
 * their own) rewritten from the code. A marker without its end, or an unknown name, is an error.
 */
export function renderGenerated(text: string, file: string): string {
  const open = /^<!-- generated:([\w-]+) -->$/gm;
  let out = '';
  let from = 0;
  for (let m = open.exec(text); m; m = open.exec(text)) {
    const name = m[1]!;
    const gen = GENERATED[name];
    if (!gen) throw new Error(`${file}: unknown generated block "${name}"`);
    const close = `<!-- /generated:${name} -->`;
    const end = text.indexOf(close, m.index);
    if (end < 0) throw new Error(`${file}: <!-- generated:${name} --> has no ${close}`);
    out += `${text.slice(from, m.index)}${m[0]}\n<!-- do not edit: npm run gen:docs writes this table from the code -->\n${gen()}\n`;
    from = end;
    open.lastIndex = end;
  }
  return out + text.slice(from);
}
