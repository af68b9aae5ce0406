/**
 * Every route the fuzzer aims at, vendor and admin, each with a request that would be accepted
 * (its body or query, with `{ref}`s for live ids) for the mutations to start from. The suite
 * checks this list against the server's own route tables, so a new route cannot go unfuzzed.
 */
import { obj, type Json } from './json-model.ts';

export interface FuzzRoute {
  /** `METHOD /path` as the server declares it (`:id` for a parameter). */
  key: string;
  method: string;
  /** Path with `:param`s; each param is filled from `params`. */
  path: string;
  params?: Record<string, Json>;
  /** The body (POST, PUT) or the query (GET, DELETE) of an accepted request. */
  input?: Json;
  /** A vendor route (envelope answers, token, AES) rather than an admin one. */
  vendor: boolean;
  /** How often to pick it, relative to 1 (resets and idle runs are rarer than reads). */
  weight?: number;
}

const W = '/service/cloud/workflow';
const A = '/__emulator';
const ref = (name: string): Json => ({ ref: name });

const vendor = (method: string, path: string, input?: Json, params?: Record<string, Json>): FuzzRoute => ({
  key: `${method} ${path}`,
  method,
  path,
  vendor: true,
  ...(input !== undefined ? { input } : {}),
  ...(params ? { params } : {}),
});

const admin = (method: string, path: string, input?: Json, extra: Partial<FuzzRoute> = {}): FuzzRoute => ({
  key: `${method} ${A}${path}`,
  method,
  path: `${A}${path}`,
  vendor: false,
  ...(input !== undefined ? { input } : {}),
  ...extra,
});

const row = obj({ callee: ref('newCallee'), case_id: ref('newCaseId'), customer_name: 'Fuzz' });

export const VENDOR_ROUTES: FuzzRoute[] = [
  vendor('POST', '/service/cloud/auth', obj({ APPKey: ref('appKey'), APPSecret: ref('appSecret') })),
  vendor('GET', `${W}/templates`, obj({})),
  vendor('GET', `${W}/list`, obj({ page: '1', page_size: '20', status: 'Running', name: 'a' })),
  vendor('GET', `${W}/subtasks`, obj({ workflow_id: ref('workflowId') })),
  vendor('POST', `${W}/tasks`, obj({ workflow_id: ref('workflowId'), page: 1, page_size: 20 })),
  vendor('POST', `${W}/taskdetail`, obj({ task_id: ref('taskId'), workflow_id: ref('workflowId'), page: 1 })),
  vendor('POST', `${W}/taskdetail/infocheck`, obj({ task_id: ref('taskId'), page_size: 5 })),
  vendor('GET', `${W}/callinfo`, obj({ workflow_id: ref('workflowId'), callee: ref('callee') })),
  vendor('GET', `${W}/callinfo/bycallid`, obj({ call_id: ref('callId') })),
  vendor('GET', `${W}/recordings`, obj({ workflow_id: ref('workflowId'), callee: ref('callee') })),
  vendor(
    'POST',
    `${W}/detailinstances`,
    obj({ callee: ref('callee'), start_time: '2024-01-01 00:00:00', end_time: '2099-01-01 00:00:00' }),
  ),
  vendor(
    'POST',
    `${W}/apinoticeinfo`,
    obj({ workflow_id: ref('workflowId'), node_id: ref('nodeId'), callee: ref('callee') }),
  ),
  vendor(
    'POST',
    `${W}/createinstance`,
    obj({
      workflow_template_id: ref('templateId'),
      name: 'fuzz',
      end_time: ref('endTime'),
      details: { items: [row] },
    }),
  ),
  vendor('POST', `${W}/uploaddetails`, obj({ workflow_id: ref('runningId'), details: { items: [row] } })),
  vendor(
    'POST',
    `${W}/updatedetail`,
    obj({ workflow_id: ref('runningId'), case_id: ref('runningCaseId'), detail: obj({ comments: 'x' }) }),
  ),
  vendor('POST', `${W}/canceldetail`, obj({ workflow_id: ref('runningId'), callee: ref('runningCallee') })),
  vendor('POST', `${W}/stop`, obj({ workflow_id: ref('runningId') })),
  vendor('GET', `${W}/recording/:file`, undefined, { file: ref('recordingFile') }),
];

export const ADMIN_ROUTES: FuzzRoute[] = [
  admin('GET', '/'),
  admin('GET', '/index.html'),
  admin('GET', '/health'),
  admin('POST', '/reset', undefined, { weight: 0.05 }),
  admin('GET', '/events', undefined, { weight: 0.2 }),
  admin('GET', '/clock'),
  admin('POST', '/clock/advance', obj({ ms: 60_000 })),
  admin('POST', '/clock/run-until-idle', undefined, { weight: 0.2 }),
  admin('GET', '/workflows'),
  admin('GET', '/workflows/:id', obj({ limit: '5' }), { params: { id: ref('workflowId') } }),
  admin('GET', '/workflows/:id/contacts', obj({ limit: '2' }), { params: { id: ref('workflowId') } }),
  admin('GET', '/workflows/:id/calls', obj({ limit: '2' }), { params: { id: ref('workflowId') } }),
  admin('GET', '/deliveries', obj({ limit: '5', workflow: ref('workflowId'), outcome: 'delivered' })),
  admin('GET', '/deliveries/:id', undefined, { params: { id: ref('deliveryId') } }),
  admin('POST', '/deliveries/:id/replay', obj({ url: ref('sinkUrl') }), {
    params: { id: ref('deliveryId') },
  }),
  admin('POST', '/callbacks', obj({ type: 'workflow-status-change', scenario: 'tele' })),
  admin('GET', '/scenarios'),
  admin('POST', '/scenarios/:name/trigger', obj({ workflow_template_id: ref('templateId') }), {
    params: { name: 'tele' },
    weight: 0.3,
  }),
  // A shipped scenario, loaded by its first trigger; template 501 is not one of its own (a 404).
  admin('POST', '/scenarios/:name/trigger', obj({ workflow_template_id: ref('templateId') }), {
    params: { name: 'endpoint-misbehaving' },
    weight: 0.3,
  }),
  admin('GET', '/targets'),
  admin('PUT', '/targets', obj({ target: null })),
  admin('GET', '/sink', obj({ limit: '3' })),
  admin('DELETE', '/sink'),
  admin('PUT', '/sink', obj({ mode: 'ok' })),
  admin('POST', '/sink/*path', obj({ hello: 'sink' }), { params: { path: 'fuzz' } }),
  admin('GET', '/requests', obj({ status: '4xx', limit: '3', path: 'workflow' })),
  admin('DELETE', '/requests'),
  admin('GET', '/faults'),
  // A rule on a path no request takes, for one request: accepted, it changes no answer.
  admin('POST', '/faults', obj({ route: 'GET /fuzz-never-requested', status: 418, times: 1 })),
  admin('DELETE', '/faults'),
  admin('DELETE', '/faults/:id', undefined, { params: { id: ref('faultId') } }),
];

export const ALL_ROUTES = [...VENDOR_ROUTES, ...ADMIN_ROUTES];
