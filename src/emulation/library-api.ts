/**
 * The library's commands and queries (`Emulator` minus its lifecycle), apart from the wiring so
 * the public types reach nothing of express.
 */
import type { DeliveryRecord } from '../delivery/types.ts';

export interface LibraryApi {
  /** Let everything scheduled happen: a virtual clock runs until idle; other clocks wait for it. */
  idle(): Promise<void>;
  /** Move a virtual clock forward by `ms` (firing what falls due on the way). */
  advance(ms: number): Promise<void>;
  deliveries(filter?: { workflow?: string; type?: string; outcome?: string }): DeliveryRecord[];
  delivery(id: string): DeliveryRecord | undefined;
  replay(id: string, url?: string): DeliveryRecord;
  /**
   * Start a workflow from a scenario with its own contacts, as the admin trigger does: a loaded
   * scenario's name, a shipped scenario's name or a scenario file (loaded now, its templates added
   * to the template list). Without `templateId`, the scenario's first template. Throws
   * `UnknownScenarioError` (listing the loaded and shipped names) for anything else.
   */
  trigger(scenario: string, templateId?: number): { workflowId: string; workflowName: string };
}
