/**
 * The workflow templates the server offers, as the vendor's console would: one per template of
 * every scenario file the server was started with. A template keeps its scenario (account, outcome
 * model, delivery settings), which is what a campaign made from it runs on. Ids come from the
 * template's `workflow_template_id`, or are numbered from 1001 in load order.
 */
import type { Scenario, TemplateSpec } from '../scenario/types.ts';

export interface LoadedScenario {
  /** Name used by the admin trigger (`POST /__emulator/scenarios/:name/trigger`). */
  name: string;
  scenario: Scenario;
}

export interface TemplateEntry {
  templateId: number;
  name: string;
  scenarioName: string;
  scenario: Scenario;
  template: TemplateSpec;
  /** Clock time the server loaded it ("create_time" in the template list). */
  loadedAt: number;
}

export const FIRST_TEMPLATE_ID = 1001;

export interface TemplateCatalog {
  /** Newest first, as the vendor lists them. */
  list(): TemplateEntry[];
  get(templateId: number): TemplateEntry | undefined;
  scenario(name: string): LoadedScenario | undefined;
  scenarios(): LoadedScenario[];
}

export function createTemplateCatalog(loaded: LoadedScenario[], loadedAt: number): TemplateCatalog {
  const entries: TemplateEntry[] = [];
  const byId = new Map<number, TemplateEntry>();
  let next = FIRST_TEMPLATE_ID;
  for (const s of loaded) {
    for (const t of s.scenario.templates) {
      const templateId = t.workflow_template_id ?? next;
      next = Math.max(next, templateId) + 1;
      const clash = byId.get(templateId);
      if (clash) {
        throw new Error(
          `workflow_template_id ${templateId} is used by both "${clash.scenarioName}" and "${s.name}" (template "${t.id}")`,
        );
      }
      const entry: TemplateEntry = {
        templateId,
        name: t.name ?? t.id,
        scenarioName: s.name,
        scenario: s.scenario,
        template: t,
        loadedAt,
      };
      entries.push(entry);
      byId.set(templateId, entry);
    }
  }
  const scenarios = new Map(loaded.map((s) => [s.name, s]));
  return {
    list: () => [...entries].reverse(),
    get: (id) => byId.get(id),
    scenario: (name) => scenarios.get(name),
    scenarios: () => [...loaded],
  };
}
