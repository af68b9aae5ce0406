/**
 * The admin API under /__emulator: health, reset, the clock, workflows (with contacts and calls),
 * deliveries (list, one with its attempts, replay), scenario triggers, the sink switch, the
 * vendor-API request log and fault rules, and the
 * dashboard page at /__emulator/. Emulator-defined throughout. Success answers are plain JSON;
 * failures use the same error envelope and middleware as the vendor API. Every time in them is
 * epoch milliseconds (a number), as in the library's records; vendor payloads keep their format.
 */
import { summarizeEvent, type EmulationEvent } from '../../emulation/events.ts';
import express, { type Router } from 'express';
import type { AttemptError, DeliveryRecord, SentOnDemand, StoredDelivery } from '../../delivery/types.ts';
import {
  partItems,
  type CallView,
  type ContactView,
  type PartPage,
  type WorkflowDetail,
  type WorkflowSummary,
} from '../../store/admin-views.ts';
import { VendorError } from '../../core/vendor-errors.ts';
import { createDashboardRouter } from './dashboard-route.ts';
import { adminGuard, type AdminGuardOptions } from './admin-guard.ts';
import { recordRoutes } from './declared-routes.ts';
import { refuseOtherMethods } from './method-guard.ts';
import { DEFAULT_MAX_DEPTH } from '../app.ts';
import { nestingDepth } from '../body.ts';
import type { BuiltInSink, SinkSettings } from './sink.ts';
import type { CallbackTargets } from '../../emulation/callback-targets.ts';
import type { FaultTable } from '../faults.ts';
import { showRequest, type RequestLog } from '../request-log.ts';
import { decodeCursor, encodeCursor, type CursorList } from '../../core/cursor.ts';

/** The settings `PUT /sink` takes (SinkSettings). */
const SINK_KEYS = ['mode', 'failStatus', 'failFirst', 'failTypes', 'delayMs', 'sequence'] as const;

/** Default and largest `limit` of list endpoints (the dashboard polls them every second). */
export const DEFAULT_DETAIL_LIMIT = 500;
export const MAX_LIST_LIMIT = 10_000;
/** Page size of the paged lists (deliveries, workflows, requests) when no `limit` is given. */
export const DEFAULT_PAGE_SIZE = 100;

/** A page of a list, newest first: `before` is where the next (older) page starts, or null. */
export interface ListPage<T> {
  list: T[];
  total: number;
  before: number | null;
}

/** What a page is asked for: items before position `before` (Infinity: from the newest). */
export interface PageRequest {
  before: number;
  limit: number;
}

export interface DeliveryQuery {
  workflow?: string;
  type?: string;
  outcome?: string;
}

export interface ClockState {
  mode: string;
  /** Clock time, epoch ms. */
  now: number;
  pending: { timers: number; inFlight: number };
}

/** What the admin API drives; implemented by the server wiring (src/server/emulator.ts). */
export interface AdminControl {
  health(): Record<string, unknown>;
  reset(): Promise<void>;
  clock(): ClockState;
  /** Virtual clocks only (throws a VendorError otherwise). */
  advance(ms: number): Promise<void>;
  runUntilIdle(): Promise<void>;
  /** A page of the workflows, newest first. */
  workflows(page: PageRequest): ListPage<() => WorkflowSummary>;
  /** One workflow with at most `limit` contacts and calls (calls newest first). */
  workflow(id: string, limit: number): WorkflowDetail | undefined;
  /** `limit` of a workflow's contacts from position `before` on, in list order (undefined: no workflow). */
  contacts(id: string, page: PageRequest): PartPage<ContactView> | undefined;
  /** A page of a workflow's calls, newest first, before position `before` (undefined: no workflow). */
  calls(id: string, page: PageRequest): PartPage<CallView> | undefined;
  /** A page of the matching deliveries (each page in creation order, pages newest first). */
  deliveries(filter: DeliveryQuery, page: PageRequest): ListPage<StoredDelivery>;
  /** State generation (bumped by every reset): cursors name it. */
  generation(): number;
  delivery(id: string): DeliveryRecord | undefined;
  replay(id: string, url?: string): DeliveryRecord;
  scenarios(): { name: string; templates: { workflow_template_id: number; name: string }[] }[];
  /** One workflow per template (only `templateId`'s when given); the first one's ids on top. */
  trigger(
    name: string,
    templateId?: number,
  ): {
    workflow_id: string;
    workflow_name: string;
    workflows: { workflow_id: string; workflow_name: string; workflow_template_id: number }[];
  };
  sink: BuiltInSink;
  /** Where callbacks go instead of the template URLs (GET / PUT /targets). */
  targets(): CallbackTargets;
  setTargets(change: unknown): CallbackTargets;
  /** Send one callback on demand (`POST /callbacks`; a VendorError for bad options). */
  send(options: unknown): DeliveryRecord;
  /** Every vendor-API request and its answer (GET / DELETE /requests). */
  requestLog: RequestLog;
  /** Fault rules on the vendor API (GET / POST / DELETE /faults). */
  faults: FaultTable;
  /** The core's live event stream (returns the detach function). */
  subscribe(listener: (event: EmulationEvent) => void): () => void;
}

/**
 * A delivery without its payload, body and attempts, for lists: the fields of the DeliveryRecord
 * that `GET /deliveries/:id` returns, under the same names (times in epoch ms), plus the count and
 * the last answer of its attempts.
 */
export interface DeliverySummary {
  id: string;
  type: DeliveryRecord['type'];
  url: string;
  workflowId: string | null;
  outcome: DeliveryRecord['outcome'];
  attemptCount: number;
  lastStatus: number | null;
  lastError: AttemptError | null;
  firstAt: number;
  nextAttemptAt: number | null;
  replayOf?: string;
  duplicateOf?: string;
  /** Set on a callback sent on demand (`POST /callbacks`). */
  onDemand?: SentOnDemand;
}

export function deliverySummary(d: StoredDelivery): DeliverySummary {
  const last = d.attempts.at(-1);
  return {
    id: d.id,
    type: d.type,
    url: d.url,
    workflowId: d.workflowId ?? null,
    outcome: d.outcome,
    attemptCount: d.attempts.length,
    lastStatus: last?.status ?? null,
    lastError: last?.error ?? null,
    firstAt: d.firstAt,
    nextAttemptAt: d.nextAttemptAt,
    ...(d.replayOf ? { replayOf: d.replayOf } : {}),
    ...(d.duplicateOf ? { duplicateOf: d.duplicateOf } : {}),
    ...(d.onDemand ? { onDemand: d.onDemand } : {}),
  };
}

function optionalString(q: unknown, name: string): string | undefined {
  if (q === undefined) return undefined;
  if (typeof q !== 'string') throw new VendorError('badRequest', `${name} must be given once, as text`);
  return q;
}

/** `?limit=n`: a positive integer up to MAX_LIST_LIMIT, or undefined when absent. */
function optionalLimit(q: unknown): number | undefined {
  const text = optionalString(q, 'limit');
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!/^\d+$/.test(text) || n > MAX_LIST_LIMIT) {
    throw new VendorError('badRequest', `limit must be an integer 0-${MAX_LIST_LIMIT} (got "${text}")`);
  }
  return n;
}

/**
 * `?limit=` and `?cursor=` of a paged list: the page asked for (a 400 for a bad one); `before` is
 * Infinity without a cursor. `scope`: the workflow whose list it is.
 */
function pageRequest(
  query: express.Request['query'],
  list: CursorList,
  generation: number,
  scope?: string,
): PageRequest {
  const limit = optionalLimit(query.limit) ?? DEFAULT_PAGE_SIZE;
  const cursor = optionalString(query.cursor, 'cursor');
  return {
    limit,
    before: cursor === undefined ? Infinity : decodeCursor(list, generation, cursor, scope),
  };
}

/** A workflow's list to answer, its `next` position made a cursor bound to the workflow. */
interface Part {
  page: PartPage<unknown>;
  next: string | null;
}

const part = (page: PartPage<unknown>, list: CursorList, generation: number, workflowId: string): Part => ({
  page,
  next: page.next === null ? null : encodeCursor(list, generation, page.next, workflowId),
});

const noWorkflow = (id: string) => new VendorError('notFound', `no workflow "${id}"`);

/** A page of more items than this is written in slices (one res.json otherwise, with its ETag). */
const SLICED_PAST = 500;
/**
 * Items made and serialised per event-loop turn when a page is written in slices: few enough that
 * a turn stays short even when a garbage collection falls in it (a call's view decodes its
 * workflow's records: 500 of them and a GC pause held the loop up to 66 ms at 300,000 deliveries).
 */
const ITEMS_PER_TURN = 100;

const turn = () => new Promise((resolve) => setImmediate(resolve));

/**
 * Write `open` then a page's items, made and written ITEMS_PER_TURN per event-loop turn: a page
 * of 10,000 deliveries or calls is megabytes of JSON (10,000 calls took 140–260 ms in one turn),
 * and other requests (the vendor API) must not wait for all of it at once (nor for one hash of it
 * all: a large page has no ETag). False when the client went away meanwhile.
 */
async function writeItems(res: express.Response, open: string, page: PartPage<unknown>): Promise<boolean> {
  if (page.length === 0) res.write(open);
  for (let i = 0; i < page.length; i += ITEMS_PER_TURN) {
    const items: string[] = [];
    for (let j = i; j < Math.min(page.length, i + ITEMS_PER_TURN); j++)
      items.push(JSON.stringify(page.item(j)));
    res.write(`${i === 0 ? open : ','}${items.join(',')}`);
    await turn();
    if (res.destroyed) return false;
  }
  return true;
}

const closeList = (p: Part) => `],"total":${p.page.total},"next":${JSON.stringify(p.next)}}`;
const wholePart = (p: Part) => ({ list: partItems(p.page), total: p.page.total, next: p.next });

/** Answer one list `{list, total, next}`: the JSON res.json writes, sliced past SLICED_PAST items. */
async function sendPart(res: express.Response, p: Part): Promise<void> {
  if (p.page.length <= SLICED_PAST) {
    res.json(wholePart(p));
    return;
  }
  res.status(200).type('application/json');
  if (await writeItems(res, '{"list":[', p.page)) res.end(closeList(p));
}

/**
 * Answer `head`'s fields and then each part as `{list, total, next}` (a workflow's detail): the
 * JSON res.json writes of the whole, sliced past SLICED_PAST items in all.
 */
async function sendParts(
  res: express.Response,
  head: Record<string, unknown>,
  parts: Record<string, Part>,
): Promise<void> {
  const entries = Object.entries(parts);
  if (entries.reduce((n, [, p]) => n + p.page.length, 0) <= SLICED_PAST) {
    res.json({ ...head, ...Object.fromEntries(entries.map(([k, p]) => [k, wholePart(p)])) });
    return;
  }
  res.status(200).type('application/json');
  let text = JSON.stringify(head).slice(0, -1);
  for (const [key, p] of entries) {
    const open = `${text}${text.length > 1 ? ',' : ''}${JSON.stringify(key)}:{"list":[`;
    if (!(await writeItems(res, open, p.page))) return;
    text = closeList(p);
  }
  res.end(`${text}}`);
}

/** A paged list (deliveries) as a Part: each item's view made when it is written. */
function sendPage<T, U>(
  res: express.Response,
  page: ListPage<T>,
  list: CursorList,
  generation: number,
  view: (item: T) => U,
): Promise<void> {
  const items: PartPage<U> = {
    length: page.list.length,
    item: (i) => view(page.list[i]!),
    total: page.total,
    next: page.before,
  };
  return sendPart(res, {
    page: items,
    next: page.before === null ? null : encodeCursor(list, generation, page.before),
  });
}

export function createAdminRouter(
  control: AdminControl,
  opts: { bodyLimitBytes: number; maxDepth?: number; guard?: AdminGuardOptions },
): Router {
  const router = express.Router();
  router.use(adminGuard(opts.guard));
  const maxDepth = opts.maxDepth ?? DEFAULT_MAX_DEPTH;
  // The vendor API's nesting limit too: a body nested 100,000 deep overflowed the stack of the
  // code that reads it (a 500) before this check.
  const parse = express.json({ limit: opts.bodyLimitBytes, strict: false });
  const json: express.RequestHandler<Record<string, string>> = (req, res, next) => {
    parse(req, res, (err?: unknown) => {
      if (err) return next(err);
      if (nestingDepth(req.body, maxDepth) > maxDepth) {
        return next(new VendorError('badRequest', `request body is nested deeper than ${maxDepth} levels`));
      }
      next();
    });
  };
  const body = (req: express.Request): Record<string, unknown> => {
    const b: unknown = req.body;
    if (b === undefined || b === null) return {};
    if (typeof b !== 'object' || Array.isArray(b))
      throw new VendorError('badRequest', 'request body must be a JSON object');
    return b as Record<string, unknown>;
  };

  const routes = recordRoutes(router);
  routes.use('/', createDashboardRouter());

  routes.get('/health', (_req, res) => {
    res.json(control.health());
  });

  routes.post('/reset', async (_req, res) => {
    await control.reset();
    res.json({ status: 'reset', clock: control.clock() });
  });

  // Server-sent events: the core's event stream and the vendor-API request log, live (the
  // dashboard's live view listens here).
  routes.get('/events', (req, res) => {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
    });
    // A HEAD answer has no body: Node would hold back the headers of the endless stream for ever.
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    res.write(': airudder-emulator events\n\n');
    const detach = control.subscribe((e) => {
      res.write(`data: ${JSON.stringify(summarizeEvent(e))}\n\n`);
    });
    // Vendor-API requests too, as a summary (the dashboard's request panel re-reads the log).
    const detachLog = control.requestLog.subscribe((r) => {
      const summary = {
        type: 'request:logged',
        id: r.id,
        at: r.at,
        method: r.method,
        path: r.path,
        status: r.status,
        code: r.code,
      };
      res.write(`data: ${JSON.stringify(summary)}\n\n`);
    });
    req.on('close', () => {
      detach();
      detachLog();
    });
  });

  routes.get('/clock', (_req, res) => {
    res.json(control.clock());
  });

  routes.post('/clock/advance', json, async (req, res) => {
    // Checked by the core (range included): a 400 in the envelope that changes nothing.
    const ms = body(req).ms as number;
    await control.advance(ms);
    res.json(control.clock());
  });

  routes.post('/clock/run-until-idle', async (_req, res) => {
    await control.runUntilIdle();
    res.json(control.clock());
  });

  // Pages newest first: `limit` (default DEFAULT_PAGE_SIZE), `cursor` (a previous answer's `next`).
  routes.get('/workflows', async (req, res) => {
    const gen = control.generation();
    const page = control.workflows(pageRequest(req.query, 'workflows', gen));
    await sendPage(res, page, 'workflows', gen, (summary) => summary());
  });

  routes.get('/workflows/:id', async (req, res) => {
    const limit = optionalLimit(req.query.limit) ?? DEFAULT_DETAIL_LIMIT;
    const id = req.params.id;
    const wf = control.workflow(id, limit);
    if (!wf) throw noWorkflow(id);
    // Each list says where it goes on: `next` is a cursor for /workflows/:id/contacts or /calls.
    const gen = control.generation();
    await sendParts(
      res,
      { workflow: wf.workflow },
      { contacts: part(wf.contacts, 'contacts', gen, id), calls: part(wf.calls, 'calls', gen, id) },
    );
  });

  // A workflow's whole lists, a page at a time: contacts in list order, calls newest first.
  routes.get('/workflows/:id/contacts', async (req, res) => {
    const id = req.params.id;
    const gen = control.generation();
    const asked = pageRequest(req.query, 'contacts', gen, id);
    const page = control.contacts(id, { ...asked, before: asked.before === Infinity ? 0 : asked.before });
    if (!page) throw noWorkflow(id);
    await sendPart(res, part(page, 'contacts', gen, id));
  });

  routes.get('/workflows/:id/calls', async (req, res) => {
    const id = req.params.id;
    const gen = control.generation();
    const page = control.calls(id, pageRequest(req.query, 'calls', gen, id));
    if (!page) throw noWorkflow(id);
    await sendPart(res, part(page, 'calls', gen, id));
  });

  routes.get('/deliveries', async (req, res) => {
    const workflow = optionalString(req.query.workflow, 'workflow');
    const type = optionalString(req.query.type, 'type');
    const outcome = optionalString(req.query.outcome, 'outcome');
    if (outcome !== undefined && !['pending', 'delivered', 'exhausted'].includes(outcome)) {
      throw new VendorError(
        'badRequest',
        `outcome must be pending, delivered or exhausted (got "${outcome}")`,
      );
    }
    // Pages newest first, each in creation order (the newest `limit` matches first); total counts
    // every match; `next` continues with older ones.
    const gen = control.generation();
    const page = control.deliveries({ workflow, type, outcome }, pageRequest(req.query, 'deliveries', gen));
    await sendPage(res, page, 'deliveries', gen, deliverySummary);
  });

  routes.get('/deliveries/:id', (req, res) => {
    const d = control.delivery(req.params.id);
    if (!d) throw new VendorError('notFound', `no delivery "${req.params.id}"`);
    res.json(d);
  });

  routes.post('/deliveries/:id/replay', json, (req, res) => {
    const url = body(req).url;
    if (url !== undefined && (typeof url !== 'string' || !/^https?:\/\//.test(url))) {
      throw new VendorError('badRequest', 'url must be an http(s) URL');
    }
    if (!control.delivery(req.params.id)) throw new VendorError('notFound', `no delivery "${req.params.id}"`);
    res.status(201).json(deliverySummary(control.replay(req.params.id, url as string | undefined)));
  });

  // One callback on demand: {type, set?, target?, allowInvalid?, scenario?} → its delivery.
  routes.post('/callbacks', json, (req, res) => {
    res.status(201).json(deliverySummary(control.send(body(req))));
  });

  routes.get('/scenarios', (_req, res) => {
    res.json({ list: control.scenarios() });
  });

  routes.post('/scenarios/:name/trigger', json, (req, res) => {
    const templateId = body(req).workflow_template_id;
    if (templateId !== undefined && (typeof templateId !== 'number' || !Number.isInteger(templateId))) {
      throw new VendorError('badRequest', 'workflow_template_id must be an integer');
    }
    res.status(201).json(control.trigger(req.params.name, templateId as number | undefined));
  });

  routes.get('/targets', (_req, res) => {
    res.json(control.targets());
  });
  routes.put('/targets', json, (req, res) => {
    res.json(control.setTargets(req.body));
  });
  routes.get('/sink', (req, res) => {
    const limit = optionalLimit(req.query.limit);
    const requests = control.sink.requests();
    res.json({
      settings: control.sink.settings(),
      source: control.sink.source(),
      requests: limit === undefined ? requests : requests.slice(Math.max(0, requests.length - limit)),
      total: requests.length,
    });
  });
  routes.delete('/sink', (_req, res) => {
    control.sink.clear();
    res.json({ settings: control.sink.settings(), source: control.sink.source(), requests: [] });
  });
  routes.put('/sink', json, (req, res) => {
    const b = body(req);
    if (b.source !== undefined) {
      if (b.source !== 'scenario' || Object.keys(b).length > 1) {
        throw new VendorError(
          'badRequest',
          'sink.source can only be "scenario" (follow the scenarios again), and alone',
        );
      }
      res.json(control.sink.followScenarios());
      return;
    }
    const next: Partial<SinkSettings> = {};
    // null unsets an optional key.
    for (const k of SINK_KEYS)
      if (b[k] !== undefined) (next as Record<string, unknown>)[k] = b[k] ?? undefined;
    res.json(control.sink.configure(next));
  });
  // The receiver answers every method and path under /sink.
  routes.use('/sink', control.sink.router, [{ method: 'ANY', path: '/*' }]);

  routes.get('/requests', async (req, res) => {
    const status = optionalString(req.query.status, 'status');
    if (status !== undefined && !/^([1-5]\d\d|[1-5]xx|dropped)$/.test(status)) {
      throw new VendorError(
        'badRequest',
        `status must be a status (401), a class (4xx) or "dropped" (got "${status}")`,
      );
    }
    const path = optionalString(req.query.path, 'path');
    // The log's ids count on across clears and resets: a position needs no generation.
    const page = control.requestLog.page({ status, path }, pageRequest(req.query, 'requests', 0));
    await sendPage(res, page, 'requests', 0, showRequest);
  });
  routes.delete('/requests', (_req, res) => {
    control.requestLog.clear();
    res.json({ list: [], total: 0 });
  });

  routes.get('/faults', (_req, res) => {
    res.json({ list: control.faults.list() });
  });
  routes.post('/faults', json, (req, res) => {
    res.status(201).json(control.faults.add(req.body));
  });
  routes.delete('/faults', (_req, res) => {
    control.faults.clear();
    res.json({ list: [] });
  });
  routes.delete('/faults/:id', (req, res) => {
    if (!control.faults.remove(req.params.id))
      throw new VendorError('notFound', `no fault rule "${req.params.id}"`);
    res.json({ list: control.faults.list() });
  });

  refuseOtherMethods(router);
  return router;
}
