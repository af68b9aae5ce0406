/**
 * Only the developer reaches the admin API (issue: a `text/plain` POST from any web page reset the
 * state, and a DNS-rebinding page could read it):
 * - the Host header must name a loopback name, the bound address, or one of `allowedHosts` (as
 *   Vite's dev server does against DNS rebinding); `*` allows any;
 * - a state-changing request (POST, PUT, PATCH, DELETE) is refused when it comes from a foreign
 *   `Origin`, or carries a body whose Content-Type a browser may send cross-site without a
 *   preflight (`text/plain`, form encodings): a body must be JSON, and no body is fine, so
 *   `curl -X POST …/trigger` keeps working.
 * The built-in sink (`/sink/...`) is a callback receiver, not admin: it takes any POST.
 */
import type { NextFunction, Request, Response } from 'express';
import { VendorError } from '../../core/vendor-errors.ts';

const LOOPBACK = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);
const CHANGES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export interface AdminGuardOptions {
  /** Host names (no port) allowed besides loopback and the bound address; `*` allows any. */
  allowedHosts?: readonly string[];
  /** The address the server is bound to (its name is always allowed). */
  boundHost?: () => string | undefined;
}

/** `example.com:4010` → `example.com`, `[::1]:4010` → `[::1]`. */
export function hostName(host: string): string {
  const h = host.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(0, h.indexOf(']') + 1);
  const colon = h.lastIndexOf(':');
  return colon >= 0 && h.indexOf(':') === colon ? h.slice(0, colon) : h;
}

export function adminGuard(opts: AdminGuardOptions = {}) {
  const allowed = new Set((opts.allowedHosts ?? []).map((h) => hostName(h)));
  const hostAllowed = (name: string): boolean => {
    if (allowed.has('*') || LOOPBACK.has(name) || allowed.has(name)) return true;
    const bound = opts.boundHost?.();
    return bound !== undefined && bound !== '0.0.0.0' && bound !== '::' && hostName(bound) === name;
  };
  return (req: Request, _res: Response, next: NextFunction): void => {
    const host = hostName(req.headers.host ?? '');
    if (!hostAllowed(host)) {
      throw new VendorError(
        'forbidden',
        `admin API: Host "${req.headers.host ?? ''}" is not allowed (a loopback name or the bound address; ` +
          'add it with --allowed-hosts / AIRUDDER_EMULATOR_ALLOWED_HOSTS / allowedHosts)',
      );
    }
    if (!CHANGES.has(req.method) || req.path.startsWith('/sink')) return next();
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== 'null') {
      let originHost = '';
      try {
        originHost = hostName(new URL(origin).host);
      } catch {
        // unparsable: foreign
      }
      if (!hostAllowed(originHost)) {
        throw new VendorError(
          'forbidden',
          `admin API: a ${req.method} from the web page at ${origin} is refused`,
        );
      }
    } else if (origin === 'null') {
      throw new VendorError('forbidden', `admin API: a ${req.method} from an opaque origin is refused`);
    }
    if (hasBody(req) && !req.is('application/json')) {
      throw new VendorError(
        'unsupportedMediaType',
        `admin API: a ${req.method} body must be application/json (got ${req.headers['content-type'] ?? 'no Content-Type'})`,
      );
    }
    next();
  };
}

function hasBody(req: Request): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}
