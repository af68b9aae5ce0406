/**
 * The workflow templates the server offers, as the vendor's console would: one per template of
 * every scenario the server loaded. A template keeps its scenario (account, outcome model,
 * delivery settings), which is what a campaign made from it runs on.
 *
 * A template's numeric id (what `createinstance` takes) never depends on what else is loaded or
 * in which order: it is the template's `workflow_template_id` when the scenario sets one (every
 * shipped scenario does, 1001–1008), else derived from the scenario's name and the template's
 * `id` (`derivedTemplateId`). Two templates with the same id are an error naming both.
 */
import { deriveSeed } from '../core/random.ts';
import type { LoadedScenario, TemplateCatalog, TemplateEntry } from './ports.ts';
import type { TemplateSpec } from '../scenario/types.ts';

// The catalog's shapes are declared where the routes that read it are (src/emulation/ports.ts).
export type { LoadedScenario, TemplateCatalog, TemplateEntry };

/** Smallest and largest id `derivedTemplateId` gives. */
export const DERIVED_TEMPLATE_ID_MIN = 100_000;
export const DERIVED_TEMPLATE_ID_MAX = 999_999;

/**
 * The id of a template whose scenario sets no `workflow_template_id`: FNV-1a of
 * `"<scenario name>/<template id>"` mapped into 100000–999999. The same scenario name and template
 * id always give the same number, whatever else is loaded.
 */
export function derivedTemplateId(scenarioName: string, templateId: string): number {
  const span = DERIVED_TEMPLATE_ID_MAX - DERIVED_TEMPLATE_ID_MIN + 1;
  return DERIVED_TEMPLATE_ID_MIN + (deriveSeed(0, `${scenarioName}/${templateId}`) % span);
}

/** Two loaded templates have the same numeric id. */
export class TemplateIdClashError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateIdClashError';
  }
}

function describe(scenarioName: string, t: TemplateSpec, explicit: boolean): string {
  return `template "${t.id}" of scenario "${scenarioName}" (${explicit ? 'its workflow_template_id' : 'derived from its scenario name and template id'})`;
}

export function createTemplateCatalog(loaded: LoadedScenario[], loadedAt: number): TemplateCatalog {
  const entries: TemplateEntry[] = [];
  const byId = new Map<number, TemplateEntry>();
  const scenarios = new Map<string, LoadedScenario>();
  let revision = 0;

  function add(s: LoadedScenario, at: number): void {
    if (scenarios.has(s.name)) throw new Error(`a scenario named "${s.name}" is already loaded`);
    const idName = s.scenario.name ?? s.name;
    const mine: TemplateEntry[] = [];
    for (const t of s.scenario.templates) {
      const explicit = t.workflow_template_id !== undefined;
      const templateId = t.workflow_template_id ?? derivedTemplateId(idName, t.id);
      const clash = byId.get(templateId) ?? mine.find((e) => e.templateId === templateId);
      if (clash) {
        const clashExplicit = clash.template.workflow_template_id !== undefined;
        throw new TemplateIdClashError(
          `workflow_template_id ${templateId} is used by both ${describe(clash.scenarioName, clash.template, clashExplicit)} ` +
            `and ${describe(s.name, t, explicit)}; set a distinct workflow_template_id on one of them`,
        );
      }
      mine.push({
        templateId,
        name: t.name ?? t.id,
        scenarioName: s.name,
        scenario: s.scenario,
        template: t,
        loadedAt: at,
      });
    }
    for (const e of mine) {
      entries.push(e);
      byId.set(e.templateId, e);
    }
    scenarios.set(s.name, s);
    revision++;
  }

  function remove(name: string): void {
    if (!scenarios.delete(name)) return;
    revision++;
    for (let i = entries.length - 1; i >= 0; i--) {
      if (entries[i]!.scenarioName !== name) continue;
      byId.delete(entries[i]!.templateId);
      entries.splice(i, 1);
    }
  }

  for (const s of loaded) add(s, loadedAt);
  return {
    list: () => [...entries].reverse(),
    get: (id) => byId.get(id),
    scenario: (name) => scenarios.get(name),
    scenarios: () => [...scenarios.values()],
    add,
    remove,
    revision: () => revision,
  };
}
