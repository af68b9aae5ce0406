/**
 * The mock AIRUDDER API as an express router: every route of the table gets, in order, the AES
 * responder, the token check (unless the route is public), the body reader, schema validation of
 * the body or query, then its handler, whose return value is wrapped in the success envelope.
 * Paths no route claims answer a vendor-style 404; a known path with another method, 405.
 */
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { SchemaRegistry } from '../contract/registry.ts';
import type { AesCodec } from './aes-codec.ts';
import { requireToken, type AuthService } from './auth.ts';
import { aesResponder, readBody } from './body.ts';
import { sendSuccess } from './envelope.ts';
import { VendorError } from '../core/vendor-errors.ts';
import { RAW, type VendorRoute } from './route-table.ts';
import { validateRequest } from './validate-request.ts';

export interface VendorAppOptions {
  routes: VendorRoute[];
  auth: AuthService;
  registry: SchemaRegistry;
  /** Largest accepted request body, in bytes. */
  bodyLimitBytes: number;
  /** Deepest accepted JSON nesting. */
  maxDepth: number;
  aes?: AesCodec;
  /** Runs after validation and before the handler of a route that `writes`; throws to refuse. */
  writeGate?: () => void;
}

function runRoute(r: VendorRoute, registry: SchemaRegistry, writeGate?: () => void): RequestHandler {
  return async (req: Request, res: Response) => {
    const raw = r.method === 'GET' ? res.locals.query : res.locals.body;
    const input = r.request ? validateRequest(registry, r.request, raw) : raw;
    // Bad input is still a 4xx; only a well-formed write meets the storage check.
    if (r.writes) writeGate?.();
    const data = await r.handle({ input, token: res.locals.token, req, res });
    if (data === RAW) return;
    sendSuccess(res, data);
  };
}

/**
 * Runs one route's handlers in order as express's route would: a handler that throws, rejects or
 * passes an error ends the chain with it (to the error middleware).
 */
function runChain(chain: RequestHandler[], req: Request, res: Response, done: NextFunction): void {
  let i = 0;
  const step = (err?: unknown): void => {
    if (err !== undefined && err !== null) {
      done(err);
      return;
    }
    const handler = chain[i++];
    if (!handler) {
      done();
      return;
    }
    try {
      const ret: unknown = handler(req, res, step);
      if (ret instanceof Promise)
        ret.then(undefined, (e: unknown) => step(e ?? new Error('Rejected promise')));
    } catch (e) {
      step(e);
    }
  };
  step();
}

/**
 * The vendor routes. A request whose method and path are exactly a route's (every vendor call a
 * client makes) runs that route's handlers straight from a map; anything else (another case, a
 * trailing slash, HEAD, a path parameter, a wrong method) goes through express's router, which
 * tries each route's pattern in turn.
 */
export function createVendorRouter(opts: VendorAppOptions): RequestHandler {
  const router = express.Router();
  const exact = new Map<string, RequestHandler[]>();
  const aes = aesResponder(opts.aes);
  const body = readBody({ limitBytes: opts.bodyLimitBytes, maxDepth: opts.maxDepth, aes: opts.aes });
  const token = requireToken(opts.auth);
  const methodsByPath = new Map<string, string[]>();
  for (const r of opts.routes) {
    const chain: RequestHandler[] = [aes];
    if (r.auth !== false) chain.push(token);
    if (r.method === 'POST') chain.push(...body);
    chain.push(runRoute(r, opts.registry, opts.writeGate));
    if (!r.path.includes(':')) exact.set(`${r.method} ${r.path}`, chain);
    if (r.method === 'GET') router.get(r.path, ...chain);
    else router.post(r.path, ...chain);
    methodsByPath.set(r.path, [...(methodsByPath.get(r.path) ?? []), r.method]);
  }
  // A known path asked with the wrong method: say which methods it takes.
  for (const [path, methods] of methodsByPath) {
    router.all(path, aes, (req: Request, _res: Response, next: NextFunction) => {
      if (req.method === 'HEAD' && methods.includes('GET')) {
        next();
        return;
      }
      throw new VendorError(
        'methodNotAllowed',
        `${req.method} is not allowed on ${req.path} (use ${methods.join(' or ')})`,
      );
    });
  }
  return (req, res, next) => {
    const chain = exact.get(`${req.method} ${req.path}`);
    if (chain) runChain(chain, req, res, next);
    else router(req, res, next);
  };
}
