/**
 * The contract: every JSON Schema under schemas/ (ajv, draft 2020-12, strict). `validate(name,
 * value)` answers ok, or errors with a JSON path and an English message; `isValid(name, value)` is
 * the same check as a type guard (narrows to the generated type of `name`, src/contract/messages.ts).
 * Names are file names without `.schema.json` (e.g. `custom-api-node-push`).
 *
 * The validators are precompiled: scripts/gen-validators.ts writes ajv's standalone code into
 * src/generated/validators/ (copied into dist/ by the build), two CommonJS modules per schema —
 * fast/<name>.cjs (allErrors off, references inlined: stops at the first problem and answers
 * valid values, the hot path) and full/<name>.cjs (allErrors + verbose: re-checks an invalid value
 * to report every problem). Each is loaded synchronously on first use of its schema, so a process
 * pays only for the schemas it validates against, and nothing is compiled at run time. The schema
 * documents themselves (`schema(name)`) are read from schemas/ on first request.
 *
 * `createSchemaRegistry(dir)` compiles a folder of schemas with ajv at run time instead (tests).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { SCHEMA_DIR, VALIDATOR_DIR } from '../assets.ts';
import { SCHEMA_NAMES } from '../generated/validators/index.ts';
import type { MessageName, MessageOf } from './messages.ts';
import {
  registryOver,
  type CheckFunction,
  type SchemaDocument,
  type SchemaRegistry,
  type ValidationResult,
} from './report.ts';

export { SCHEMA_DIR };
export { createSchemaRegistry } from './compile.ts';
export type { SchemaDocument, SchemaRegistry, ValidationIssue, ValidationResult } from './report.ts';
export type { MessageName, MessageOf } from './messages.ts';

/** Loads a generated validator (CommonJS, so it loads synchronously on first use). */
const requireHere = createRequire(import.meta.url);

type Mode = 'fast' | 'full';

function loadValidator(mode: Mode, name: string): CheckFunction {
  return requireHere(join(VALIDATOR_DIR, mode, `${name}.cjs`)) as CheckFunction;
}

/** The registry over the generated validators of schemas/. */
function precompiledRegistry(): SchemaRegistry {
  return registryOver({
    names: SCHEMA_NAMES,
    doc: (name) =>
      JSON.parse(readFileSync(join(SCHEMA_DIR, `${name}.schema.json`), 'utf8')) as SchemaDocument,
    fast: (name) => loadValidator('fast', name),
    full: (name) => loadValidator('full', name),
  });
}

let builds = 0;
/** How many times `schemas()` built the shared registry (tests check that it happens once). */
export function registryBuilds(): number {
  return builds;
}

let shared: SchemaRegistry | undefined;
/** The process-wide registry over schemas/ (built on first use, then reused). */
export function schemas(): SchemaRegistry {
  if (!shared) {
    shared = precompiledRegistry();
    builds += 1;
  }
  return shared;
}

/** Validate against the shared registry. */
export function validate(name: string, value: unknown): ValidationResult {
  return schemas().validate(name, value);
}

/**
 * Whether `value` is valid against the shared registry's schema `name`, as a type guard: true
 * narrows `value` to the generated type of `name` (`validate` answers the errors).
 */
export function isValid<N extends MessageName>(name: N, value: unknown): value is MessageOf<N> {
  return schemas().isValid(name, value);
}
