/**
 * The scenarios a core plays: loading a scenario option entry, and resolving the scenario a
 * trigger names (loaded, shipped, or — for the library and `run` — a file, loaded on first use).
 */
import { resolve } from 'node:path';
import type { Clock } from '../core/clock.ts';
import { loadScenarioFile } from '../scenario/load.ts';
import {
  findScenario,
  isBareName,
  resolveScenarioRef,
  scenarioNameOf,
  shippedScenarioNames,
  UnknownScenarioError,
} from '../scenario/refs.ts';
import type { Scenario } from '../scenario/types.ts';
import type { LoadedScenario, TemplateCatalog } from './ports.ts';

/** A scenario option entry → a loaded scenario (a path or a shipped name is read and validated). */
export function loadScenario(s: string | LoadedScenario): LoadedScenario {
  if (typeof s !== 'string') return s;
  const file = resolve(resolveScenarioRef(s));
  return { name: scenarioNameOf(file), scenario: loadScenarioFile(file, s), file };
}

/**
 * The loaded scenario a trigger names: a loaded scenario; else a shipped name (or, with
 * `allowPaths`, a scenario file), which is loaded now and its templates added to the catalog.
 * Throws `UnknownScenarioError` for anything else.
 */
export function scenarioResolver(deps: {
  catalog: TemplateCatalog;
  clock: Clock;
  check: (scenario: Scenario) => unknown;
}): (ref: string, allowPaths: boolean) => string {
  const { catalog, clock } = deps;
  return (ref, allowPaths) => {
    if (catalog.scenario(ref)) return ref;
    const bare = isBareName(ref) ? ref.replace(/\.ya?ml$/i, '') : undefined;
    if (bare !== undefined && catalog.scenario(bare)) return bare;
    let file: string | undefined;
    if (allowPaths) {
      try {
        file = resolve(resolveScenarioRef(ref));
      } catch (err) {
        if (!(err instanceof UnknownScenarioError)) throw err;
      }
    } else if (bare !== undefined) {
      file = findScenario(bare);
    }
    if (file === undefined) {
      throw new UnknownScenarioError(
        ref,
        shippedScenarioNames(),
        catalog.scenarios().map((s) => s.name),
      );
    }
    const known = catalog.scenarios().find((s) => s.file === file);
    if (known) return known.name;
    const added = loadScenario(file);
    deps.check(added.scenario);
    catalog.add(added, clock.now());
    return added.name;
  };
}

/**
 * Resolve `ref` and start it (`start` gets the catalog name). A scenario loaded for this request
 * is forgotten again when the start is refused (no such template, past the clock's range): a
 * refused request changes nothing, the template list included.
 */
export function triggerResolved<T>(
  catalog: TemplateCatalog,
  resolve: () => string,
  start: (name: string) => T,
): T {
  const before = new Set(catalog.scenarios().map((s) => s.name));
  const name = resolve();
  try {
    return start(name);
  } catch (err) {
    if (!before.has(name)) catalog.remove(name);
    throw err;
  }
}
