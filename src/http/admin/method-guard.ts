/** The admin API's answer to a known path asked with a method it does not take. */
import type { Router } from 'express';
import { VendorError } from '../../core/vendor-errors.ts';
import { declaredRoutes } from './declared-routes.ts';

/**
 * A known admin path asked with another method: 405 in the error envelope naming the methods it
 * takes (as the vendor API does), instead of express's bare `OPTIONS` answer ("GET, HEAD" as
 * text/plain, 200) or a 404 that says the path does not exist. Mount it after the routes.
 */
export function refuseOtherMethods(router: Router): void {
  const byPath = new Map<string, string[]>();
  for (const r of declaredRoutes(router)) {
    if (r.method === 'ANY') continue;
    byPath.set(r.path, [...(byPath.get(r.path) ?? []), r.method]);
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
