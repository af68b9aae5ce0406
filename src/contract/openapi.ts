/**
 * The OpenAPI 3.1 document of the emulated vendor API, built from the schema registry and the
 * vendor route table (passed in, so this module stays pure: no express, no files). REST bodies
 * and callbacks point at the schemas by `$ref`; the schemas go into `components.schemas` under
 * their shared names (`custom-api-node-push`, ...) with every `$ref` between them rewritten to a
 * pointer inside the document, so the result is self-contained. Callbacks are OpenAPI 3.1
 * `webhooks`. Every operation carries its fidelity mark in `x-fidelity`.
 */
import { CALLBACK_TYPES } from './callbacks.ts';
import type { SchemaDocument, SchemaRegistry } from './registry.ts';

/** How sure we are that an endpoint or message looks like the vendor's. */
export type FidelityMark = 'documented' | 'inferred' | 'emulator-defined';

/** What the document needs of a vendor route (src/http/route-table.ts `VendorRoute`). */
export interface OpenApiRoute {
  method: 'GET' | 'POST';
  /** Express path, e.g. `/service/cloud/workflow/recording/:file`. */
  path: string;
  summary: string;
  fidelity: FidelityMark;
  note?: string;
  /** Schema of the body (POST) or the query string (GET). */
  request?: string;
  /** Schema of the whole success answer `{code, status, data}` (`envelope-success`: the bare envelope). */
  response?: string;
  /** Default true. */
  auth?: boolean;
  /** Changes journaled state: answers 503 while the journal cannot be written. */
  writes?: boolean;
  /** Media type of a raw (non-envelope) answer, e.g. `audio/wav` for recordings. */
  rawMediaType?: string;
}

/** The six callbacks, in the order the docs list them. */
export const WEBHOOK_TYPES = CALLBACK_TYPES;

/** Schemas that are not part of the vendor contract (scenario and serve config files are the emulator's own). */
const NOT_CONTRACT = new Set(['scenario', 'serve-config']);

export interface OpenApiOptions {
  registry: SchemaRegistry;
  routes: readonly OpenApiRoute[];
  /** Package version, for `info.version`. */
  version: string;
  /** Server URL advertised in `servers` (default the local emulator). */
  serverUrl?: string;
}

type Json = Record<string, unknown>;

const COMPONENT = '#/components/schemas/';
const SCHEMA_URL = /^https:\/\/airudder-emulator\.local\/schemas\/([a-z0-9-]+)\.schema\.json$/;

/**
 * Rewrite a `$ref` of schema `name` (base `$id`) to a pointer inside the OpenAPI document.
 * `common.schema.json#/$defs/x` → `#/components/schemas/common/$defs/x`; a local `#/$defs/y`
 * becomes absolute too, because the embedded schema loses its `$id` (which would otherwise move
 * the base URI and make tools resolve it against the wrong document).
 */
export function rewriteRef(ref: string, baseId: string): string {
  const url = new URL(ref, baseId);
  const hash = url.hash === '' ? '' : decodeURIComponent(url.hash.slice(1));
  url.hash = '';
  const m = SCHEMA_URL.exec(url.href);
  if (!m) throw new Error(`$ref ${ref} (from ${baseId}) points outside schemas/`);
  return `${COMPONENT}${m[1]}${hash}`;
}

/** A schema node of file `baseId` with its `$ref`s rewritten to pointers inside the document. */
function embedNode(node: unknown, baseId: string): unknown {
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (typeof v !== 'object' || v === null) return v;
    const out: Json = {};
    for (const [k, child] of Object.entries(v)) {
      if (k === '$ref' && typeof child === 'string') out[k] = rewriteRef(child, baseId);
      // `examples` hold vendor payloads, not schemas: copy them untouched.
      else if (k === 'examples' || k === 'const' || k === 'enum' || k === 'default') out[k] = child;
      else out[k] = walk(child);
    }
    return out;
  };
  return walk(node);
}

function embedSchema(doc: SchemaDocument): Json {
  const { $schema: _dialect, $id: _id, ...rest } = doc;
  return embedNode(rest, doc.$id) as Json;
}

/** OpenAPI wants `{file}`, express writes `:file`. */
function openApiPath(expressPath: string): { path: string; params: string[] } {
  const params: string[] = [];
  const path = expressPath.replace(/:([A-Za-z_]\w*)/g, (_m, name: string) => {
    params.push(name);
    return `{${name}}`;
  });
  return { path, params };
}

/** `/service/cloud/workflow/callinfo/bycallid` → `workflowCallinfoBycallid`. */
function operationId(method: string, path: string): string {
  const words = path
    .replace(/^\/service\/cloud\//, '')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean);
  const id = words.map((w, i) => (i === 0 ? w : w[0]!.toUpperCase() + w.slice(1))).join('');
  return method === 'GET' && !/^get/i.test(id) ? `get${id[0]!.toUpperCase()}${id.slice(1)}` : id;
}

function firstSentence(text: string | undefined): string {
  if (!text) return '';
  const m = /^(.*?[.!?])(\s|$)/s.exec(text);
  return (m ? m[1]! : text).replace(/\s+/g, ' ').trim();
}

const fidelityText: Record<FidelityMark, string> = {
  documented: 'documented (from a vendor documentation page)',
  inferred: 'inferred (from real client code or a reading of an ambiguous vendor page)',
  'emulator-defined': 'emulator-defined (the vendor publishes nothing; the emulator chooses)',
};

function schemaFidelity(doc: SchemaDocument): FidelityMark {
  const f = doc['x-fidelity'];
  return f === 'documented' || f === 'inferred' || f === 'emulator-defined' ? f : 'emulator-defined';
}

function operation(r: OpenApiRoute, registry: SchemaRegistry): Json {
  const { params } = openApiPath(r.path);
  const parameters: Json[] = params.map((name) => ({
    name,
    in: 'path',
    required: true,
    schema: { type: 'string' },
    description: name === 'file' ? 'The recording file name: `<call_id>.wav`.' : undefined,
  }));
  if (r.method === 'GET' && r.request) {
    const req = registry.schema(r.request);
    const props = (req.properties ?? {}) as Record<string, { description?: string }>;
    const required = new Set((req.required as string[] | undefined) ?? []);
    for (const [name, prop] of Object.entries(props)) {
      parameters.push({
        name,
        in: 'query',
        required: required.has(name),
        ...(prop.description ? { description: prop.description } : {}),
        // The property's own schema, not a `$ref` into the request schema: generators type such a
        // ref as a property of that schema, which an `anyOf` (give this or that) makes a union
        // whose members lack it (openapi-typescript output then fails tsc with TS2339).
        schema: embedNode(prop, req.$id),
      });
    }
  }
  if (r.method === 'POST') {
    parameters.push(
      { $ref: '#/components/parameters/IsEncrypted' },
      { $ref: '#/components/parameters/Signed' },
    );
  }
  const op: Json = {
    operationId: operationId(r.method, r.path),
    summary: r.summary,
    description: [`Fidelity: ${fidelityText[r.fidelity]}.`, r.note ? `${r.note}.` : '']
      .filter(Boolean)
      .join(' '),
    tags: [r.auth === false ? 'auth' : r.path.includes('/workflow/') ? 'workflow' : 'cloud'],
    'x-fidelity': r.fidelity,
  };
  if (r.auth === false) op.security = [];
  if (parameters.length > 0) op.parameters = parameters.map(dropUndefined);
  if (r.method === 'POST' && r.request) {
    op.requestBody = {
      required: true,
      content: { 'application/json': { schema: { $ref: `${COMPONENT}${r.request}` } } },
    };
  }
  let ok: Json;
  if (r.rawMediaType) {
    ok = {
      description: 'The file itself (not wrapped in the envelope).',
      content: { [r.rawMediaType]: { schema: { type: 'string', contentMediaType: r.rawMediaType } } },
    };
  } else if (r.response === undefined || r.response === 'envelope-success') {
    ok = { $ref: '#/components/responses/Success' };
  } else {
    // The response schemas are whole answers (`{code, status, data}`), not just their `data`.
    ok = {
      description: `Success envelope (${registry.schema(r.response).title}).`,
      content: { 'application/json': { schema: { $ref: `${COMPONENT}${r.response}` } } },
    };
  }
  const error = { $ref: '#/components/responses/VendorError' };
  // The one 5xx: `serve --data-dir` whose journal cannot be written (emulator-defined).
  op.responses = { '200': ok, '4XX': error, ...(r.writes ? { '503': error } : {}) };
  return op;
}

function dropUndefined(o: Json): Json {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

/** Callback headers (components.parameters), each with its own fidelity mark. */
const CALLBACK_HEADERS: Record<string, Json> = {
  CallbackContentType: {
    name: 'Content-Type',
    in: 'header',
    required: true,
    description:
      'Always `application/json` (documented), also when the body is AES-encrypted. Listed for completeness: OpenAPI tools take the media type from the request body.',
    schema: { const: 'application/json' },
    'x-fidelity': 'documented',
  },
  CallbackUserAgent: {
    name: 'User-Agent',
    in: 'header',
    required: true,
    description: 'Always `Airudder` (documented).',
    schema: { const: 'Airudder' },
    'x-fidelity': 'documented',
  },
  CallbackSign: {
    name: 'X-AIRudder-Sign',
    in: 'header',
    required: false,
    description:
      'Signature of the exact body bytes with the template KEY. Sent when the template callback sets a `key`, and without one on the callbacks whose vendor page has a KEY setting (call completion, chatbot session end; KEY `airudder`): an unsigned push, list-completion or status-change callback is normal. The header name appears on the vendor chatbot page; the algorithm is unknown (no vendor page gives it), so it is the emulator\'s and configurable: lowercase hex HMAC-SHA256(KEY, body) by default, or SHA-256(body + KEY), MD5(body + KEY), or no header ("none"). Do not reject a callback on it until the vendor confirms the algorithm. Check it with `verifySignature` from the library.',
    schema: { type: 'string', pattern: '^[0-9a-f]+$' },
    'x-fidelity': 'emulator-defined',
  },
};

const AES_HEADERS: Record<string, Json> = {
  IsEncrypted: {
    name: 'Is-Encrypted',
    in: 'header',
    required: false,
    description:
      '`1` when the body is the vendor AES scheme: Base64 of AES-ECB (key = the account AES key, zero-byte padding that always pads). Answers to an encrypted request are encrypted the same way.',
    schema: { const: '1' },
    'x-fidelity': 'documented',
  },
  Signed: {
    name: 'Signed',
    in: 'header',
    required: false,
    description: 'With `Is-Encrypted: 1`: lowercase hex SHA-256 of the plaintext JSON.',
    schema: { type: 'string', pattern: '^[0-9a-f]{64}$' },
    'x-fidelity': 'documented',
  },
};

function webhook(type: string, registry: SchemaRegistry): Json {
  const doc = registry.schema(type);
  return {
    post: {
      operationId: type.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase()),
      summary: `${doc.title}: ${firstSentence(doc.description)}`,
      description: [
        doc.description ?? '',
        `Fidelity: ${fidelityText[schemaFidelity(doc)]}.`,
        'Delivery: POSTed to the URL the workflow template configures for this callback. Any 2xx answer within 10 s ends the delivery; a non-2xx answer, a timeout or a connection error is retried every 60 s, at most 5 retries (6 attempts), then kept as exhausted (documented on the Custom API page; the emulator applies it to every callback, configurable).',
      ].join('\n\n'),
      'x-fidelity': schemaFidelity(doc),
      parameters: [
        { $ref: '#/components/parameters/CallbackContentType' },
        { $ref: '#/components/parameters/CallbackUserAgent' },
        { $ref: '#/components/parameters/CallbackSign' },
        { $ref: '#/components/parameters/IsEncrypted' },
        { $ref: '#/components/parameters/Signed' },
      ],
      requestBody: {
        required: true,
        description: 'The payload (Base64 ciphertext of it when `Is-Encrypted: 1`).',
        content: { 'application/json': { schema: { $ref: `${COMPONENT}${type}` } } },
      },
      responses: {
        '2XX': { description: 'Accepted: the delivery ends. The body is ignored.' },
        default: {
          description:
            'Anything else (or no complete answer within 10 s) is a failed attempt: retried every 60 s, at most 5 retries.',
        },
      },
    },
  };
}

/** The OpenAPI 3.1 document (plain JSON data; serialize with JSON.stringify or yaml). */
export function buildOpenApi(opts: OpenApiOptions): Json {
  const { registry } = opts;
  const schemas: Json = {};
  for (const name of registry.names()) {
    if (!NOT_CONTRACT.has(name)) schemas[name] = embedSchema(registry.schema(name));
  }
  const paths: Record<string, Json> = {};
  for (const r of opts.routes) {
    const { path } = openApiPath(r.path);
    paths[path] ??= {};
    paths[path]![r.method.toLowerCase()] = operation(r, registry);
  }
  const webhooks: Json = {};
  for (const type of WEBHOOK_TYPES) webhooks[type] = webhook(type, registry);

  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: 'AIRUDDER Workflow API (airudder-emulator)',
      version: opts.version,
      summary: 'The vendor REST API and callbacks as airudder-emulator serves and sends them.',
      description:
        'Generated by `airudder-emulator schemas --openapi`. Paths under /service/cloud/ are the mock vendor API; `webhooks` are the callbacks the vendor (and the emulator) POSTs to your endpoints. Each operation carries `x-fidelity`: documented (vendor documentation), inferred (real clients, or our reading of an ambiguous page) or emulator-defined (the vendor publishes nothing). Every answer is the vendor envelope `{code, status, data}`; errors `{code, status, message, data: null}`. Requests may use the vendor AES scheme (`Is-Encrypted: 1` + `Signed`).',
      license: { name: 'MIT', identifier: 'MIT' },
    },
    servers: [{ url: opts.serverUrl ?? 'http://127.0.0.1:4010', description: 'airudder-emulator serve' }],
    security: [{ Token: [] }],
    tags: [
      { name: 'auth', description: 'Getting a token' },
      { name: 'workflow', description: 'Workflow commands and queries' },
    ],
    paths,
    webhooks,
    components: {
      schemas,
      securitySchemes: {
        Token: {
          type: 'apiKey',
          in: 'header',
          name: 'Authorization',
          description:
            '`Authorization: Token <token>`, the token from POST /service/cloud/auth (documented; 24 h lifetime, re-auth extends it). `Bearer <token>` is accepted too, as a real client sends it.',
        },
      },
      parameters: { ...CALLBACK_HEADERS, ...AES_HEADERS },
      responses: {
        Success: {
          description: 'The bare success envelope `{code: 200, status: "OK"}`.',
          content: { 'application/json': { schema: { $ref: `${COMPONENT}envelope-success` } } },
        },
        VendorError: {
          description:
            'Error envelope: the vendor code where one fits (10301, 10810–10813, 10506, ...), else the HTTP status; `errors[]` names each bad field.',
          content: { 'application/json': { schema: { $ref: `${COMPONENT}envelope-error` } } },
        },
      },
    },
  };
}

/** One line per schema for `schemas --list`: name, title, fidelity mark, first sentence. */
export interface SchemaSummary {
  name: string;
  title: string;
  fidelity: string;
  description: string;
}

export function summarizeSchemas(registry: SchemaRegistry): SchemaSummary[] {
  return registry.names().map((name) => {
    const doc = registry.schema(name);
    const f = doc['x-fidelity'];
    return {
      name,
      title: doc.title,
      fidelity: typeof f === 'string' ? f : '-',
      description: firstSentence(doc.description),
    };
  });
}
