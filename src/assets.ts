/**
 * Where the files the emulator reads at run time live: schemas/, scenarios/, the dashboard and
 * package.json. This module sits at the top of src/ (and of dist/ once compiled), one level below
 * the package root in both layouts, so the same relative paths work from a clone run through tsx
 * and from an installed package. Every other module asks here instead of walking `'..'` itself.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));

/** The package root: the folder holding package.json, schemas/ and scenarios/. */
export const PACKAGE_ROOT = join(HERE, '..');
export const SCHEMA_DIR = join(PACKAGE_ROOT, 'schemas');
export const SCENARIO_DIR = join(PACKAGE_ROOT, 'scenarios');
/** The dashboard's page, stylesheet and script (copied beside the compiled code by the build). */
export const DASHBOARD_DIR = join(HERE, 'dashboard');
export const PACKAGE_JSON = join(PACKAGE_ROOT, 'package.json');
/**
 * The shipped scenarios, already parsed and validated (scripts/gen-scenarios.ts; copied beside
 * the compiled code by the build): src/scenario/load.ts answers a shipped file from it.
 */
export const SCENARIO_CACHE = join(HERE, 'generated', 'scenarios.json');
/** The precompiled validators: `<dir>/<fast|full>/<schema>.cjs` (copied beside dist/ by the build). */
export const VALIDATOR_DIR = join(HERE, 'generated', 'validators');
