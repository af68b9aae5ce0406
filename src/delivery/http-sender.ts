/**
 * The real transport: node:http / node:https with keep-alive agents. Chosen over global fetch
 * because it was ~8x faster on this kind of machine (reference/ecosystem.md), and a delivery client
 * must not be the bottleneck of a load test. Concurrency is bounded by the delivery service's
 * per-target limiter, so the agents do not queue (a queued request would eat its own deadline).
 *
 * Hot path (`prepare` once per delivery, `post` per attempt): the URL is parsed once per distinct
 * URL, the request options and the header list (a flat array, which node writes without building
 * its header map) once per delivery — an attempt only fills in its attempt number — and the
 * exchange is driven by shared handlers rather than fresh closures.
 */
import http from 'node:http';
import https from 'node:https';
import { systemWall, type Wall, type WallTimer } from '../clock/wall.ts';
import type { AttemptError, Send, SendOutcome } from './types.ts';

export const RESPONSE_SNIPPET_BYTES = 1024;

/** One delivery's request, ready for any number of attempts. */
export interface PreparedPost {
  /** null when the URL cannot be sent to (the reason is in `problem`). */
  proto: typeof http | typeof https | null;
  problem: string;
  options: http.RequestOptions & { headers: string[] };
  /** Index in `options.headers` of the attempt number's value, or -1. */
  attemptSlot: number;
}

export type PostCallback<C> = (outcome: SendOutcome, ctx: C) => void;

export interface HttpSender {
  send: Send;
  /**
   * Build the request for a delivery: `headers` as given, then `attemptHeader: <n>` (filled per
   * attempt by `post`) when set, then Host.
   */
  prepare(url: string, headers: Record<string, string>, attemptHeader?: string): PreparedPost;
  /** One attempt; `done(outcome, ctx)` is called exactly once, never synchronously. */
  post<C>(
    p: PreparedPost,
    attempt: number,
    body: Buffer,
    timeoutMs: number,
    done: PostCallback<C>,
    ctx: C,
  ): void;
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
  /** Host header value (node adds none when the headers are an array). */
  host: string;
  /** Authorization header value for user:password in the URL, or null. */
  authorization: string | null;
}

/** The state of one attempt, hung on its request and response objects for the shared handlers. */
interface Exchange {
  done: (outcome: SendOutcome, ctx: unknown) => void;
  ctx: unknown;
  req: http.ClientRequest;
  timeoutMs: number;
  deadline: WallTimer | null;
  settled: boolean;
  /** First chunk of the answer, and the rest of the first KB when it came in several. */
  first: Buffer | null;
  more: Buffer[] | null;
  kept: number;
  onAbort: (() => void) | null;
  signal: AbortSignal | undefined;
}

const EX = Symbol('exchange');
type Carrier = { [EX]?: Exchange };

function settle(ex: Exchange, o: SendOutcome): void {
  if (ex.settled) return;
  ex.settled = true;
  ex.deadline?.cancel();
  if (ex.onAbort) ex.signal?.removeEventListener('abort', ex.onAbort);
  ex.done(o, ex.ctx);
}

function expire(ex: Exchange): void {
  if (ex.settled) return;
  ex.req.destroy();
  settle(ex, { error: 'timeout', message: `no complete answer within ${ex.timeoutMs} ms` });
}

function onRequestError(this: http.ClientRequest, err: NodeJS.ErrnoException): void {
  const ex = (this as Carrier)[EX]!;
  settle(ex, { error: classify(err), message: err.code ?? err.message });
}

function onResponseError(this: http.IncomingMessage, err: NodeJS.ErrnoException): void {
  const ex = (this as Carrier)[EX]!;
  settle(ex, { error: classify(err), message: err.code ?? err.message });
}

function onData(this: http.IncomingMessage, c: Buffer): void {
  // Keep the first KB for the log; the rest is read (so the socket can be reused) and dropped.
  const ex = (this as Carrier)[EX]!;
  if (ex.kept >= RESPONSE_SNIPPET_BYTES) return;
  const part =
    c.length > RESPONSE_SNIPPET_BYTES - ex.kept ? c.subarray(0, RESPONSE_SNIPPET_BYTES - ex.kept) : c;
  if (ex.first === null) ex.first = part;
  else (ex.more ??= [ex.first]).push(part);
  ex.kept += part.length;
}

function onEnd(this: http.IncomingMessage): void {
  const ex = (this as Carrier)[EX]!;
  const text =
    ex.more !== null
      ? Buffer.concat(ex.more).toString('utf8')
      : ex.first === null
        ? ''
        : ex.first.toString('utf8');
  settle(ex, { status: this.statusCode ?? 0, response: text });
}

function onResponseClose(this: http.IncomingMessage): void {
  // The connection closed before the answer was complete (settles only if nothing else did).
  if (!this.complete) settle((this as Carrier)[EX]!, { error: 'reset', message: 'answer cut off' });
}

function onResponse(this: http.ClientRequest, res: http.IncomingMessage): void {
  (res as Carrier)[EX] = (this as Carrier)[EX];
  res.on('data', onData);
  res.on('end', onEnd);
  res.on('error', onResponseError);
  res.on('close', onResponseClose);
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
            },
            host: url.host,
            authorization:
              url.username || url.password
                ? `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`
                : null,
          }
        : `unsupported protocol ${url.protocol}`;
    } catch {
      t = `invalid URL ${raw}`;
    }
    if (targets.size > 1_000) targets.clear();
    targets.set(raw, t);
    return t;
  };

  function prepare(url: string, headers: Record<string, string>, attemptHeader?: string): PreparedPost {
    const target = targetFor(url);
    if (typeof target === 'string')
      return { proto: null, problem: target, options: { headers: [] }, attemptSlot: -1 };
    const list: string[] = [];
    for (const name in headers) list.push(name, headers[name]!);
    let attemptSlot = -1;
    if (attemptHeader !== undefined) {
      list.push(attemptHeader, '');
      attemptSlot = list.length - 1;
    }
    if (target.authorization !== null && !('Authorization' in headers))
      list.push('Authorization', target.authorization);
    list.push('Host', target.host);
    return { proto: target.proto, problem: '', options: { ...target.options, headers: list }, attemptSlot };
  }

  function post<C>(
    p: PreparedPost,
    attempt: number,
    body: Buffer,
    timeoutMs: number,
    done: PostCallback<C>,
    ctx: C,
    signal?: AbortSignal,
  ): void {
    if (p.proto === null) {
      queueMicrotask(() => done({ error: 'network', message: p.problem }, ctx));
      return;
    }
    if (signal?.aborted) {
      queueMicrotask(() => done({ error: 'timeout', message: 'aborted before sending' }, ctx));
      return;
    }
    // Node reads the header list synchronously in request(): one list per delivery is enough.
    if (p.attemptSlot >= 0) p.options.headers[p.attemptSlot] = String(attempt);
    const req = p.proto.request(p.options);
    const ex: Exchange = {
      done: done as (o: SendOutcome, ctx: unknown) => void,
      ctx,
      req,
      timeoutMs,
      deadline: null,
      settled: false,
      first: null,
      more: null,
      kept: 0,
      onAbort: null,
      signal,
    };
    (req as Carrier)[EX] = ex;
    // The deadline covers the whole exchange, up to the last byte of the answer.
    ex.deadline = wall.after(timeoutMs, () => expire(ex));
    if (signal) {
      ex.onAbort = () => expire(ex);
      signal.addEventListener('abort', ex.onAbort, { once: true });
    }
    req.on('error', onRequestError);
    req.on('response', onResponse);
    req.end(body);
  }

  const send: Send = (req) =>
    new Promise<SendOutcome>((resolve) => {
      const headers =
        req.headers['Content-Length'] === undefined
          ? { ...req.headers, 'Content-Length': String(req.body.length) }
          : req.headers;
      post(prepare(req.url, headers), 0, req.body, req.timeoutMs, resolve, undefined, req.signal);
    });

  return {
    send,
    prepare,
    post,
    close() {
      agents['http:'].destroy();
      agents['https:'].destroy();
    },
  };
}
