/**
 * Checks answers and callbacks against the exported OpenAPI document alone: the document is added
 * to Ajv 2020 as one schema (OpenAPI 3.1 schemas are JSON Schema 2020-12), and each answer is
 * validated against the schema the document gives for its path, method, status and media type.
 * Every `$ref` resolves inside the document, never to the schema files, so this tests the export.
 */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { readFileSync } from 'node:fs';
import { buildOpenApi } from '../../src/contract/openapi.ts';
import { schemas } from '../../src/contract/registry.ts';
import { documentedRoutes } from '../../src/http/documented-routes.ts';
import { ROOT } from '../helpers/cli.ts';
import type { Exchange } from './client-flow.ts';

type Json = Record<string, unknown>;

/** The document `schemas --openapi` writes, as plain JSON. */
export function exportedDocument(): Json {
  const { version } = JSON.parse(readFileSync(`${ROOT}/package.json`, 'utf8')) as { version: string };
  const doc = buildOpenApi({ registry: schemas(), routes: documentedRoutes(), version });
  return JSON.parse(JSON.stringify(doc)) as Json;
}

const BASE = 'https://openapi.test/exported.json';

function pointer(...segments: string[]): string {
  return `#/${segments.map((s) => s.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;
}

function at(doc: unknown, ref: string): Json {
  let node = doc;
  for (const raw of ref.slice(2).split('/')) {
    node = (node as Json)[raw.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return node as Json;
}

export interface Verdict {
  /** `POST /service/cloud/auth 200`. */
  what: string;
  /** The OpenAPI path template that matched. */
  template?: string;
  errors: string[];
}

export class OpenApiChecker {
  readonly doc: Json;
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true });
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly templates: { template: string; re: RegExp }[];

  constructor(doc: Json) {
    this.doc = doc;
    this.ajv.addSchema({ ...doc, $id: BASE });
    this.templates = Object.keys(doc.paths as Json).map((template) => ({
      template,
      re: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`),
    }));
  }

  private validator(ref: string): ValidateFunction {
    let v = this.compiled.get(ref);
    if (!v) {
      v = this.ajv.compile({ $ref: `${BASE}${ref}` });
      this.compiled.set(ref, v);
    }
    return v;
  }

  private check(ref: string, value: unknown): string[] {
    const v = this.validator(ref);
    return v(value) ? [] : (v.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`);
  }

  /** The path template an answer belongs to. */
  template(path: string): string | undefined {
    return this.templates.find((t) => t.re.test(path))?.template;
  }

  /** An answer against the document's response for its path, method and status. */
  answer(ex: Exchange): Verdict {
    const what = `${ex.method} ${ex.path} ${ex.status}`;
    const template = this.template(ex.path);
    if (!template) return { what, errors: ['no such path in the document'] };
    const opRef = pointer('paths', template, ex.method.toLowerCase());
    const responses = at(this.doc, opRef).responses as Json | undefined;
    const key = [String(ex.status), `${String(ex.status)[0]}XX`, 'default'].find((k) => responses?.[k]);
    if (!key) return { what, template, errors: [`no response for status ${ex.status}`] };
    let responseRef = `${opRef}/responses/${key}`;
    const ref = (at(this.doc, responseRef) as { $ref?: string }).$ref;
    if (ref) responseRef = ref;
    const content = (at(this.doc, responseRef).content ?? {}) as Json;
    const mediaType = String(ex.headers['content-type'] ?? '')
      .split(';')[0]!
      .trim();
    if (!(mediaType in content)) {
      return {
        what,
        template,
        errors: [`media type ${mediaType} not in ${Object.keys(content).join(', ')}`],
      };
    }
    // Non-JSON answers (the WAV) are bytes: the media type is what the document can say of them.
    if (!/json/.test(mediaType)) return { what, template, errors: [] };
    const schemaRef = `${responseRef}/content/${pointer(mediaType).slice(2)}/schema`;
    return { what, template, errors: this.check(schemaRef, ex.json) };
  }

  /** A callback body and headers against the document's webhook of that type. */
  webhook(type: string, headers: Record<string, string>, body: unknown): string[] {
    const opRef = pointer('webhooks', type, 'post');
    const op = at(this.doc, opRef) as { parameters?: { $ref: string }[] };
    if (!op) return [`no webhook ${type}`];
    const errors = this.check(`${opRef}/requestBody/content/application~1json/schema`, body);
    const sent = new Map(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
    for (const p of op.parameters ?? []) {
      const param = at(this.doc, p.$ref) as { name: string; required?: boolean };
      const value = sent.get(param.name.toLowerCase());
      if (value === undefined) {
        if (param.required) errors.push(`header ${param.name} missing`);
      } else {
        errors.push(...this.check(`${p.$ref}/schema`, value).map((e) => `header ${param.name}: ${e}`));
      }
    }
    return errors;
  }
}
