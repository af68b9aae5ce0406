/**
 * What the vendor routes need from the services behind them, as interfaces: the template catalog
 * and the workflow commands. The routes (src/http/vendor/) and the route documentation
 * (documented-routes.ts) depend on these; src/server/ implements them (template-catalog.ts,
 * workflow-service.ts) and wires them in, so http never imports server (docs/design.md, "Layers").
 */
import type { CreateInstanceRequest, UpdateDetailFields } from '../generated/types.ts';
import type { ContactInput, Scenario, TemplateSpec } from '../scenario/types.ts';
import type { WorkflowRecord } from '../store/memory-store.ts';

export interface LoadedScenario {
  /** Name used by the admin trigger (`POST /__emulator/scenarios/:name/trigger`). */
  name: string;
  scenario: Scenario;
  /** The file it was read from, when it came from one (absolute path). */
  file?: string;
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

export interface TemplateCatalog {
  /** Newest first, as the vendor lists them. */
  list(): TemplateEntry[];
  get(templateId: number): TemplateEntry | undefined;
  scenario(name: string): LoadedScenario | undefined;
  scenarios(): LoadedScenario[];
  /** Load one more scenario (its templates become available at `loadedAt`). */
  add(loaded: LoadedScenario, loadedAt: number): void;
  /** Forget a scenario and its templates (one loaded for a request that was then refused). */
  remove(name: string): void;
  /** Changes with every `add` and `remove` that changes the list (a cache of it keys on this). */
  revision(): number;
}

export interface RowMatch {
  case_id?: string;
  callee?: string;
}

export interface WorkflowService {
  /** `input`: the createinstance body as its schema types it (createinstance-request). */
  create(input: CreateInstanceRequest): WorkflowRecord;
  /**
   * Start a scenario as the `run` command does (admin trigger, library, demo): one workflow per
   * template in the scenario's order, or only `templateId`'s.
   */
  trigger(scenarioName: string, templateId?: number): WorkflowRecord[];
  upload(workflowId: string, rows: ContactInput[]): number;
  /** `fields`: updatedetail's `detail` (every list-item field but the row's identity). */
  update(workflowId: string, match: RowMatch, fields: UpdateDetailFields): number;
  cancel(workflowId: string, match: RowMatch): number;
  stop(workflowId: string): WorkflowRecord;
}
