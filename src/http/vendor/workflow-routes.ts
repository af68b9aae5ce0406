/**
 * The workflow commands: create, add rows, update a row, cancel a row's processes, stop.
 * createinstance and uploaddetails are the vendor's paths (documented / seen in a real client);
 * the other three paths are not public and are the emulator's choice (docs/fidelity.md).
 */
import type { RowMatch, WorkflowService } from '../../emulation/ports.ts';
import { route, type VendorRoute } from '../route-table.ts';

const W = '/service/cloud/workflow';

export function workflowRoutes(service: WorkflowService): VendorRoute[] {
  return [
    route({
      method: 'POST',
      writes: true,
      path: `${W}/createinstance`,
      summary: 'Create a New WorkFlow Task',
      fidelity: 'documented',
      note: 'path and first fields from the vendor page (cut after end_time); details[] from a real client',
      request: 'createinstance-request',
      response: 'createinstance-response',
      handle: ({ input }) => ({ workflow_id: service.create(input).workflowId }),
    }),
    route({
      method: 'POST',
      writes: true,
      path: `${W}/uploaddetails`,
      summary: 'Add lists to an workflow task',
      fidelity: 'inferred',
      note: "path and body from a real client's endpoint table",
      request: 'uploaddetails-request',
      response: 'envelope-success',
      handle: ({ input }) => {
        service.upload(input.workflow_id, input.details);
        // The vendor answers the bare success envelope here (no data), per the real client.
        return undefined;
      },
    }),
    route({
      method: 'POST',
      writes: true,
      path: `${W}/updatedetail`,
      summary: 'Update the List Info of Workflow Task',
      fidelity: 'emulator-defined',
      note: 'the vendor page exists; its path and fields are not public',
      request: 'updatedetail-request',
      response: 'updatedetail-response',
      handle: ({ input }) => ({
        updated: service.update(input.workflow_id, pickMatch(input), input.detail),
      }),
    }),
    route({
      method: 'POST',
      writes: true,
      path: `${W}/canceldetail`,
      summary: 'Cancel the processes for a specific list',
      fidelity: 'emulator-defined',
      note: 'the vendor page exists; its path and fields are not public',
      request: 'canceldetail-request',
      response: 'canceldetail-response',
      handle: ({ input }) => ({ cancelled: service.cancel(input.workflow_id, pickMatch(input)) }),
    }),
    route({
      method: 'POST',
      writes: true,
      path: `${W}/stop`,
      summary: 'Stop the Workflow Task',
      fidelity: 'emulator-defined',
      note: 'the vendor page exists; its path and fields are not public',
      request: 'stop-request',
      response: 'stop-response',
      handle: ({ input }) => ({ workflow_id: service.stop(input.workflow_id).workflowId, status: 'Stopped' }),
    }),
  ];
}

function pickMatch(input: RowMatch): RowMatch {
  const m: RowMatch = {};
  if (input.case_id !== undefined) m.case_id = input.case_id;
  if (input.callee !== undefined) m.callee = input.callee;
  return m;
}
