/**
 * The vendor route table as data for documentation (`schemas --openapi`, docs/api.md): the same
 * route factories the server mounts, so a new endpoint shows up in the OpenAPI document without a
 * second list to keep in sync. The factories only close over their services inside handlers,
 * which documentation never calls, so inert stand-ins are enough.
 */
import type { OpenApiRoute } from '../contract/openapi.ts';
import type { MemoryStore } from '../store/memory-store.ts';
import type { AuthService } from './auth.ts';
import type { TemplateCatalog, WorkflowService } from '../emulation/ports.ts';
import { authRoutes } from './vendor/auth-routes.ts';
import { queryRoutes, RECORDING_PATH } from './vendor/query-routes.ts';
import { recordingRoute } from './vendor/recording-route.ts';
import { workflowRoutes } from './vendor/workflow-routes.ts';

/** Never called: route handlers are not run when documenting. */
const inert = {} as never;

export function documentedRoutes(): OpenApiRoute[] {
  const store = inert as MemoryStore;
  const routes = [
    ...authRoutes(inert as AuthService),
    ...workflowRoutes(inert as WorkflowService),
    ...queryRoutes({ store, catalog: inert as TemplateCatalog }),
    recordingRoute(store),
  ];
  return routes.map((r) => ({
    method: r.method,
    path: r.path,
    summary: r.summary,
    fidelity: r.fidelity,
    ...(r.note !== undefined ? { note: r.note } : {}),
    ...(r.request !== undefined ? { request: r.request } : {}),
    ...(r.response !== undefined ? { response: r.response } : {}),
    ...(r.auth !== undefined ? { auth: r.auth } : {}),
    ...(r.writes ? { writes: true } : {}),
    // The recording route answers the WAV itself rather than an envelope.
    ...(r.path.startsWith(`${RECORDING_PATH}/`) ? { rawMediaType: 'audio/wav' } : {}),
  }));
}
