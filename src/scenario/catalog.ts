/** The scenarios shipped in scenarios/*.yaml: where they are, and a one-line description each. */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { SCENARIO_DIR } from '../assets.ts';
import { loadScenarioFile } from './load.ts';
import type { Scenario } from './types.ts';

export { SCENARIO_DIR };

export interface ShippedScenario {
  name: string;
  file: string;
  description: string;
  business: string;
  contacts: number;
}

/** Shipped scenario files (absolute paths), sorted by name. */
export function scenarioFiles(dir: string = SCENARIO_DIR): string[] {
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/i.test(f))
    .sort()
    .map((f) => join(dir, f));
}

function contactCount(s: Scenario): number {
  return (s.contacts.rows?.length ?? 0) + (s.contacts.generate?.count ?? 0);
}

/** Load every shipped scenario (validated; throws ScenarioError on a broken file). */
export function listScenarios(dir: string = SCENARIO_DIR): ShippedScenario[] {
  return scenarioFiles(dir).map((file) => {
    const s = loadScenarioFile(file, join('scenarios', file.slice(dir.length + 1)));
    return {
      name: s.name ?? file,
      file,
      description: s.description ?? '',
      business: [...new Set(s.templates.map((t) => t.business))].join(','),
      contacts: contactCount(s),
    };
  });
}

/** Find a shipped scenario by name (or file name without .yaml). */
export function findScenario(name: string, dir: string = SCENARIO_DIR): string | undefined {
  return scenarioFiles(dir).find((f) => f.endsWith(`/${name}.yaml`) || f.endsWith(`/${name}.yml`));
}

/** A scenario named by the user was not found: neither a file nor a shipped name. */
export class UnknownScenarioError extends Error {
  readonly ref: string;
  readonly shipped: string[];
  constructor(ref: string, shipped: string[]) {
    super(
      `unknown scenario "${ref}": no such file, and no shipped scenario by that name (shipped: ${shipped.join(', ')})`,
    );
    this.name = 'UnknownScenarioError';
    this.ref = ref;
    this.shipped = shipped;
  }
}

/** The names of the shipped scenarios (file names without .yaml), sorted. */
export function shippedScenarioNames(dir: string = SCENARIO_DIR): string[] {
  return scenarioFiles(dir).map((f) => basename(f).replace(/\.ya?ml$/i, ''));
}

/**
 * The file a scenario reference names, wherever a scenario is taken (CLI, config file, library):
 * an existing path, or a shipped name with or without `.yaml`. Throws `UnknownScenarioError`,
 * which lists the shipped names, for anything else.
 */
export function resolveScenarioRef(ref: string, dir: string = SCENARIO_DIR): string {
  if (existsSync(ref) && statSync(ref).isFile()) return ref;
  const bare = ref.replace(/\.ya?ml$/i, '');
  if (!bare.includes('/') && !bare.includes('\\')) {
    const shipped = findScenario(bare, dir);
    if (shipped) return shipped;
  }
  throw new UnknownScenarioError(ref, shippedScenarioNames(dir));
}
