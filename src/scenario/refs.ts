/**
 * Scenario references: wherever a scenario is taken (CLI, config file, library), it may be a path
 * or the name of a shipped scenario (scenarios/*.yaml, with or without `.yaml`). Kept apart from
 * the loader so that the loader itself can resolve references.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { SCENARIO_DIR } from '../assets.ts';

/** Shipped scenario files (absolute paths), sorted by name. */
export function scenarioFiles(dir: string = SCENARIO_DIR): string[] {
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/i.test(f))
    .sort()
    .map((f) => join(dir, f));
}

/** Find a shipped scenario by name (or file name without .yaml). */
export function findScenario(name: string, dir: string = SCENARIO_DIR): string | undefined {
  return scenarioFiles(dir).find((f) => f.endsWith(`/${name}.yaml`) || f.endsWith(`/${name}.yml`));
}

/**
 * A scenario named by the user was not found: neither a file nor a shipped name (nor, where
 * scenarios are already loaded, one of those).
 */
export class UnknownScenarioError extends Error {
  readonly ref: string;
  readonly shipped: string[];
  readonly loaded: string[];
  constructor(ref: string, shipped: string[], loaded: string[] = [], notAFile = false) {
    const extra = loaded.filter((n) => !shipped.includes(n));
    super(
      `unknown scenario "${ref}": ${notAFile ? 'not a regular file (a folder, device or pipe)' : 'no such file'}, and no ${extra.length > 0 ? 'loaded or ' : ''}shipped scenario by that name ` +
        `(${extra.length > 0 ? `loaded: ${extra.join(', ')}; ` : ''}shipped: ${shipped.join(', ')})`,
    );
    this.name = 'UnknownScenarioError';
    this.ref = ref;
    this.shipped = shipped;
    this.loaded = loaded;
  }
}

/** The names of the shipped scenarios (file names without .yaml), sorted. */
export function shippedScenarioNames(dir: string = SCENARIO_DIR): string[] {
  return scenarioFiles(dir).map((f) => scenarioNameOf(f));
}

/** The name a scenario file goes by: its file name without `.yaml` / `.yml`. */
export function scenarioNameOf(file: string): string {
  return basename(file).replace(/\.ya?ml$/i, '');
}

/** True when `ref` is a bare name (no directory part): what a shipped scenario can be called. */
export function isBareName(ref: string): boolean {
  const bare = ref.replace(/\.ya?ml$/i, '');
  return bare !== '' && !bare.includes('/') && !bare.includes('\\');
}

/**
 * The file a scenario reference names, wherever a scenario is taken (CLI, config file, library):
 * an existing path, or a shipped name with or without `.yaml`. Throws `UnknownScenarioError`,
 * which lists the shipped names, for anything else.
 */
export function resolveScenarioRef(ref: string, dir: string = SCENARIO_DIR): string {
  const exists = existsSync(ref);
  if (exists && statSync(ref).isFile()) return ref;
  if (isBareName(ref)) {
    const shipped = findScenario(ref.replace(/\.ya?ml$/i, ''), dir);
    if (shipped) return shipped;
  }
  throw new UnknownScenarioError(ref, shippedScenarioNames(dir), [], exists);
}
