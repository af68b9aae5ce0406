/** The admin API's answer to a known path asked with a method it does not take. */
import type { Router } from 'express';
import { VendorError } from '../../core/vendor-errors.ts';

interface RouteLayer {
  route?: { path: string; methods: Record<string, boolean> };
}

/**
 * A known admin path asked with another method: 405 in the error envelope naming the methods it
 * takes (as the vendor API does), instead of express's bare `OPTIONS` answer ("GET, HEAD" as
 * text/plain, 200) or a 404 that says the path does not exist.
 */
export function refuseOtherMethods(router: Router): void {
  const byPath = new Map<string, string[]>();
  for (const layer of (router as unknown as { stack: RouteLayer[] }).stack) {
    if (!layer.route || layer.route.methods._all) continue;
    const methods = Object.keys(layer.route.methods).map((m) => m.toUpperCase());
    byPath.set(layer.route.path, [...(byPath.get(layer.route.path) ?? []), ...methods]);
  }
  for (const [path, methods] of byPath) {
    router.all(path, (req) => {
      throw new VendorError(
        'methodNotAllowed',
        `${req.method} is not allowed on ${req.baseUrl}${req.path} (use ${methods.join(' or ')})`,
      );
    });
  }
}
