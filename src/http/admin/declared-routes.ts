/**
 * Routes mounted through a recorder, remembered per router: the 405 guard, the docs' route table
 * and the fuzz suite read this list instead of express's private router layers.
 */
import type { RequestHandler, Router } from 'express';

export type RouteMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface DeclaredRoute {
  /** `ANY` for a mounted receiver that answers every method (the sink). */
  method: RouteMethod | 'ANY';
  /** As mounted, e.g. `/workflows/:id`; a receiver's catch-all as `/sink/*`. */
  path: string;
}

// Handlers take the router's own parameter types (a path's `:id` is a string).
type Handler = RequestHandler<Record<string, string>>;
type Add = (path: string, ...handlers: Handler[]) => void;

export interface RouteRecorder {
  get: Add;
  post: Add;
  put: Add;
  delete: Add;
  /** Mount `sub` at `prefix`; its routes are `routes` (or what `sub` declared itself). */
  use(prefix: string, sub: Router, routes?: readonly DeclaredRoute[]): void;
}

const declared = new WeakMap<Router, DeclaredRoute[]>();

/** The routes mounted on `router` through its recorder, in mounting order. */
export function declaredRoutes(router: Router): readonly DeclaredRoute[] {
  return declared.get(router) ?? [];
}

export function recordRoutes(router: Router): RouteRecorder {
  const list: DeclaredRoute[] = [];
  declared.set(router, list);
  const add =
    (method: RouteMethod): Add =>
    (path, ...handlers) => {
      list.push({ method, path });
      const m = method.toLowerCase() as 'get' | 'post' | 'put' | 'delete';
      router[m](path, ...handlers);
    };
  return {
    get: add('GET'),
    post: add('POST'),
    put: add('PUT'),
    delete: add('DELETE'),
    use(prefix, sub, routes = declaredRoutes(sub)) {
      const base = prefix === '/' ? '' : prefix;
      for (const r of routes) list.push({ method: r.method, path: `${base}${r.path}` });
      router.use(prefix, sub);
    },
  };
}
