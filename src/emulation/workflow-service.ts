/**
 * The vendor API's commands: create a workflow from a template, add / update / cancel list rows,
 * stop. Each checks the request against the state (unknown workflow, stopped workflow, no such
 * row), drives the campaign, and commits the command to the store in the same order as the
 * campaign saw it (see campaign-driver.ts), so a restart replays it exactly.
 */
import type { Clock } from '../core/clock.ts';
import { workflowSeed } from '../core/random.ts';
import { formatVendorTime, MAX_CLOCK_TIME, parseVendorTime } from '../core/vendor-time.ts';
import { VendorError } from '../core/vendor-errors.ts';
import type { RowMatch, TemplateCatalog, TemplateEntry, WorkflowService } from './ports.ts';
import type { MemoryStore, WorkflowRecord } from '../store/memory-store.ts';
import type { CampaignSpec } from './campaign-spec.ts';
import type { CampaignDriver } from './campaign-driver.ts';

// The service's shapes are declared where the routes that call it are (src/emulation/ports.ts).
export type { RowMatch, WorkflowService };

/**
 * Default most rows a workflow takes: no vendor page states a limit; a vendor client's code
 * comments that one workflow instance accepts at most 10,000 recipients (unverified), so that is
 * the default, and `maxRowsPerWorkflow` changes it (emulator-defined).
 */
export const MAX_ROWS_PER_WORKFLOW = 10_000;
/** `auto_finish` default per the vendor page. */
export const DEFAULT_AUTO_FINISH = 2;
/** A triggered workflow (no end_time asked for) is shown ending a day after its creation. */
const DEFAULT_LIST_DAY_MS = 24 * 60 * 60 * 1000;

export interface WorkflowServiceOptions {
  clock: Clock;
  store: MemoryStore;
  driver: CampaignDriver;
  catalog: TemplateCatalog;
  /**
   * Root seed of the server; each workflow's seed derives from it and the workflow's identity
   * (scenario, template, position among that template's workflows): `workflowSeed`, as `run` does.
   */
  seed: number;
  /** Most list rows one workflow takes (createinstance + uploaddetails); default MAX_ROWS_PER_WORKFLOW. */
  maxRowsPerWorkflow?: number;
}

export function createWorkflowService(opts: WorkflowServiceOptions): WorkflowService {
  const maxRows = opts.maxRowsPerWorkflow ?? MAX_ROWS_PER_WORKFLOW;
  const { clock, store, driver, catalog } = opts;

  /** The workflow, brought up to now (it may have finished meanwhile), if it still takes changes. */
  function running(workflowId: string): WorkflowRecord {
    const wf = store.workflow(workflowId);
    if (!wf) throw new VendorError('workflowNotFound', `workflow ${workflowId} not found`);
    driver.catchUp(workflowId);
    if (wf.status !== 'Running') {
      throw new VendorError(
        'workflowFinished',
        `workflow ${workflowId} is ${wf.status}; it takes no more changes`,
      );
    }
    return wf;
  }

  function checkCapacity(wf: WorkflowRecord | undefined, adding: number): void {
    const have = wf ? store.rowsOf(wf.workflowId).length : 0;
    if (have + adding > maxRows) {
      throw new VendorError(
        'badRequest',
        `a workflow takes at most ${maxRows} list rows (it has ${have}, ${adding} more were sent)`,
      );
    }
  }

  function requireRows(workflowId: string, match: RowMatch): void {
    if (store.matchRows(workflowId, match).length === 0) {
      throw new VendorError(
        'workflowNotFound',
        `workflow ${workflowId} has no list row with ${describeMatch(match)}`,
      );
    }
  }

  function start(
    entry: TemplateEntry,
    spec: CampaignSpec,
    extra: { endTime: number; autoFinish: number },
  ): WorkflowRecord {
    const campaign = driver.start(spec);
    store.commit({
      k: 'workflow',
      at: spec.startTime,
      workflowId: campaign.workflowId,
      workflowName: campaign.workflowName,
      templateId: entry.templateId,
      templateName: entry.name,
      endTime: extra.endTime,
      autoFinish: extra.autoFinish,
      timeZone: entry.scenario.account.timezone,
      campaign: spec,
    });
    return store.workflow(campaign.workflowId)!;
  }

  const positions = templatePositions(store);

  /** The seed of the next workflow made from this template (`workflowSeed`, shared with `run`). */
  function nextSeed(entry: TemplateEntry): number {
    const scenario = entry.scenario.name ?? entry.scenarioName;
    const template = entry.template.id;
    const position = positions.get(positionKey(scenario, template)) ?? 0;
    return workflowSeed(opts.seed, { scenario, template, position });
  }

  return {
    create(input) {
      const entry = catalog.get(input.workflow_template_id);
      if (!entry) {
        const known = catalog
          .list()
          .map((t) => t.templateId)
          .join(', ');
        throw new VendorError(
          'createFailed',
          `workflow creation failed: no workflow template ${input.workflow_template_id} (known: ${known || 'none'})`,
        );
      }
      const now = clock.now();
      const endTime = parseVendorTime(input.end_time, entry.scenario.account.timezone);
      if (endTime === null)
        throw new VendorError('badRequest', `end_time "${input.end_time}" is not a valid time`);
      if (endTime <= now)
        throw new VendorError('badRequest', `end_time "${input.end_time}" is not in the future`);
      checkEnd(endTime, `end_time "${input.end_time}"`);
      const rows = input.details ?? [];
      checkCapacity(undefined, rows.length);
      const spec: CampaignSpec = {
        scenarioName: entry.scenarioName,
        scenario: entry.scenario,
        templateId: entry.template.id,
        workflowName: input.workflow_name ?? input.name,
        seed: nextSeed(entry),
        startTime: now,
        endTime,
        contacts: 'uploaded',
      };
      const wf = start(entry, spec, { endTime, autoFinish: input.auto_finish ?? DEFAULT_AUTO_FINISH });
      if (rows.length > 0) this.upload(wf.workflowId, rows);
      return wf;
    },
    trigger(scenarioName, templateId) {
      const loaded = catalog.scenario(scenarioName);
      if (!loaded) throw new VendorError('notFound', `no scenario "${scenarioName}"`);
      const entries = catalog.list().filter((t) => t.scenarioName === scenarioName);
      // The scenario's own template order (the catalog lists newest first).
      const ordered = loaded.scenario.templates.flatMap((t) => entries.filter((e) => e.template.id === t.id));
      const chosen = templateId === undefined ? ordered : ordered.filter((e) => e.templateId === templateId);
      if (chosen.length === 0)
        throw new VendorError(
          'notFound',
          `scenario "${scenarioName}" has no template ${templateId ?? ''}`.trim(),
        );
      const now = clock.now();
      checkEnd(now + DEFAULT_LIST_DAY_MS, "the workflow's end (a day after now)");
      return chosen.map((entry) => {
        const spec: CampaignSpec = {
          scenarioName,
          scenario: entry.scenario,
          templateId: entry.template.id,
          workflowName: loaded.scenario.workflow_name ?? loaded.scenario.name ?? scenarioName,
          seed: nextSeed(entry),
          startTime: now,
          contacts: 'scenario',
        };
        // No end_time was asked for: the list is shown ending a day after creation.
        return start(entry, spec, { endTime: now + DEFAULT_LIST_DAY_MS, autoFinish: DEFAULT_AUTO_FINISH });
      });
    },
    upload(workflowId, rows) {
      const wf = running(workflowId);
      checkCapacity(wf, rows.length);
      const at = clock.now();
      driver.addContacts(workflowId, rows, at);
      store.commit({ k: 'rows', at, workflowId, rows });
      return rows.length;
    },
    update(workflowId, match, fields) {
      running(workflowId);
      requireRows(workflowId, match);
      // The stored row changes (lookups) and the campaign's later calls and callbacks follow it;
      // the entry is the campaign's input too, so a restart replays the update at the same time.
      const n = store.matchRows(workflowId, match).length;
      const at = clock.now();
      driver.update(workflowId, match, fields, at);
      store.commit({ k: 'update', at, workflowId, match, fields });
      return n;
    },
    cancel(workflowId, match) {
      running(workflowId);
      requireRows(workflowId, match);
      const at = clock.now();
      const n = driver.cancel(workflowId, match, at);
      store.commit({ k: 'cancel', at, workflowId, match });
      return n;
    },
    stop(workflowId) {
      const wf = running(workflowId);
      const at = clock.now();
      driver.stop(workflowId, at);
      store.commit({ k: 'stop', at, workflowId });
      return wf;
    },
  };
}

/**
 * A workflow must end by the last instant the vendor's time format writes (the clock's range):
 * past it, its end_time printed as "10000-01-01 …" and its timers took the clock out of range.
 */
function checkEnd(endTime: number, what: string): void {
  if (endTime > MAX_CLOCK_TIME) {
    throw new VendorError(
      'badRequest',
      `${what} is past ${formatVendorTime(MAX_CLOCK_TIME, 'UTC')} UTC, the last time the vendor's "YYYY-MM-DD HH:mm:ss" can write`,
    );
  }
}

const positionKey = (scenario: string, template: string) => `${scenario}\u0000${template}`;

/**
 * How many workflows each (scenario, template) has made, kept up to date from the store's entries
 * (live, replayed and reset alike), so a workflow's seed costs O(1) however many came before.
 */
function templatePositions(store: MemoryStore): Map<string, number> {
  const counts = new Map<string, number>();
  const see = (campaign: unknown) => {
    const spec = campaign as CampaignSpec;
    const k = positionKey(spec.scenario.name ?? spec.scenarioName, spec.templateId);
    counts.set(k, (counts.get(k) ?? 0) + 1);
  };
  for (const wf of store.listWorkflows()) see(wf.campaign);
  store.onEntry((e) => {
    if (e.k === 'workflow') see(e.campaign);
    else if (e.k === 'reset') counts.clear();
  });
  return counts;
}

function describeMatch(m: RowMatch): string {
  return [
    m.case_id !== undefined ? `case_id "${m.case_id}"` : '',
    m.callee !== undefined ? `callee ${m.callee}` : '',
  ]
    .filter(Boolean)
    .join(' and ');
}
