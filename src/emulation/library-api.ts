/**
 * The library's commands and queries (`Emulator` minus its lifecycle) and their implementation
 * over the core. Express-free, so the public types reach nothing of express.
 */
import { isVirtualClock, type RunClock, type VirtualClock } from '../clock/index.ts';
import { decodeCursor, encodeCursor } from '../core/cursor.ts';
import { VendorError } from '../core/vendor-errors.ts';
import { clockAdvanceProblem } from '../core/vendor-time.ts';
import type { DeliveryRecord } from '../delivery/types.ts';
import type { MemoryStore, WorkflowRecord } from '../store/memory-store.ts';
import type { DeliveryWiring } from './delivery-wiring.ts';
import type { CallbackTargets, TargetsChange } from './callback-targets.ts';
import type { SendOptions } from './send.ts';

/** Which deliveries: any of the keys left out matches every value. */
export interface DeliveryQuery {
  workflow?: string;
  type?: string;
  outcome?: string;
}

/** A page of deliveries asked for: at most `limit` (default 100), after a previous page's `next`. */
export interface DeliveryPageQuery extends DeliveryQuery {
  limit?: number;
  cursor?: string;
}

/**
 * One page of the matching deliveries, as the admin API's `/deliveries` pages them: pages go from
 * the newest matches to the oldest, each page in creation order; `total` counts every match,
 * `next` is the cursor of the following (older) page, null on the last.
 */
export interface DeliveryPage {
  list: DeliveryRecord[];
  total: number;
  next: string | null;
}

/** The default page size (the admin API's). */
export const DELIVERY_PAGE_SIZE = 100;

/** A workflow a trigger started. */
export interface TriggeredWorkflow {
  workflowId: string;
  workflowName: string;
  /** The vendor-facing template id (`workflow_template_id`). */
  templateId: number;
}

export interface LibraryApi {
  /** Let everything scheduled happen: a virtual clock runs until idle; other clocks wait for it. */
  idle(): Promise<void>;
  /** Move a virtual clock forward by `ms` (firing what falls due on the way). */
  advance(ms: number): Promise<void>;
  /** Every matching delivery, in creation order, with its payload, body and headers. */
  deliveries(filter?: DeliveryQuery): DeliveryRecord[];
  /**
   * A page of the matching deliveries (see DeliveryPage): the cost follows the page, not the
   * history. Throws a VendorError (status 400) for a bad limit or a cursor not from this list
   * (or from before a reset).
   */
  deliveryPage(query?: DeliveryPageQuery): DeliveryPage;
  delivery(id: string): DeliveryRecord | undefined;
  replay(id: string, url?: string): DeliveryRecord;
  /**
   * Start a scenario with its own contacts, as `run` and the admin trigger do: a loaded scenario's
   * name, a shipped scenario's name or a scenario file (loaded now, its templates added to the
   * template list). One workflow per template, in the scenario's order (only `templateId`'s when
   * given); `workflowId` / `workflowName` are the first one's. Throws `UnknownScenarioError`
   * (listing the loaded and shipped names) for anything else.
   */
  trigger(
    scenario: string,
    templateId?: number,
  ): { workflowId: string; workflowName: string; workflows: TriggeredWorkflow[] };
  /** Where callbacks go instead of the template URLs: the `target` / `targets` options, as changed since. */
  targets(): CallbackTargets;
  /**
   * Change where callbacks go from now on: `target` for every type, `targets` per type (wins); a
   * URL sets, null clears (back to the template URLs), an absent key keeps. Deliveries created
   * before keep their URL. Throws a VendorError (status 400) for a bad URL or type, changing
   * nothing. Returns the new state.
   */
  setTargets(change: TargetsChange): CallbackTargets;
  /**
   * Send one callback now, through the same delivery service as campaign callbacks: a real payload
   * of `type` (from `scenario`, or a shipped scenario that sends it, with the emulator's seed; the
   * schema's example for chatbot-session-end), `set` overrides over it (`{path: value}` or
   * `path=value` lines), to `target` (default: the emulator's target for the type, else the
   * built-in sink `/__emulator/sink/send`). Throws a VendorError (status 400) for a bad option or
   * an override that breaks the schema (unless `allowInvalid`). Returns the delivery record
   * (`onDemand` set), live: `idle()` lets its attempts happen.
   */
  send(options: SendOptions): DeliveryRecord;
}

/** The clock as a virtual one, or a 409 for the admin API and the library alike. */
export function virtualClock(clock: RunClock): VirtualClock {
  if (!isVirtualClock(clock)) {
    throw new VendorError(
      'conflict',
      `the clock is ${clock.mode}; only a virtual clock can be moved (start with --clock virtual)`,
    );
  }
  return clock;
}

export function libraryApi(deps: {
  clock: RunClock;
  store: MemoryStore;
  delivery: DeliveryWiring;
  trigger: (ref: string, allowPaths: boolean, templateId?: number) => WorkflowRecord[];
  send: (options: SendOptions) => DeliveryRecord;
}): LibraryApi {
  const { clock, store, delivery } = deps;
  return {
    async idle() {
      if (isVirtualClock(clock)) await clock.runUntilIdle();
      else await clock.idle();
    },
    async advance(ms) {
      const vc = virtualClock(clock);
      const problem = clockAdvanceProblem(vc.now(), ms);
      if (problem)
        throw new VendorError('badRequest', `invalid request: ${problem}`, [
          { path: '$.ms', message: problem },
        ]);
      await vc.advance(ms);
    },
    deliveries(filter = {}) {
      // From the store's indexes: the cost follows the matches, not every delivery ever made.
      return store.deliveryIndex.matching(filter).map((d) => store.withContent(d));
    },
    deliveryPage: (query = {}) => deliveryPage(store, query),
    delivery: (id) => store.delivery(id),
    replay: (id, target) => delivery.service().replay(id, target ? { url: target } : {}),
    trigger(ref, templateId) {
      const started = deps.trigger(ref, true, templateId).map((wf) => ({
        workflowId: wf.workflowId,
        workflowName: wf.workflowName,
        templateId: wf.templateId,
      }));
      return {
        workflowId: started[0]!.workflowId,
        workflowName: started[0]!.workflowName,
        workflows: started,
      };
    },
    targets: () => delivery.targets.get(),
    setTargets: (change) => delivery.targets.set(change),
    send: (options) => deps.send(options),
  };
}

function deliveryPage(store: MemoryStore, query: DeliveryPageQuery): DeliveryPage {
  const { limit = DELIVERY_PAGE_SIZE, cursor, ...filter } = query;
  if (!Number.isInteger(limit) || limit < 0) {
    throw new VendorError('badRequest', `limit must be a non-negative integer (got ${String(limit)})`);
  }
  const generation = store.generation;
  const before = cursor === undefined ? Infinity : decodeCursor('deliveries', generation, cursor);
  const page = store.deliveryIndex.page(filter, before, limit);
  return {
    list: page.list.map((d) => store.withContent(d)),
    total: page.total,
    next: page.before === null ? null : encodeCursor('deliveries', generation, page.before),
  };
}
