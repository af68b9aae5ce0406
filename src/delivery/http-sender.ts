/**
 * The real transport: node:http / node:https with keep-alive agents. Chosen over global fetch
 * because it was ~8x faster on this kind of machine (reference/ecosystem.md), and a delivery client
 * must not be the bottleneck of a load test. Concurrency is bounded by the delivery service's
 * per-target limiter, so the agents do not queue (a queued request would eat its own deadline).
 */
import http from 'node:http';
import https from 'node:https';
import { systemWall, type Wall } from '../clock/wall.ts';
import type { AttemptError, Send, SendOutcome } from './types.ts';

export const RESPONSE_SNIPPET_BYTES = 1024;

export interface HttpSender {
  send: Send;
  /** Destroy pooled sockets. */
  close(): void;
}

function classify(err: NodeJS.ErrnoException): AttemptError {
  switch (err.code) {
    case 'ECONNREFUSED':
      return 'refused';
    case 'ECONNRESET':
    case 'EPIPE':
    case 'ECONNABORTED':
    case 'ERR_STREAM_PREMATURE_CLOSE':
      return 'reset';
    default:
      // "socket hang up" (the server closed without answering) carries ECONNRESET; anything else
      // — DNS, unreachable host, TLS — is a plain network error.
      return /hang up|aborted/i.test(err.message) ? 'reset' : 'network';
  }
}

interface Target {
  proto: typeof http | typeof https;
  options: http.RequestOptions;
}

export function createHttpSender(opts: { wall?: Wall } = {}): HttpSender {
  const wall = opts.wall ?? systemWall;
  const agents = {
    'http:': new http.Agent({ keepAlive: true, maxSockets: Infinity }),
    'https:': new https.Agent({ keepAlive: true, maxSockets: Infinity }),
  };
  // Parsing a URL per attempt showed up in profiles; a run has few distinct URLs.
  const targets = new Map<string, Target | string>();
  const targetFor = (raw: string): Target | string => {
    let t = targets.get(raw);
    if (t !== undefined) return t;
    try {
      const url = new URL(raw);
      const proto = url.protocol === 'https:' ? https : url.protocol === 'http:' ? http : null;
      t = proto
        ? {
            proto,
            options: {
              method: 'POST',
              protocol: url.protocol,
              hostname: url.hostname.replace(/^\[|\]$/g, ''),
              port: url.port,
              path: `${url.pathname}${url.search}`,
              agent: agents[url.protocol as 'http:' | 'https:'],
              ...(url.username || url.password
                ? { auth: `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}` }
                : {}),
            },
          }
        : `unsupported protocol ${url.protocol}`;
    } catch {
      t = `invalid URL ${raw}`;
    }
    if (targets.size > 1_000) targets.clear();
    targets.set(raw, t);
    return t;
  };

  const send: Send = (req) =>
    new Promise<SendOutcome>((resolve) => {
      let settled = false;
      const target = targetFor(req.url);
      if (typeof target === 'string') return resolve({ error: 'network', message: target });
      if (req.signal?.aborted) return resolve({ error: 'timeout', message: 'aborted before sending' });

      const headers =
        req.headers['Content-Length'] === undefined
          ? { ...req.headers, 'Content-Length': String(req.body.length) }
          : req.headers;
      const r = target.proto.request({ ...target.options, headers });
      // The deadline covers the whole exchange, up to the last byte of the answer. A plain timer
      // rather than an AbortController: this is the hot path of a load test.
      const expire = () => {
        r.destroy();
        done({ error: 'timeout', message: `no complete answer within ${req.timeoutMs} ms` });
      };
      const deadline = wall.after(req.timeoutMs, expire);
      req.signal?.addEventListener('abort', expire, { once: true });
      const done = (o: SendOutcome) => {
        if (settled) return;
        settled = true;
        deadline.cancel();
        req.signal?.removeEventListener('abort', expire);
        resolve(o);
      };
      r.on('error', (err: NodeJS.ErrnoException) =>
        done({ error: classify(err), message: err.code ?? err.message }),
      );
      r.on('response', (res) => {
        const chunks: Buffer[] = [];
        let kept = 0;
        res.on('data', (c: Buffer) => {
          // Keep the first KB for the log; read the rest so the socket can be reused.
          if (kept < RESPONSE_SNIPPET_BYTES) {
            const part = c.subarray(0, RESPONSE_SNIPPET_BYTES - kept);
            chunks.push(part);
            kept += part.length;
          }
        });
        res.on('end', () =>
          done({ status: res.statusCode ?? 0, response: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', (err: NodeJS.ErrnoException) =>
          done({ error: classify(err), message: err.code ?? err.message }),
        );
        // The connection closed before the answer was complete (settles only if nothing else did).
        res.on('close', () => {
          if (!res.complete) done({ error: 'reset', message: 'answer cut off' });
        });
      });
      r.end(req.body);
    });

  return {
    send,
    close() {
      agents['http:'].destroy();
      agents['https:'].destroy();
    },
  };
}
