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

function headersOf(headers: Request['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
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

/**
 * The raw body read by the vendor router (a Buffer): the bytes a preview can show. A large body's
 * prefix is copied so the log does not keep the whole body alive.
 */
function requestBytes(req: Request): Buffer | undefined {
  const b: unknown = req.body;
  if (!Buffer.isBuffer(b) || b.length === 0) return undefined;
  const max = BODY_PREVIEW_CHARS * 4;
  return b.length <= max ? b : Buffer.from(b.subarray(0, max));
}

/**
 * What is kept of a request when its answer goes out: references to what the request and its
 * answer already hold. The shown entry (headers redacted, bodies decoded and cut) is built the
 * first time it is read, so a request nobody looks at costs no formatting.
 */
export interface RawEntry {
  seq: number;
  at: number;
  method: string;
  path: string;
  /** The parsed query, read only when the URL has one (express parses it on each read). */
  query: Record<string, unknown> | undefined;
  headers: Request['headers'];
  body: Buffer | undefined;
  sent: boolean;
  status: number;
  code: number | null;
  answer: string | undefined;
  durationMs: number;
  fault: FaultView | null;
  shown?: LoggedRequest;
}

/** An entry as the admin API and the library show it (made on its first read, then kept). */
export function showRequest(r: RawEntry): LoggedRequest {
  if (r.shown) return r.shown;
  const body = preview(r.body?.toString('utf8'));
  const answer = preview(r.answer);
  r.shown = {
    id: `req-${r.seq}`,
    at: r.at,
    method: r.method,
    path: r.path,
    query: r.query ? { ...r.query } : {},
    headers: headersOf(r.headers),
    body: body.text,
    status: r.sent ? r.status : null,
    code: r.sent ? r.code : null,
    answer: r.sent ? answer.text : null,
    truncated: body.cut || answer.cut,
    durationMs: r.durationMs,
    fault: r.fault,
  };
  return r.shown;
}

/** The status a shown entry has: null when the answer never went out. */
const statusOf = (e: RawEntry): number | null => (e.sent ? e.status : null);

/** The test for `status` (exact, a class like 4xx, or dropped), built once per query. */
function statusTest(wanted: string): (entry: RawEntry) => boolean {
  if (wanted === 'dropped') return (e) => !e.sent;
  if (/^[1-5]xx$/.test(wanted)) {
    const cls = Number(wanted[0]);
    return (e) => e.sent && Math.floor(e.status / 100) === cls;
  }
  return (e) => String(statusOf(e)) === wanted;
}

function filterTest(filter: RequestFilter): (entry: RawEntry) => boolean {
  const status = filter.status === undefined ? undefined : statusTest(filter.status);
  const path = filter.path;
  return (e) => (status === undefined || status(e)) && (path === undefined || e.path.includes(path));
}

export class RequestLog {
  /** Oldest first; the live entries are `raw[first..]` (dropped ones leave in batches). */
  private raw: RawEntry[] = [];
  private first = 0;
  private readonly listeners = new Set<(entry: LoggedRequest) => void>();
  private seq = 0;
  private readonly clock: Clock;
  readonly capacity: number;

  constructor(clock: Clock, capacity: number = DEFAULT_REQUEST_LOG_SIZE) {
    this.clock = clock;
    this.capacity = capacity;
  }

  private get size(): number {
    return this.raw.length - this.first;
  }

  /** The i-th live entry, oldest first. */
  private nth(i: number): RawEntry {
    return this.raw[this.first + i]!;
  }

  /** Newest first, filtered; `total` counts every match before `limit`. */
  list(filter: RequestFilter = {}): { list: LoggedRequest[]; total: number } {
    const test = filterTest(filter);
    const newest: RawEntry[] = [];
    for (let i = this.size - 1; i >= 0; i--) if (test(this.nth(i))) newest.push(this.nth(i));
    const kept = filter.limit === undefined ? newest : newest.slice(0, filter.limit);
    return { list: kept.map(showRequest), total: newest.length };
  }

  /**
   * Up to `limit` matches logged before request number `before`, newest first; `before` of the
   * answer continues with older ones (null when none is left). The log is bounded, so counting
   * the matches costs at most its capacity. The entries are raw: `showRequest` each as it is written.
   */
  page(
    filter: RequestFilter,
    at: { before: number; limit: number },
  ): { list: RawEntry[]; total: number; before: number | null } {
    const test = filterTest(filter);
    const unfiltered = filter.status === undefined && filter.path === undefined;
    let total = 0;
    if (unfiltered) total = this.size;
    else for (let j = 0; j < this.size; j++) total += test(this.nth(j)) ? 1 : 0;
    const list: RawEntry[] = [];
    let i = this.lastBelow(at.before);
    for (; i >= 0 && list.length < at.limit; i--) if (test(this.nth(i))) list.push(this.nth(i));
    while (i >= 0 && !test(this.nth(i))) i--;
    return { list, total, before: i >= 0 && list.length > 0 ? list.at(-1)!.seq : null };
  }

  /** Index of the newest entry numbered below `before`, or -1. */
  private lastBelow(before: number): number {
    let lo = 0;
    let hi = this.size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.nth(mid).seq < before) lo = mid + 1;
      else hi = mid;
    }
    return lo - 1;
  }

  clear(): void {
    this.raw = [];
    this.first = 0;
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

  private entry(req: Request, res: Response, at: number): RawEntry {
    return {
      seq: ++this.seq,
      at,
      method: req.method,
      path: req.path,
      query: req.url.includes('?') ? (req.query as Record<string, unknown>) : undefined,
      headers: req.headers,
      body: requestBytes(req),
      sent: res.headersSent,
      status: res.statusCode,
      code: (res.locals.answerCode as number | undefined) ?? null,
      answer: res.locals.answerText as string | undefined,
      durationMs: this.clock.now() - at,
      fault: (res.locals.fault as FaultView | undefined) ?? null,
    };
  }

  private push(e: RawEntry): void {
    this.raw.push(e);
    // Drop the oldest one at a time (O(1)); compact once the dropped ones outnumber the live.
    if (this.size > this.capacity) this.first++;
    if (this.first >= this.capacity) {
      this.raw = this.raw.slice(this.first);
      this.first = 0;
    }
    if (this.listeners.size > 0) {
      const shown = showRequest(e);
      for (const listener of this.listeners) listener(shown);
    }
  }
}
