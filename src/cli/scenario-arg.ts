/**
 * A scenario the user named on the command line or in a config file: a file, relative to `base`
 * (the working directory, or the config file's folder), else the name of a shipped scenario.
 * Anything else throws UnknownScenarioError, which lists the shipped names.
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { resolveScenarioRef } from '../scenario/catalog.ts';

export function resolveScenarioArg(ref: string, base: string): string {
  const path = resolve(base, ref);
  if (statSync(path, { throwIfNoEntry: false })?.isFile()) return path;
  return resolveScenarioRef(ref);
}
