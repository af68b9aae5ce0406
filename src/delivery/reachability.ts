/**
 * Is anything there? The check `run` makes of each target before a campaign (preflight), the
 * failures after which `run` gives up on a target, and the words for them — shared with `verify`,
 * which stops at its first variant for the same failures. A connection check (DNS, then a TCP
 * connect, nothing sent) rather than a request: a probe POST would reach the user's handler as a
 * callback it never asked for.
 */
import net from 'node:net';
import { systemWall, type Wall } from '../clock/wall.ts';
import type { AttemptError } from './types.ts';

/** Errors that mean nothing is listening there, as opposed to an endpoint that misbehaves. */
export const UNREACHABLE: ReadonlySet<AttemptError> = new Set(['refused', 'network']);

export const isConnectionFailure = (error: AttemptError | undefined): boolean =>
  error !== undefined && UNREACHABLE.has(error);

/** A failed attempt (or probe) in words a user can act on, e.g. for `ECONNREFUSED`. */
export function describeFailure(error: AttemptError, message: string | undefined): string {
  const code = message ? ` (${message})` : '';
  if (error === 'refused') return `connection refused${code}: nothing is listening there`;
  if (error === 'timeout') return `no answer${code}`;
  if (message === 'ENOTFOUND' || message === 'EAI_AGAIN')
    return `host name not found${code}: check the host name`;
  if (error === 'network') return `network error${code}`;
  return `${error}${code}`;
}

export interface ProbeFailure {
  error: AttemptError;
  message: string;
}

/**
 * Resolve the URL's host and open (then close) a TCP connection to it within `timeoutMs` real ms.
 * null when something accepted the connection.
 */
export function probeTarget(
  url: string,
  opts: { timeoutMs: number; wall?: Wall },
): Promise<ProbeFailure | null> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return Promise.resolve({ error: 'network', message: `invalid URL ${url}` });
  }
  const wall = opts.wall ?? systemWall;
  const port = Number(parsed.port) || (parsed.protocol === 'https:' ? 443 : 80);
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (out: ProbeFailure | null) => {
      timer.cancel();
      socket.removeAllListeners();
      socket.on('error', () => undefined);
      socket.destroy();
      resolve(out);
    };
    const timer = wall.after(opts.timeoutMs, () =>
      done({ error: 'timeout', message: `no connection within ${opts.timeoutMs} ms` }),
    );
    socket.once('connect', () => done(null));
    socket.once('error', (err: NodeJS.ErrnoException) =>
      done({ error: err.code === 'ECONNREFUSED' ? 'refused' : 'network', message: err.code ?? err.message }),
    );
  });
}
