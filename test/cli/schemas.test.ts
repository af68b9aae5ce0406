/**
 * `airudder-emulator schemas` (in-process, through main()): the list, the copied schema files, and
 * the OpenAPI 3.1 document (every path of the vendor route table, the six webhooks, every `$ref`
 * resolving inside the document, and the embedded schemas still validating the vendor examples).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse as parseYaml } from 'yaml';
import { schemas } from '../../src/contract/registry.ts';
import { documentedRoutes } from '../../src/http/documented-routes.ts';
import { ROOT, runCli, type CliResult } from '../helpers/cli.ts';

const SCHEMA_DIR = join(ROOT, 'schemas');

const cli = (...args: string[]): Promise<CliResult> => runCli(['schemas', ...args]);

type Json = Record<string, unknown>;

/** Resolve a local `#/a/b~1c` pointer in `doc` (RFC 6901), or undefined when it leads nowhere. */
function resolvePointer(doc: unknown, ref: string): unknown {
  if (!ref.startsWith('#')) return undefined;
  let node: unknown = doc;
  for (const raw of ref.slice(1).split('/').slice(1)) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (typeof node !== 'object' || node === null || !(key in node)) return undefined;
    node = (node as Json)[key];
  }
  return node;
}

/** Every `$ref` value anywhere in the document, with where it was found. */
function collectRefs(doc: unknown): { at: string; ref: string }[] {
  const out: { at: string; ref: string }[] = [];
  const walk = (v: unknown, at: string) => {
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${at}/${i}`));
    else if (typeof v === 'object' && v !== null) {
      for (const [k, child] of Object.entries(v)) {
        if (k === '$ref' && typeof child === 'string') out.push({ at, ref: child });
        // Examples are payloads, not schemas: a key named $ref there would not be a reference.
        else if (k !== 'examples') walk(child, `${at}/${k}`);
      }
    }
  };
  walk(doc, '#');
  return out;
}

const schemaFiles = readdirSync(SCHEMA_DIR).filter((f) => f.endsWith('.schema.json'));
const WEBHOOKS = [
  'custom-api-node-push',
  'call-completion-info-check',
  'call-completion',
  'list-completion',
  'workflow-status-change',
  'chatbot-session-end',
];

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'schemas-cli-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('schemas --list', () => {
  test('prints name, title, fidelity mark and description of every schema', async () => {
    const r = await cli('--list');
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    assert.equal(lines.length, schemaFiles.length);
    const push = lines.find((l) => l.startsWith('custom-api-node-push '));
    assert.match(
      push ?? '',
      /^custom-api-node-push\s+CustomApiNodePush\s+documented\s+Custom API Node Data Push/,
    );
    assert.match(lines.find((l) => l.startsWith('call-completion ')) ?? '', /\sinferred\s/);
    assert.match(lines.find((l) => l.startsWith('envelope-error ')) ?? '', /\semulator-defined\s/);
  });

  test('without options it lists too, with a hint', async () => {
    const r = await cli();
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^apinoticeinfo-request\s+ApiNoticeInfoRequest/m);
    assert.match(r.stdout, /--openapi <file>/);
  });

  test('usage errors exit 2', async () => {
    const hint = 'Run "airudder-emulator schemas --help" for the options.\n';
    assert.deepEqual(await cli('--bogus'), {
      code: 2,
      stdout: '',
      stderr: `airudder-emulator schemas: unknown option --bogus\n${hint}`,
    });
    assert.deepEqual(await cli('--opnapi', 'x.json'), {
      code: 2,
      stdout: '',
      stderr: `airudder-emulator schemas: unknown option --opnapi (did you mean --openapi?)\n${hint}`,
    });
    assert.deepEqual(await cli('positional'), {
      code: 2,
      stdout: '',
      stderr: `airudder-emulator schemas: unexpected argument "positional" (this command takes no arguments, only options)\n${hint}`,
    });
    assert.deepEqual(await cli('--out'), {
      code: 2,
      stdout: '',
      stderr: `airudder-emulator schemas: --out needs a value\n${hint}`,
    });
    assert.equal((await cli('--out=')).stderr, `airudder-emulator schemas: --out needs a value\n${hint}`);
  });
});

describe('schemas --out', () => {
  test('writes every schema file unchanged', async () => {
    const out = join(dir, 'nested', 'schemas');
    const r = await cli('--out', out);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(readdirSync(out).sort(), [...schemaFiles].sort());
    for (const f of schemaFiles) {
      assert.equal(readFileSync(join(out, f), 'utf8'), readFileSync(join(SCHEMA_DIR, f), 'utf8'), f);
    }
    assert.equal(r.stderr, `wrote ${schemaFiles.length} schemas to ${out}\n`);
  });

  test('a relative directory is relative to the working directory', async () => {
    const r = await runCli(['schemas', '--out', 'rel'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, `wrote ${schemaFiles.length} schemas to rel\n`);
    assert.deepEqual(readdirSync(join(dir, 'rel')).sort(), [...schemaFiles].sort());
  });
});

describe('schemas --openapi', () => {
  let doc: Json;
  before(async () => {
    const file = join(dir, 'api', 'openapi.json');
    const r = await cli('--openapi', file);
    assert.equal(r.code, 0, r.stderr);
    doc = JSON.parse(readFileSync(file, 'utf8')) as Json;
  });

  test('is OpenAPI 3.1 with the Token security scheme', () => {
    assert.match(String(doc.openapi), /^3\.1\.\d+$/);
    const components = doc.components as Json;
    const token = (components.securitySchemes as Json).Token as Json;
    assert.deepEqual([token.type, token.in, token.name], ['apiKey', 'header', 'Authorization']);
    assert.deepEqual(doc.security, [{ Token: [] }]);
  });

  test('has every vendor path of the route table, with a fidelity mark on each operation', () => {
    const paths = doc.paths as Record<string, Json>;
    const expected = documentedRoutes().map((r) => ({
      path: r.path.replace(/:(\w+)/g, '{$1}'),
      method: r.method.toLowerCase(),
      fidelity: r.fidelity,
    }));
    assert.ok(expected.length >= 18);
    for (const e of expected) {
      const op = paths[e.path]?.[e.method] as Json | undefined;
      assert.ok(op, `${e.method} ${e.path} missing`);
      assert.equal(op['x-fidelity'], e.fidelity, e.path);
      assert.ok(e.path.startsWith('/service/cloud/'));
    }
    assert.equal(Object.keys(paths).length, new Set(expected.map((e) => e.path)).size);
    // The one public endpoint opts out of the token; the others inherit it.
    assert.deepEqual((paths['/service/cloud/auth']!.post as Json).security, []);
    assert.equal((paths['/service/cloud/workflow/createinstance']!.post as Json).security, undefined);
  });

  test('has the six callbacks as webhooks with the vendor headers and the emulator-defined signature', () => {
    const webhooks = doc.webhooks as Record<string, { post: Json }>;
    assert.deepEqual(Object.keys(webhooks), WEBHOOKS);
    const params = (doc.components as Json).parameters as Record<string, Json>;
    for (const name of WEBHOOKS) {
      const op = webhooks[name]!.post;
      assert.equal(op['x-fidelity'], schemas().schema(name)['x-fidelity'], name);
      const body = op.requestBody as { content: Record<string, { schema: { $ref: string } }> };
      assert.equal(body.content['application/json']!.schema.$ref, `#/components/schemas/${name}`);
      const headers = (op.parameters as { $ref: string }[]).map((p) => resolvePointer(doc, p.$ref) as Json);
      const byName = Object.fromEntries(headers.map((h) => [h.name, h]));
      assert.deepEqual((byName['User-Agent']!.schema as Json).const, 'Airudder');
      assert.deepEqual((byName['Content-Type']!.schema as Json).const, 'application/json');
      assert.equal(byName['X-AIRudder-Sign']!['x-fidelity'], 'emulator-defined');
    }
    assert.equal(params.CallbackSign!.in, 'header');
  });

  test('every $ref resolves inside the document', () => {
    const refs = collectRefs(doc);
    assert.ok(refs.length > 100);
    const broken = refs.filter((r) => resolvePointer(doc, r.ref) === undefined);
    assert.deepEqual(broken, []);
    // Self-contained: no reference to a schema file or URL is left.
    assert.deepEqual(
      refs.filter((r) => !r.ref.startsWith('#/')),
      [],
    );
    const components = (doc.components as Json).schemas as Record<string, Json>;
    for (const [name, s] of Object.entries(components)) assert.equal(s.$id, undefined, name);
  });

  test('the embedded schemas still validate the vendor examples', () => {
    const ajv = new Ajv2020({ strict: false });
    const base = 'https://example.test/openapi.json';
    ajv.addSchema({ $id: base, components: (doc as Json).components });
    for (const name of WEBHOOKS) {
      const check = ajv.compile({ $ref: `${base}#/components/schemas/${name}` });
      const example = schemas().schema(name).examples![0];
      assert.ok(check(example), `${name}: ${JSON.stringify(check.errors)}`);
      assert.ok(!check({ ...(example as Json), unknown_key: 1 }), `${name} stays closed`);
    }
  });

  test('"-" writes the JSON document to stdout; the emulator\'s own file formats are left out', async () => {
    const r = await cli('--openapi', '-');
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), doc);
    const names = Object.keys((doc.components as Json).schemas as Json);
    assert.ok(names.includes('custom-api-node-push'));
    assert.ok(!names.includes('scenario') && !names.includes('serve-config'), names.join(', '));
  });

  test('writes YAML when the file ends .yaml, the same document', async () => {
    const file = join(dir, 'openapi.yaml');
    const r = await cli('--openapi', file);
    assert.equal(r.code, 0, r.stderr);
    const text = readFileSync(file, 'utf8');
    assert.match(text, /^openapi: 3\.1\.\d+$/m);
    assert.doesNotMatch(text, /[:-] [&*]a\d+$/m, 'no YAML anchors or aliases');
    assert.deepEqual(parseYaml(text), doc);
  });
});
