/**
 * The admin API's routes as `METHOD /__emulator/path`, read from the router the server mounts
 * (its layers), so the fuzz suite notices a route it does not aim at. A route for every method
 * (the sink's receiver) is listed as POST, the method the fuzzer sends it.
 */
import express from 'express';
import { createAdminRouter, type AdminControl } from '../../src/http/admin/admin-routes.ts';

interface Layer {
  rawPath?: string;
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
}

function keys(stack: Layer[], prefix: string): string[] {
  const declared = new Set(stack.filter((l) => l.route && !l.route.methods._all).map((l) => l.route!.path));
  return stack.flatMap((l) => {
    // The 405 answer for a declared path's other methods is not a route of its own.
    if (l.route?.methods._all && declared.has(l.route.path)) return [];
    if (l.route) {
      return Object.keys(l.route.methods).map(
        (m) => `${m === '_all' ? 'POST' : m.toUpperCase()} /__emulator${prefix}${l.route!.path}`,
      );
    }
    const nested = l.handle?.stack;
    return nested ? keys(nested, `${prefix}${l.rawPath && l.rawPath !== '/' ? l.rawPath : ''}`) : [];
  });
}

export function adminRouteKeys(): string[] {
  // Only the router's shape is read: the control is never called.
  const sink = { router: express.Router() };
  sink.router.all('/*path', () => undefined);
  const router = createAdminRouter({ sink } as unknown as AdminControl, { bodyLimitBytes: 1 });
  return keys((router as unknown as { stack: Layer[] }).stack, '');
}
