/**
 * The admin API's routes as `METHOD /__emulator/path`, as the router the server mounts declares
 * them, so the fuzz suite notices a route it does not aim at. The sink's receiver (every method)
 * is listed as POST, the method the fuzzer sends it.
 */
import express from 'express';
import { createAdminRouter, type AdminControl } from '../../src/http/admin/admin-routes.ts';
import { declaredRoutes } from '../../src/http/admin/declared-routes.ts';

export function adminRouteKeys(): string[] {
  // Only the router's shape is read: the control is never called.
  const sink = { router: express.Router() };
  const router = createAdminRouter({ sink } as unknown as AdminControl, { bodyLimitBytes: 1 });
  return declaredRoutes(router).map(
    (r) => `${r.method === 'ANY' ? 'POST' : r.method} /__emulator${r.path.replace(/\/\*$/, '/*path')}`,
  );
}
