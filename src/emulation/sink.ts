/**
 * The one sink behaviour model: how the emulator's own receiver answers a callback, whoever hosts
 * it — `serve` and the library at /__emulator/sink (src/http/admin/sink.ts), `run --sink` on a
 * loopback port (src/run/local-sink.ts). Plain data and functions: no express, no sockets, no
 * timers (a host waits `delayMs` and holds a `hang` open itself).
 *
 * Settings are camelCase (`SinkSettings`: the library option `sink`, `emu.sink.configure`, the admin
 * API `PUT /__emulator/sink`); a scenario's `receiver:` section says the same in snake_case and
 * becomes settings through `receiverSinkSettings`, the one mapping. `sinkSettingsProblem` checks
 * both, naming the key in the spelling of the surface it came from (`sink.failStatus`,
 * `receiver.fail_status`).
 *
 * Which settings answer a callback: the sink's own once they were set explicitly (the `sink`
 * option, `configure`, `PUT /sink`), for every callback; until then (`source() === 'scenario'`)
 * each callback is answered as the `receiver:` section of the scenario that produced it says, and
 * with the defaults (200) when it has none or its scenario is unknown.
 */
import { createHash } from 'node:crypto';
import { CALLBACK_TYPES, type CallbackType } from '../contract/callbacks.ts';
import { VendorError } from '../core/vendor-errors.ts';
import { RunConfigError } from '../delivery/scenario-config.ts';
import type { ReceiverSpec } from '../scenario/types.ts';

export type SinkMode = 'ok' | 'fail' | 'hang';

/** One answer of a `sequence` (a scenario's `receiver.sequence[]` entry in camelCase). */
export interface SinkResponse {
  status: number;
  /** Answer body (default: `{"status":"success"}` for a 2xx, a failure envelope otherwise). */
  body?: string;
  /** Answer after this many real milliseconds (beyond the delivery timeout: a timeout). */
  delayMs?: number;
}

/** How the sink answers; every key has the meaning of the scenario `receiver:` key it spells. */
export interface SinkSettings {
  /**
   * `ok`: 200 (unless `sequence` says otherwise); `fail`: answer `failStatus`; `hang`: never
   * answer (the delivery times out). A scenario's receiver is `fail` when it sets `fail_first`.
   */
  mode: SinkMode;
  /** Status answered when failing (default 500), as a scenario's `receiver.fail_status`. */
  failStatus: number;
  /**
   * When set, only the first N attempts of each delivery fail / hang; later ones get 200 (as a
   * scenario's `receiver.fail_first`).
   */
  failFirst?: number;
  /** Only callbacks of these types misbehave (default: every type), as `receiver.fail_types`. */
  failTypes?: CallbackType[];
  /** Delay every answer by this many real milliseconds, as `receiver.delay_ms`. */
  delayMs?: number;
  /**
   * Answers to attempts 1, 2, … of each delivery (the last repeats); wins over `mode`, as
   * `receiver.sequence`.
   */
  sequence?: SinkResponse[];
}

export const DEFAULT_SINK_SETTINGS: Readonly<SinkSettings> = Object.freeze({ mode: 'ok', failStatus: 500 });

/** Whose settings answer: the producing scenario's `receiver:` section, or the sink's own. */
export type SinkSource = 'scenario' | 'explicit';

export interface SinkRequest {
  seq: number;
  /** Clock time of arrival (epoch ms). */
  at: number;
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  deliveryId?: string;
  attempt?: number;
  /** What the sink answered: a status, or `hang`. */
  answer: number | 'hang';
}

/** The built-in sink at /__emulator/sink: what it received, and how it answers. */
export interface Sink {
  /** What it received, oldest first (the last 1,000). */
  requests(): SinkRequest[];
  clear(): void;
  /** Its own settings: in force for every callback once explicit, else the defaults. */
  settings(): SinkSettings;
  /**
   * Answer every callback with these settings (over the current ones), whatever its scenario's
   * `receiver:` says; throws on a bad setting. Returns the settings now in force.
   */
  configure(settings: Partial<SinkSettings>): SinkSettings;
  /** `scenario` until configured; `explicit` after. */
  source(): SinkSource;
  /** Drop the explicit settings: each callback is answered by its scenario's `receiver:` again. */
  followScenarios(): SinkSettings;
}

/** A sink's answer to one request: a status and body after `delayMs`, or no answer at all. */
export type SinkAnswer = { status: number; body: string; delayMs: number } | 'hang';

/** One request as a host hands it to the model. */
export interface SinkCall {
  /** Clock time of arrival (epoch ms). */
  at: number;
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  /** The X-Emulator-Delivery-Id header. */
  deliveryId?: string;
  /** The X-Emulator-Attempt header (without it, identical bodies are counted as attempts). */
  attempt?: number;
  /** The callback type, when the host knows it (from the delivery, or the `<url>/<type>` path). */
  type?: string;
}

/** The model a host drives: the public `Sink`, plus answering a request. */
export interface SinkModel extends Sink {
  /**
   * Answer one request (and log it). `scenario`: the settings of the scenario that produced it,
   * used unless the sink's own are explicit.
   */
  receive(call: SinkCall, scenario?: SinkSettings): SinkAnswer;
}

const KEEP = 1000;
const BODY_KEEP_CHARS = 64 * 1024;
const SUCCESS_BODY = '{"status":"success"}';
const FAILURE_BODY = '{"status":"failed","reason":"the emulator sink fails this attempt"}';

const defined = <T extends object>(o: T): T =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

/** A scenario's `receiver:` section → the same settings in camelCase (no checks). */
export function receiverSinkSettings(spec: ReceiverSpec | undefined): Partial<SinkSettings> {
  if (!spec) return {};
  return defined({
    mode: spec.fail_first !== undefined ? ('fail' as const) : undefined,
    failStatus: spec.fail_status,
    failFirst: spec.fail_first,
    failTypes: spec.fail_types && [...spec.fail_types],
    delayMs: spec.delay_ms,
    sequence: spec.sequence?.map((r) => defined({ status: r.status, body: r.body, delayMs: r.delay_ms })),
  });
}

/** Where settings come from, for messages: the library / admin API, or a scenario file. */
export type SinkSurface = 'sink' | 'receiver';

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

/**
 * Longest answer delay, as a fault rule's: 10 minutes, far past any delivery timeout. Unbounded,
 * a delay past 2^31 - 1 ms was silently cut to 1 ms by the host's timer.
 */
export const MAX_SINK_DELAY_MS = 600_000;
const isDelay = (v: unknown): v is number => isInt(v) && v >= 0 && v <= MAX_SINK_DELAY_MS;
const got = (v: unknown) => `(got ${v === undefined ? 'nothing' : JSON.stringify(v)})`;

/**
 * What is wrong with `s` (merged settings), as a message naming the key in the surface's spelling
 * (`sink.failStatus`, `receiver.fail_status`), or null.
 */
export function sinkSettingsProblem(s: Partial<SinkSettings>, surface: SinkSurface): string | null {
  const key = (path: string) =>
    `${surface}.${surface === 'receiver' ? path.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`) : path}`;
  if (s.mode !== undefined && !['ok', 'fail', 'hang'].includes(s.mode))
    return `${key('mode')} must be ok, fail or hang ${got(s.mode)}`;
  if (
    s.failStatus !== undefined &&
    (!isInt(s.failStatus) ||
      s.failStatus < 100 ||
      s.failStatus > 599 ||
      (s.mode === 'fail' && s.failStatus < 300))
  )
    return `${key('failStatus')} must be a failing HTTP status, 300-599 ${got(s.failStatus)}`;
  if (s.failFirst !== undefined && (!isInt(s.failFirst) || s.failFirst < 0))
    return `${key('failFirst')} must be a non-negative integer ${got(s.failFirst)}`;
  if (s.delayMs !== undefined && !isDelay(s.delayMs))
    return `${key('delayMs')} must be an integer from 0 to ${MAX_SINK_DELAY_MS} ${got(s.delayMs)}`;
  if (s.failTypes !== undefined) {
    if (!Array.isArray(s.failTypes) || s.failTypes.length === 0)
      return `${key('failTypes')} must be a non-empty list of callback types ${got(s.failTypes)}`;
    const i = s.failTypes.findIndex((t) => !CALLBACK_TYPES.includes(t));
    if (i >= 0)
      return `${key(`failTypes[${i}]`)} must be a callback type (${CALLBACK_TYPES.join(', ')}) ${got(s.failTypes[i])}`;
  }
  if (s.sequence !== undefined) {
    if (!Array.isArray(s.sequence) || s.sequence.length === 0)
      return `${key('sequence')} must be a non-empty list of answers ${got(s.sequence)}`;
    for (const [i, r] of s.sequence.entries()) {
      const at = `sequence[${i}]`;
      if (typeof r !== 'object' || r === null)
        return `${key(at)} must be an answer {status, body?, delayMs?}`;
      if (!isInt(r.status) || r.status < 100 || r.status > 599)
        return `${key(`${at}.status`)} must be an HTTP status, 100-599 ${got(r.status)}`;
      if (r.body !== undefined && typeof r.body !== 'string')
        return `${key(`${at}.body`)} must be a string ${got(r.body)}`;
      if (r.delayMs !== undefined && !isDelay(r.delayMs))
        return `${key(`${at}.delayMs`)} must be an integer from 0 to ${MAX_SINK_DELAY_MS} ${got(r.delayMs)}`;
    }
  }
  return null;
}

/**
 * A scenario's `receiver:` as complete, checked settings (throws RunConfigError naming the
 * `receiver.` key: the scenario is the user's).
 */
export function scenarioSinkSettings(spec: ReceiverSpec | undefined): SinkSettings {
  const s = { ...DEFAULT_SINK_SETTINGS, ...receiverSinkSettings(spec) };
  const problem = sinkSettingsProblem(s, 'receiver');
  if (problem) throw new RunConfigError(problem);
  return s;
}

/** The sink's `sink` option at start, checked (throws RunConfigError naming the `sink.` key). */
export function optionSinkSettings(option: Partial<SinkSettings>): SinkSettings {
  const s = { ...DEFAULT_SINK_SETTINGS, ...defined(option) };
  const problem = sinkSettingsProblem(s, 'sink');
  if (problem) throw new RunConfigError(problem);
  return s;
}

/** How `settings` answer attempt `attempt` of a delivery of type `type` (pure). */
export function sinkAnswer(settings: SinkSettings, type: string | undefined, attempt: number): SinkAnswer {
  const misbehaves =
    settings.failTypes === undefined ||
    (type !== undefined && (settings.failTypes as string[]).includes(type));
  const delayMs = settings.delayMs ?? 0;
  const seq = settings.sequence;
  if (misbehaves && seq !== undefined && seq.length > 0) {
    const r = seq[Math.min(Math.max(attempt, 1), seq.length) - 1]!;
    return { status: r.status, body: r.body ?? defaultBody(r.status), delayMs: delayMs + (r.delayMs ?? 0) };
  }
  const failing =
    misbehaves &&
    settings.mode !== 'ok' &&
    (settings.failFirst === undefined || attempt <= settings.failFirst);
  if (failing && settings.mode === 'hang') return 'hang';
  const status = failing ? settings.failStatus : 200;
  return { status, body: defaultBody(status), delayMs };
}

function defaultBody(status: number): string {
  return status >= 200 && status < 300 ? SUCCESS_BODY : FAILURE_BODY;
}

/** `<url>/<type>`: the last path segment when it names a callback type. */
export function callbackTypeOfPath(path: string): CallbackType | undefined {
  const last = path.split('?')[0]!.split('/').filter(Boolean).at(-1);
  return CALLBACK_TYPES.find((t) => t === last);
}

/**
 * The sink model: its settings (explicit when `explicit` is given), the request log, and the
 * attempt count of requests that carry no X-Emulator-Attempt header (by identical body).
 */
export function createSinkModel(opts: { explicit?: Partial<SinkSettings> } = {}): SinkModel {
  let own: SinkSettings | null = opts.explicit ? optionSinkSettings(opts.explicit) : null;
  let seq = 0;
  let log: SinkRequest[] = [];
  let seen = new Map<string, number>();

  const attemptOf = (call: SinkCall): number => {
    if (call.attempt !== undefined && Number.isInteger(call.attempt) && call.attempt > 0) return call.attempt;
    const key = createHash('sha256').update(call.body).digest('base64');
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    return n;
  };

  return {
    receive(call, scenario) {
      const answer = sinkAnswer(own ?? scenario ?? DEFAULT_SINK_SETTINGS, call.type, attemptOf(call));
      log.push({
        seq: ++seq,
        at: call.at,
        method: call.method,
        path: call.path,
        headers: call.headers,
        body: call.body.length > BODY_KEEP_CHARS ? call.body.slice(0, BODY_KEEP_CHARS) : call.body,
        ...(call.deliveryId ? { deliveryId: call.deliveryId } : {}),
        ...(call.attempt !== undefined && Number.isInteger(call.attempt) && call.attempt > 0
          ? { attempt: call.attempt }
          : {}),
        answer: answer === 'hang' ? 'hang' : answer.status,
      });
      // Trimmed in batches: one copy per KEEP requests, not one per request.
      if (log.length >= 2 * KEEP) log = log.slice(-KEEP);
      return answer;
    },
    requests: () => log.slice(-KEEP),
    clear() {
      log = [];
      seen = new Map();
    },
    settings: () => ({ ...(own ?? DEFAULT_SINK_SETTINGS) }),
    configure(next) {
      // A key given as undefined is unset: optional keys go, mode and failStatus are the defaults.
      const merged = { ...DEFAULT_SINK_SETTINGS, ...defined({ ...(own ?? DEFAULT_SINK_SETTINGS), ...next }) };
      const problem = sinkSettingsProblem(merged, 'sink');
      if (problem) throw new VendorError('badRequest', problem);
      own = merged;
      return { ...own };
    },
    source: () => (own ? 'explicit' : 'scenario'),
    followScenarios() {
      own = null;
      return { ...DEFAULT_SINK_SETTINGS };
    },
  };
}
