/**
 * The exported OpenAPI document works with the generator users run: openapi-typescript's output
 * compiles under `tsc --strict`, and the generated types accept real answers (a success answer is
 * the envelope itself, not an envelope inside `data`) and the query parameters a client sends.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import openapiTS, { astToString } from 'openapi-typescript';
import ts from 'typescript';
import { exportedDocument } from './openapi-check.ts';

const dir = mkdtempSync(join(tmpdir(), 'openapi-ts-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** What a client writes against the generated types. */
const USE = `import type { paths, webhooks } from './api';

type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never;
type Ok<P extends keyof paths, M extends 'get' | 'post'> = Json<
  NonNullable<paths[P][M]> extends { responses: { 200: infer R } } ? R : never
>;

export const auth: Ok<'/service/cloud/auth', 'post'> = { code: 200, status: 'OK', data: { token: 't' } };
export const stopped: Ok<'/service/cloud/workflow/stop', 'post'>['data'] extends object ? true : false = true;

type Query = NonNullable<paths['/service/cloud/workflow/callinfo']['get']['parameters']['query']>;
export const byCase: Query = { task_id: '0123456789abcdef0123456789abcdef', case_id: 'CASE-1' };
export const workflowId: Query['workflow_id'] = '0123456789abcdef0123456789abcdef';

type Push = Json<webhooks['custom-api-node-push']['post']['requestBody']>;
export const nodeId = (p: Push): string => p.node_id;
`;

it('openapi-typescript output of the exported document compiles under tsc --strict', async () => {
  const ast = await openapiTS(exportedDocument() as never, { silent: true });
  writeFileSync(join(dir, 'api.ts'), astToString(ast));
  writeFileSync(join(dir, 'use.ts'), USE);
  const program = ts.createProgram([join(dir, 'api.ts'), join(dir, 'use.ts')], {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    // No DOM and no @types: the generated file needs neither, and checking them is most of the time.
    lib: ['lib.es2022.d.ts'],
    types: [],
    skipDefaultLibCheck: true,
  });
  const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => {
    const text = ts.flattenDiagnosticMessageText(d.messageText, '\n');
    if (!d.file || d.start === undefined) return `TS${d.code}: ${text}`;
    const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
    return `${d.file.fileName.slice(dir.length + 1)}(${line + 1},${character + 1}): TS${d.code}: ${text}`;
  });
  assert.deepEqual(diagnostics, []);
});
