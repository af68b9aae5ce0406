/**
 * `createApp(deps)`: the express application — the vendor API at the vendor's paths, the admin
 * API under /__emulator (vendor-API requests logged and, by fault rules, faulted first), a vendor-style 404 for everything else, and the one error middleware.
 * Everything it uses is passed in (store, clock, services), so tests build it with fakes and
 * src/server/ wires the real ones.
 */
import express, { type Express, type Router } from 'express';
import type { SchemaRegistry } from '../contract/registry.ts';
import type { AesCodec } from './aes-codec.ts';
import type { AuthService } from './auth.ts';
import { errorMiddleware, notFoundHandler, type ErrorLogger } from './error-middleware.ts';
import type { VendorRoute } from './route-table.ts';
import { createVendorRouter } from './vendor-app.ts';
import type { FaultTable } from './faults.ts';
import type { RequestLog } from './request-log.ts';

export const DEFAULT_BODY_LIMIT_BYTES = 5 * 1024 * 1024;
export const DEFAULT_MAX_DEPTH = 32;

export interface AppDeps {
  registry: SchemaRegistry;
  auth: AuthService;
  /** Every vendor endpoint (see src/http/vendor/). */
  routes: VendorRoute[];
  /** The admin API router, mounted at /__emulator. */
  admin?: Router;
  aes?: AesCodec;
  bodyLimitBytes?: number;
  maxDepth?: number;
  logger?: ErrorLogger;
  /** Records every vendor-API request and its answer (GET /__emulator/requests). */
  requestLog?: RequestLog;
  /** Fault rules applied before the vendor routes (GET /__emulator/faults). */
  faults?: FaultTable;
  /** Called before a vendor route that writes (auth, workflow commands) runs; throws to refuse it. */
  writeGate?: () => void;
}

const consoleLogger: ErrorLogger = {
  error: (message, err) => console.error(`airudder-emulator: ${message}:`, err),
};

export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  if (deps.requestLog) app.use(deps.requestLog.middleware());
  if (deps.faults) app.use(deps.faults.middleware());
  app.use(
    createVendorRouter({
      routes: deps.routes,
      auth: deps.auth,
      registry: deps.registry,
      bodyLimitBytes: deps.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES,
      maxDepth: deps.maxDepth ?? DEFAULT_MAX_DEPTH,
      aes: deps.aes,
      ...(deps.writeGate ? { writeGate: deps.writeGate } : {}),
    }),
  );
  if (deps.admin) app.use('/__emulator', deps.admin);
  app.use(notFoundHandler());
  app.use(errorMiddleware(deps.logger ?? consoleLogger));
  return app;
}
