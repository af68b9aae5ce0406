/**
 * The workflow queries. Everything they answer is read from what the campaigns produced (see
 * src/store/views.ts), so it matches the callbacks. Paths the vendor does not publish are the
 * emulator's choice under /service/cloud/workflow/ and marked so.
 */
import type { Request } from 'express';
import { formatVendorTime, parseVendorTime } from '../../core/vendor-time.ts';
import type { DetailInstance } from '../../generated/types.ts';
import type { MemoryStore, WorkflowRecord } from '../../store/memory-store.ts';
import {
  dialsOf,
  findDial,
  lastApiPush,
  nodeTasks,
  numberRecords,
  numberRecordsOfTask,
  outboundTasks,
  taskDetailRecord,
  taskKnown,
  taskRecords,
} from '../../store/views.ts';
import type { TemplateCatalog } from '../../emulation/ports.ts';
import { VendorError } from '../../core/vendor-errors.ts';
import { PreparedAnswer } from '../envelope.ts';
import { route, type VendorRoute } from '../route-table.ts';

const W = '/service/cloud/workflow';
export const RECORDING_PATH = `${W}/recording`;
const DEFAULT_PAGE_SIZE = 20;

export interface QueryRouteDeps {
  store: MemoryStore;
  catalog: TemplateCatalog;
  /** Public base URL for recording links; default: the scheme and Host of the request. */
  publicUrl?: string;
}

/** What a page is cut from: an array, or a list that reads only the slice a page asks for. */
interface Sliceable<T> {
  length: number;
  slice(from: number, to: number): T[];
}

function page<T>(items: Sliceable<T>, p = 1, size = DEFAULT_PAGE_SIZE) {
  return { list: items.slice((p - 1) * size, p * size), total: items.length, page: p, page_size: size };
}

function workflowOr404(store: MemoryStore, id: string): WorkflowRecord {
  const wf = store.workflow(id);
  if (!wf) throw new VendorError('workflowNotFound', `workflow ${id} not found`);
  return wf;
}

export function queryRoutes(deps: QueryRouteDeps): VendorRoute[] {
  const { store, catalog } = deps;
  const recordUrl = (req: Request) => {
    const base = deps.publicUrl ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`;
    return (callId: string) => `${base.replace(/\/$/, '')}${RECORDING_PATH}/${callId}.wav`;
  };

  let templates: { revision: number; answer: PreparedAnswer } | undefined;
  const templatesAnswer = (): PreparedAnswer => {
    if (templates?.revision === catalog.revision()) return templates.answer;
    const list = catalog.list().map((t) => ({
      workflow_template_id: t.templateId,
      workflow_template_name: t.name,
      business: t.template.business,
      create_time: formatVendorTime(t.loadedAt, t.scenario.account.timezone),
      nodes: t.template.nodes.map((n, i) => ({
        node_type: n.type,
        node_name: n.name ?? `${n.type}_${i + 1}`,
      })),
      callbacks: Object.keys(t.template.callbacks),
      scenario: t.scenarioName,
    }));
    templates = { revision: catalog.revision(), answer: new PreparedAnswer({ list, total: list.length }) };
    return templates.answer;
  };

  return [
    route({
      method: 'GET',
      path: `${W}/templates`,
      summary: 'Obtain the List of Workflow Templates',
      fidelity: 'emulator-defined',
      note: 'the vendor documents the endpoint and "newest first"; path and fields are not public',
      response: 'templates-response',
      // The list changes only when a scenario is loaded or forgotten: serialised once per change.
      handle: () => templatesAnswer(),
    }),
    route({
      method: 'GET',
      path: `${W}/list`,
      summary: 'Obtain the Workflow Task List',
      fidelity: 'emulator-defined',
      request: 'workflow-list-request',
      response: 'workflow-list-response',
      handle: ({ input }) => {
        const all = store
          .listWorkflows()
          .filter((w) => input.status === undefined || w.status === input.status)
          .filter((w) => input.name === undefined || w.workflowName.includes(input.name));
        // Only the asked page is formatted and counted (its rows read), not every workflow.
        const answer = page(all, Number(input.page ?? 1), Number(input.page_size ?? DEFAULT_PAGE_SIZE));
        const list = answer.list.map((w) => {
          const rows = store.rowsOf(w.workflowId);
          return {
            workflow_id: w.workflowId,
            workflow_name: w.workflowName,
            workflow_template_id: w.templateId,
            workflow_template_name: w.templateName,
            status: w.status,
            create_time: formatVendorTime(w.createdAt, w.timeZone),
            end_time: formatVendorTime(w.endTime, w.timeZone),
            auto_finish: w.autoFinish,
            total_details: rows.length,
            finished_details: rows.filter((r) => r.outcome === 'finished').length,
            cancelled_details: rows.filter((r) => r.outcome === 'cancelled').length,
          };
        });
        return { ...answer, list };
      },
    }),
    route({
      method: 'GET',
      path: `${W}/subtasks`,
      summary: 'Obtain the Subtask List of the Workflow',
      fidelity: 'emulator-defined',
      request: 'subtasks-request',
      response: 'subtasks-response',
      handle: ({ input }) => {
        workflowOr404(store, input.workflow_id);
        return { workflow_id: input.workflow_id, list: nodeTasks(store, input.workflow_id) };
      },
    }),
    route({
      method: 'POST',
      path: `${W}/tasks`,
      summary: 'Obtain the Outbound Task List of Workflow',
      fidelity: 'emulator-defined',
      request: 'outbound-tasks-request',
      response: 'outbound-tasks-response',
      handle: ({ input }) => {
        workflowOr404(store, input.workflow_id);
        // The status-change notices report task status after the last callback (finished, canceled).
        const statusOf = new Map(nodeTasks(store, input.workflow_id).map((n) => [n.task_id, n.task_status]));
        const items = outboundTasks(store, input.workflow_id).map((t) => ({
          workflow_id: t.latest.workflow_id,
          workflow_name: t.latest.workflow_name,
          nodetask_id: t.latest.nodetask_id,
          nodetask_name: t.latest.nodetask_name,
          task_id: t.latest.task_id,
          task_name: t.latest.task_name,
          status: statusOf.get(String(t.latest.task_id)) ?? t.latest.status,
          created_at: t.first.created_at,
          repeat_interval: t.latest.repeat_interval,
          repeat_number: t.latest.repeat_number,
          robot_hash: t.latest.robot_hash,
          robot_method: t.latest.robot_method,
          sip_line: t.latest.sip_line,
          schedule_start_time: t.latest.schedule_start_time,
          schedule_end_time: t.latest.schedule_end_time,
          total_numbers: t.numbers,
          connected_numbers: t.connected,
        }));
        return page(items, input.page, input.page_size);
      },
    }),
    ...[
      {
        path: `${W}/taskdetail`,
        summary: 'Obtain the Outbound Task Details of Workflow (Collection/Telemarketing/E-commerce)',
        fidelity: 'documented' as const,
        note: 'path documented; request fields cut off on the vendor page (emulator-defined body)',
      },
      {
        path: `${W}/taskdetail/infocheck`,
        summary: 'Obtain the Outbound Task Details of Workflow (Info Check)',
        fidelity: 'emulator-defined' as const,
        note: 'the vendor page exists; its path is not public',
      },
    ].map((r) =>
      route({
        method: 'POST',
        ...r,
        request: 'taskdetail-request',
        response: 'taskdetail-response',
        handle: ({ input }) => {
          const records = taskRecords(store, input.task_id, input.workflow_id);
          if (records.length === 0 && !taskKnown(store, input.task_id)) {
            throw new VendorError('workflowNotFound', `outbound task ${input.task_id} not found`);
          }
          // Only the asked page is read (and decoded).
          const answer = page(records, input.page, input.page_size);
          return { task_id: input.task_id, ...answer, list: answer.list.map(taskDetailRecord) };
        },
      }),
    ),
    route({
      method: 'GET',
      path: `${W}/callinfo`,
      summary: 'Obtain Call Information and Recording Links by callee/caseid and taskid/workflow_id',
      fidelity: 'emulator-defined',
      request: 'callinfo-request',
      response: 'callinfo-response',
      handle: ({ input, req }) => {
        const who = { callee: input.callee, case_id: input.case_id };
        let records =
          input.workflow_id !== undefined
            ? (workflowOr404(store, input.workflow_id), numberRecords(store, input.workflow_id, who))
            : numberRecordsOfTask(store, input.task_id!, who);
        if (input.task_id !== undefined) records = records.filter((r) => r.task.task_id === input.task_id);
        return { list: records.flatMap((r) => dialsOf(r, recordUrl(req)).map((d) => d.info)) };
      },
    }),
    route({
      method: 'GET',
      path: `${W}/callinfo/bycallid`,
      summary: 'Obtian Call Information and Recording Link by Call ID',
      fidelity: 'emulator-defined',
      request: 'callinfo-by-callid-request',
      response: 'callinfo-by-callid-response',
      handle: ({ input, req }) => {
        const dial = findDial(store, input.call_id, recordUrl(req));
        if (!dial)
          throw new VendorError('callIdInvalid', `call_id ${input.call_id} is not a call of any workflow`);
        return dial.info;
      },
    }),
    route({
      method: 'GET',
      path: `${W}/recordings`,
      summary: 'Obtain All the Recordings of a Single Number in the Workflow',
      fidelity: 'emulator-defined',
      request: 'recordings-request',
      response: 'recordings-response',
      handle: ({ input, req }) => {
        workflowOr404(store, input.workflow_id);
        const list = numberRecords(store, input.workflow_id, { callee: input.callee })
          .flatMap((r) => dialsOf(r, recordUrl(req)))
          .filter((d) => d.recorded)
          .map((d) => d.info);
        if (list.length === 0) {
          throw new VendorError(
            'noRecordings',
            `no recordings for ${input.callee} in workflow ${input.workflow_id}`,
          );
        }
        return { callee: input.callee, list };
      },
    }),
    route({
      method: 'POST',
      path: `${W}/detailinstances`,
      summary: 'Query workflow_id using case_id/callee',
      fidelity: 'documented',
      note: 'path and request documented; response not public (emulator-defined)',
      request: 'detailinstances-request',
      response: 'detailinstances-response',
      handle: ({ input }) => {
        if (input.case_id === undefined && input.callee === undefined) {
          throw new VendorError('badRequest', 'invalid request: give case_id or callee (or both)', [
            { path: '$.case_id', message: 'is required when callee is absent' },
          ]);
        }
        const list: DetailInstance[] = [];
        // From the row index: newest workflow first, its newest rows first.
        for (const { workflow: wf, row } of store.matchAllRows({
          case_id: input.case_id,
          callee: input.callee,
        })) {
          const from = parseVendorTime(input.start_time, wf.timeZone) ?? -Infinity;
          const to = parseVendorTime(input.end_time, wf.timeZone) ?? Infinity;
          if (row.addedAt < from || row.addedAt > to) continue;
          list.push({
            workflow_id: wf.workflowId,
            workflow_name: wf.workflowName,
            case_id: row.input.case_id ?? '',
            callee: input.callee ?? row.callees[0],
            create_time: formatVendorTime(row.addedAt, wf.timeZone),
          });
        }
        return { list };
      },
    }),
    route({
      method: 'POST',
      path: `${W}/apinoticeinfo`,
      summary: 'Verify the Custom API Node Data Push',
      fidelity: 'documented',
      note: 'path and request documented; response not public (emulator-defined: the last push)',
      request: 'apinoticeinfo-request',
      response: 'apinoticeinfo-response',
      handle: ({ input }) => {
        workflowOr404(store, input.workflow_id);
        const push = lastApiPush(store, input);
        if (!push) {
          throw new VendorError(
            'workflowNotFound',
            `no Custom API push yet for node ${input.node_id} and ${input.callee} in workflow ${input.workflow_id}`,
          );
        }
        return push;
      },
    }),
  ];
}
