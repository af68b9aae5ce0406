/**
 * The mock AIRUDDER API as an express router: every route of the table gets, in order, the AES
 * responder, the token check (unless the route is public), the body reader, schema validation of
 * the body or query, then its handler, whose return value is wrapped in the success envelope.
 * Paths no route claims answer a vendor-style 404; a known path with another method, 405.
 */
import express, {
  type NextFunction,
  type Request,
  type RequestHandler,
  type Response,
  type Router,
} from 'express';
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

export function createVendorRouter(opts: VendorAppOptions): Router {
  const router = express.Router();
  const aes = aesResponder(opts.aes);
  const body = readBody({ limitBytes: opts.bodyLimitBytes, maxDepth: opts.maxDepth, aes: opts.aes });
  const token = requireToken(opts.auth);
  const methodsByPath = new Map<string, string[]>();
  for (const r of opts.routes) {
    const chain: RequestHandler[] = [aes];
    if (r.auth !== false) chain.push(token);
    if (r.method === 'POST') chain.push(...body);
    chain.push(runRoute(r, opts.registry, opts.writeGate));
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
  return router;
}
