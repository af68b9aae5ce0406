/**
 * What the code cannot say about itself, for the generated tables of docs/api.md: what each
 * admin path is for (keyed by the path as the admin router mounts it, under /__emulator) and when
 * each error kind of src/core/vendor-errors.ts is answered. scripts/doctables/tables.ts refuses a
 * route or kind missing here and an entry here that the code no longer has.
 */
import type { ErrorKind } from '../../src/core/vendor-errors.ts';

export interface AdminRouteDoc {
  /** The path as shown, when it differs from the mounted one. */
  path?: string;
  /** Query parameters, shown as `?a=&b=`. */
  query?: string;
  /** The JSON body, shown after the path. */
  body?: string;
  what: string;
}

export const ADMIN_ROUTE_DOCS: Record<string, AdminRouteDoc> = {
  '/': { what: 'the dashboard page (see [Dashboard](dashboard.md))' },
  '/index.html': { what: 'the same page' },
  '/health': { what: 'status, clock, counts, root seed' },
  '/reset': {
    what: 'back to the started state: no workflows, deliveries or sink log (tokens stay valid; `--demo` starts its workflow again)',
  },
  '/events': {
    what: "server-sent events: the core's event stream, live — `workflow:created`, `workflow:status`, `workflow:waiting` (held up by its calling windows until `until`), `call:started`, `call:finished`, `contact:finished`, `delivery:created`, `delivery:attempt`, `delivery:delivered`, `delivery:exhausted` (one JSON object per `data:` line; deliveries without payload), and `request:logged` `{id, at, method, path, status, code}` for each vendor-API request (see `/requests`)",
  },
  '/clock': { what: '`{mode, now, pending: {timers, inFlight}}`' },
  '/clock/advance': {
    body: '{"ms": n}',
    what: 'virtual clocks: move time, firing what falls due (409 on another clock)',
  },
  '/clock/run-until-idle': { what: 'virtual clocks: play everything scheduled (409 on another clock)' },
  '/workflows': {
    query: 'limit=&cursor=',
    what: 'the workflows, newest first, in [pages](#pages) `{list, total, next}` (default 100), each with contact, call and delivery counts, and `waiting` `{reason: "calling_window", until}` while its calling windows are closed (else null)',
  },
  '/workflows/:id': {
    query: 'limit=',
    what: 'one workflow: its summary, contacts (list order) and calls (every dial, newest first), each `{list, total, next}`: at most `limit` of each (default 500); `next` continues on the two routes below',
  },
  '/workflows/:id/contacts': {
    query: 'limit=&cursor=',
    what: "a workflow's contacts in list order (uploaded rows, then the ones a scenario generated as the campaign reached them), in [pages](#pages) `{list, total, next}` (default 100); a cursor from another workflow's list is a 400",
  },
  '/workflows/:id/calls': {
    query: 'limit=&cursor=',
    what: "a workflow's calls (every dial), newest first, in [pages](#pages) `{list, total, next}` (default 100); a cursor from another workflow's list is a 400",
  },
  '/deliveries': {
    query: 'workflow=&type=&outcome=&limit=&cursor=',
    what: 'delivery summaries `{id, type, url, workflowId, outcome, attemptCount, lastStatus, lastError, firstAt, nextAttemptAt, replayOf?, duplicateOf?, onDemand?}` (`outcome`: pending, delivered, exhausted), in [pages](#pages) `{list, total, next}`: the newest `limit` matches (default 100, at most 10,000), each page in creation order; `total` counts every match; filters are answered from indexes',
  },
  '/deliveries/:id': { what: 'one delivery with its payload, body, headers and every attempt' },
  '/deliveries/:id/replay': {
    body: '{"url"?}',
    what: 'send it again (a new delivery, `replayOf` set): 201 with its summary',
  },
  '/callbacks': {
    body: '{"type", "set"?, "target"?, "allowInvalid"?, "scenario"?}',
    what: "send one callback on demand ([details](cli.md#one-callback-on-demand-send)): 201 with its delivery summary (`onDemand` set); 400 for a bad option or an override that breaks the schema (`errors[]` lists the schema's complaints) unless `allowInvalid`; 404 for an unknown `scenario`. The library: `emu.send(options)`",
  },
  '/scenarios': { what: 'loaded scenarios and their template ids' },
  '/scenarios/:name/trigger': {
    body: '{"workflow_template_id"?}',
    what: "play the scenario with its own contacts, as `run` does: one workflow per template (only the given template's); 201 with the first's `workflow_id` / `workflow_name` and `workflows` (all of them)",
  },
  '/targets': {
    body: '{"target"?: url|null, "targets"?: {<type>: url|null}}',
    what: 'where callbacks go instead of the template URLs (start: `--target`, `--target-<type>`); PUT: a URL sets, `null` clears, an absent key keeps; applies to deliveries created after the change (pending ones keep their URL: replay them elsewhere). A bad URL or type is a 400 that changes nothing. Not kept across a restart. The library: `emu.targets()`, `emu.setTargets(change)`',
  },
  '/sink': {
    query: 'limit=',
    what: 'GET: what the sink received (last 1,000; with `limit`, the last `limit`), its `settings`, their `source` (`scenario` or `explicit`) and `total` received; DELETE: clear it; PUT `{"mode": "ok"|"fail"|"hang", "failStatus"?, "failFirst"?, "failTypes"?, "delayMs"?, "sequence"?}`: answer **every** callback so (explicit settings win over the scenarios\' `receiver:`): fail (a status) or hang (no answer: the delivery times out), optionally only the first N attempts of each delivery, `null` unsets a key; PUT `{"source": "scenario"}`: drop the explicit settings, each callback is answered by its scenario\'s `receiver:` again ([the built-in sink](#the-built-in-sink))',
  },
  '/sink/*': {
    path: '/sink/<anything>',
    what: 'the built-in callback receiver: records and answers (see [which settings answer](#the-built-in-sink))',
  },
  '/requests': {
    query: 'limit=&cursor=&status=&path=',
    what: "the inbound request log: every request your client made to the vendor API, newest first, in [pages](#pages) `{list, total, next}` (`total` counts every match); each `{id, at, method, path, query, headers, body, status, code, answer, truncated, durationMs, fault}` — `code` is the envelope's, `headers.authorization` keeps only its scheme and last 4 characters (`Token …wxyz`), `body` / `answer` are cut to 4,096 characters (`truncated`), `body` is null for a request refused before its body was read (a bad token), `status` is null for a dropped connection, `fault` is the rule applied. `status` filters by a status (`401`), a class (`4xx`) or `dropped`; `path` by part of the path. Keeps the last 1,000 (`requestLogSize`); `/__emulator/*` requests are not logged; a reset clears it. DELETE clears it. The library: `emu.requests(filter?)`",
  },
  '/faults': {
    what: 'fault rules on the vendor API (see [Fault injection](#fault-injection-on-the-vendor-api)): GET lists them `{list}`; POST adds one (201 with its `id` and `remaining`; a bad rule is a 400 naming every problem, adding nothing); DELETE removes them all. The library: `emu.faults.list()`, `add(rule)`, `remove(id)`, `clear()`',
  },
  '/faults/:id': { what: 'remove one rule (404 if there is none)' },
};

export const ERROR_DOCS: Record<ErrorKind, string> = {
  badRequest:
    'any other schema failure (`errors[]` names each field), nesting deeper than 32, `end_time` in the past, more than 10,000 rows; admin: a bad option',
  malformedJson: 'body is not valid JSON (the vendor\'s "request marshal error")',
  unsupportedMediaType: 'body sent without `Content-Type: application/json`',
  payloadTooLarge: 'body larger than the limit (5 MB; `bodyLimitBytes` in `--config`)',
  notFound: 'unknown path; admin: unknown workflow, delivery, scenario or fault rule',
  methodNotAllowed: 'wrong method on a known path',
  forbidden:
    'admin API: a `Host` that is not loopback, the bound address or `--allowed-hosts`, or a state-changing request from a foreign `Origin`',
  conflict: 'admin: moving a clock that is not virtual',
  storageUnavailable:
    'a vendor write while `serve` cannot write its journal (disk full, I/O error): the change is not made; `/__emulator/health` says why, and writes work again once the journal can be written ([reliability](reliability.md#a-full-disk-or-a-write-error-degraded-not-down))',
  badSignature: '`Is-Encrypted: 1` request that does not decrypt, or whose `Signed` header does not match',
  invalidAppKey: 'unknown APPKey',
  accountVerificationFailed: 'APPSecret does not match',
  tokenEmpty: 'no `Authorization` header',
  tokenUnparsable: '`Authorization` not `Token x` or `Bearer x`',
  tokenInvalid: 'unknown token',
  tokenExpired: 'token past its 24 h (clock time)',
  createFailed: 'createinstance with an unknown `workflow_template_id`',
  emptyContactList: 'empty contact list (`details: []`)',
  workflowNotFound: 'unknown workflow, task or list row',
  workflowFinished: 'workflow stopped or finished (no more changes)',
  badPhoneNumber: 'bad phone number (must be `+` and E.164)',
  noRecordings: 'the number has no recordings',
  callIdEmpty:
    "kept from the vendor's table; not answered today (an empty `call_id` fails the request schema: 400)",
  callIdInvalid: 'unknown `call_id`',
  queryOverLimit: "kept from the vendor's table; not answered today",
  fileNotFound: 'recording file does not exist',
  internal: 'an emulator bug (bad input never gets a 5xx)',
};
