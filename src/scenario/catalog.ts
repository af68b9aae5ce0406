/** The scenarios shipped in scenarios/*.yaml: where they are, and a one-line description each. */
import { join } from 'node:path';
import { SCENARIO_DIR } from '../assets.ts';
import { loadScenarioFile } from './load.ts';
import { scenarioFiles } from './refs.ts';
import type { Scenario } from './types.ts';

export { SCENARIO_DIR };
export {
  findScenario,
  resolveScenarioRef,
  scenarioFiles,
  scenarioNameOf,
  shippedScenarioNames,
  UnknownScenarioError,
} from './refs.ts';

export interface ShippedScenario {
  name: string;
  file: string;
  description: string;
  business: string;
  contacts: number;
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
