/**
 * The inbound request log (emulator-defined): every request a client made to the vendor API with
 * its answer, newest last, in a bounded ring so a long session never grows it. A client's 4xx is
 * otherwise visible nowhere. Bodies are cut to `BODY_PREVIEW_CHARS` (never deep-copied) and the
 * Authorization header keeps only its scheme and last 4 characters, so the log can be shown.
 */
import type { Request, RequestHandler, Response } from 'express';
import type { Clock } from '../core/clock.ts';
import type { FaultView, LoggedRequest, RequestFilter } from './sandbox-types.ts';

export type { LoggedRequest, RequestFilter } from './sandbox-types.ts';

export const DEFAULT_REQUEST_LOG_SIZE = 1000;
/** Longest request or answer body kept per entry, in characters. */
export const BODY_PREVIEW_CHARS = 4096;

/** `Bearer abcdefgh…` → `Bearer …efgh`: enough to tell two tokens apart, not to reuse one. */
export function redactAuthorization(value: string): string {
  const space = value.indexOf(' ');
  const scheme = space > 0 ? value.slice(0, space) : '';
  const secret = space > 0 ? value.slice(space + 1).trim() : value;
  const tail = secret.length > 4 ? secret.slice(-4) : '';
  return `${scheme ? `${scheme} ` : ''}…${tail}`;
}

function headersOf(req: Request): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (v === undefined) continue;
    const text = Array.isArray(v) ? v.join(', ') : v;
    out[k] = k === 'authorization' ? redactAuthorization(text) : text;
  }
  return out;
}

function preview(text: string | undefined): { text: string | null; cut: boolean } {
  if (text === undefined || text === '') return { text: null, cut: false };
  if (text.length <= BODY_PREVIEW_CHARS) return { text, cut: false };
  return { text: text.slice(0, BODY_PREVIEW_CHARS), cut: true };
}

/** The raw body read by the vendor router (a Buffer), decoded only up to the preview length. */
function requestText(req: Request): string | undefined {
  const b: unknown = req.body;
  if (!Buffer.isBuffer(b)) return undefined;
  return b.subarray(0, BODY_PREVIEW_CHARS * 4).toString('utf8');
}

/** The test for `status` (exact, a class like 4xx, or dropped), built once per query. */
function statusTest(wanted: string): (entry: LoggedRequest) => boolean {
  if (wanted === 'dropped') return (e) => e.status === null;
  if (/^[1-5]xx$/.test(wanted)) {
    const cls = Number(wanted[0]);
    return (e) => e.status !== null && Math.floor(e.status / 100) === cls;
  }
  return (e) => String(e.status) === wanted;
}

function filterTest(filter: RequestFilter): (entry: LoggedRequest) => boolean {
  const status = filter.status === undefined ? undefined : statusTest(filter.status);
  const path = filter.path;
  return (e) => (status === undefined || status(e)) && (path === undefined || e.path.includes(path));
}

/** The sequence number in a logged request's id (`req-12` → 12). */
const seqOf = (e: LoggedRequest): number => Number(e.id.slice(4));

export class RequestLog {
  private entries: LoggedRequest[] = [];
  private readonly listeners = new Set<(entry: LoggedRequest) => void>();
  private seq = 0;
  private readonly clock: Clock;
  readonly capacity: number;

  constructor(clock: Clock, capacity: number = DEFAULT_REQUEST_LOG_SIZE) {
    this.clock = clock;
    this.capacity = capacity;
  }

  /** Newest first, filtered; `total` counts every match before `limit`. */
  list(filter: RequestFilter = {}): { list: LoggedRequest[]; total: number } {
    const newest = this.entries.filter(filterTest(filter)).reverse();
    return {
      list: filter.limit === undefined ? newest : newest.slice(0, filter.limit),
      total: newest.length,
    };
  }

  /**
   * Up to `limit` matches logged before request number `before`, newest first; `before` of the
   * answer continues with older ones (null when none is left). The log is bounded, so counting
   * the matches costs at most its capacity.
   */
  page(
    filter: RequestFilter,
    at: { before: number; limit: number },
  ): { list: LoggedRequest[]; total: number; before: number | null } {
    const test = filterTest(filter);
    const unfiltered = filter.status === undefined && filter.path === undefined;
    const total = unfiltered ? this.entries.length : this.entries.reduce((n, e) => n + (test(e) ? 1 : 0), 0);
    const list: LoggedRequest[] = [];
    let i = this.lastBelow(at.before);
    for (; i >= 0 && list.length < at.limit; i--) if (test(this.entries[i]!)) list.push(this.entries[i]!);
    while (i >= 0 && !test(this.entries[i]!)) i--;
    return { list, total, before: i >= 0 && list.length > 0 ? seqOf(list.at(-1)!) : null };
  }

  /** Index of the newest entry numbered below `before`, or -1. */
  private lastBelow(before: number): number {
    let lo = 0;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (seqOf(this.entries[mid]!) < before) lo = mid + 1;
      else hi = mid;
    }
    return lo - 1;
  }

  clear(): void {
    this.entries = [];
  }

  /** Called with each entry as it is logged (the admin event stream); returns the detach function. */
  subscribe(listener: (entry: LoggedRequest) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Records each request when its answer is sent or its connection closes; skips /__emulator. */
  middleware(): RequestHandler {
    return (req, res, next) => {
      if (req.path === '/__emulator' || req.path.startsWith('/__emulator/')) {
        next();
        return;
      }
      const at = this.clock.now();
      let done = false;
      const record = () => {
        if (done) return;
        done = true;
        this.push(this.entry(req, res, at));
      };
      res.once('finish', record);
      res.once('close', record);
      next();
    };
  }

  private entry(req: Request, res: Response, at: number): LoggedRequest {
    const body = preview(requestText(req));
    const answer = preview(res.locals.answerText as string | undefined);
    const sent = res.headersSent;
    return {
      id: `req-${++this.seq}`,
      at,
      method: req.method,
      path: req.path,
      query: { ...req.query },
      headers: headersOf(req),
      body: body.text,
      status: sent ? res.statusCode : null,
      code: sent ? ((res.locals.answerCode as number | undefined) ?? null) : null,
      answer: sent ? answer.text : null,
      truncated: body.cut || answer.cut,
      durationMs: this.clock.now() - at,
      fault: (res.locals.fault as FaultView | undefined) ?? null,
    };
  }

  private push(e: LoggedRequest): void {
    this.entries.push(e);
    if (this.entries.length > this.capacity) this.entries.splice(0, this.entries.length - this.capacity);
    for (const listener of this.listeners) listener(e);
  }
}
