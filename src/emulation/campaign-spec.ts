/**
 * What a campaign is built from, as plain JSON: it is kept in the workflow's journal entry, so a
 * restart rebuilds the identical campaign (same seed, same start, same scenario — even if the
 * scenario file changed on disk since).
 */
import { createCampaign } from '../engine/campaign.ts';
import type { Campaign } from '../engine/types.ts';
import type { Scenario } from '../scenario/types.ts';

export interface CampaignSpec {
  scenarioName: string;
  scenario: Scenario;
  /** `templates[].id` inside the scenario. */
  templateId: string;
  workflowName: string;
  seed: number;
  /** Clock time the workflow was created. */
  startTime: number;
  /** createinstance `end_time`; absent for scenario triggers (the calling window decides). */
  endTime?: number;
  /**
   * `uploaded`: the rows come from createinstance `details` / uploaddetails (a client's workflow);
   * `scenario`: the scenario's own contacts (admin trigger, demo).
   */
  contacts: 'uploaded' | 'scenario';
}

/** Build the engine campaign a spec describes. */
export function buildCampaign(spec: CampaignSpec): Campaign {
  return createCampaign({
    scenario: spec.scenario,
    templateId: spec.templateId,
    seed: spec.seed,
    startTime: spec.startTime,
    workflowName: spec.workflowName,
    ...(spec.contacts === 'uploaded' ? { contacts: [] } : {}),
    ...(spec.endTime !== undefined ? { endTime: spec.endTime } : {}),
  });
}
