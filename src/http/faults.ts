/**
 * Fault injection on the vendor API (emulator-defined): rules that answer a route with an error
 * envelope, delay it, or drop its connection, always or with a probability, for ever or for the
 * next N requests. The vocabulary follows WireMock (fault, fixed delay) and Mockoon (rules,
 * latency) where it fits. Draws come from a generator seeded by the emulator's seed, so the same
 * seed and the same requests give the same faults. Delays use the emulator's clock: on a virtual
 * clock a delayed request waits until the clock gets there.
 */
import { STATUS_CODES } from 'node:http';
import type { Request, RequestHandler, Response } from 'express';
import type { Clock } from '../core/clock.ts';
import { shown } from '../core/option-checks.ts';
import { VENDOR_ERRORS, VendorError, type ErrorSpec } from '../core/vendor-errors.ts';
import { Rng, streamSeed } from '../engine/rng.ts';
import type { FaultRule, FaultView } from './sandbox-types.ts';
import { failure, sendEnvelope } from './envelope.ts';

export type { FaultRule, FaultView } from './sandbox-types.ts';

/** One problem of a rule: where (JSON segments under the rule) and what. */
export interface FaultProblem {
  segments: (string | number)[];
  message: string;
}

const FAULT_STREAM = 0xfa17;
const RULE_KEYS = ['route', 'status', 'code', 'message', 'delayMs', 'drop', 'probability', 'times'];
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', '*'];
const DEFAULT_MESSAGE = 'fault injected';

/** The first known vendor error with this `code`. */
function specOfCode(code: number): ErrorSpec | undefined {
  return Object.values(VENDOR_ERRORS).find((s) => s.code === code);
}

/** `route` → method (or undefined: any) and a path matcher; `*` matches any characters. */
function parseRoute(route: string): { method?: string; path: RegExp } | string {
  const text = route.trim();
  if (text === '*') return { path: /^/ };
  const [first, second, ...rest] = text.split(/\s+/);
  const method = second === undefined ? undefined : first!.toUpperCase();
  const path = second ?? first!;
  if (rest.length > 0 || (method !== undefined && !METHODS.includes(method)))
    return `must be "*", or [METHOD] /path (METHOD one of ${METHODS.join(', ')}) (got ${shown(route)})`;
  if (!path.startsWith('/') && path !== '*') return `path must start with "/" (got ${shown(route)})`;
  const source = path
    .split('*')
    .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return { method: method === '*' ? undefined : method, path: new RegExp(`^${source}$`) };
}

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);

function fieldProblems(r: Record<string, unknown>): FaultProblem[] {
  const out: FaultProblem[] = [];
  const bad = (key: string, message: string) => out.push({ segments: [key], message });
  if (typeof r.route !== 'string' || r.route.trim() === '')
    bad('route', `must be a non-empty string (got ${shown(r.route)})`);
  else {
    const parsed = parseRoute(r.route);
    if (typeof parsed === 'string') bad('route', parsed);
  }
  if (r.status !== undefined && (!isInt(r.status) || r.status < 200 || r.status > 599))
    bad('status', `must be an integer from 200 to 599 (got ${shown(r.status)})`);
  if (r.code !== undefined && !isInt(r.code)) bad('code', `must be an integer (got ${shown(r.code)})`);
  if (r.message !== undefined && typeof r.message !== 'string')
    bad('message', `must be a string (got ${shown(r.message)})`);
  if (r.delayMs !== undefined && (!isInt(r.delayMs) || r.delayMs < 0 || r.delayMs > 600_000))
    bad('delayMs', `must be an integer from 0 to 600000 (got ${shown(r.delayMs)})`);
  if (r.drop !== undefined && r.drop !== true) bad('drop', `can only be true (got ${shown(r.drop)})`);
  if (
    r.probability !== undefined &&
    (typeof r.probability !== 'number' || !(r.probability >= 0 && r.probability <= 1))
  )
    bad('probability', `must be a number from 0 to 1 (got ${shown(r.probability)})`);
  if (r.times !== undefined && (!isInt(r.times) || r.times < 1))
    bad('times', `must be a positive integer (got ${shown(r.times)})`);
  return out;
}

/** How the fields go together: an effect, and no answer with a drop. */
function comboProblems(r: Record<string, unknown>): FaultProblem[] {
  const out: FaultProblem[] = [];
  if (r.status === undefined && r.code === undefined && r.delayMs === undefined && r.drop === undefined)
    out.push({ segments: [], message: 'needs at least one of status, code, delayMs, drop' });
  if (r.drop === true && (r.status !== undefined || r.code !== undefined || r.message !== undefined))
    out.push({ segments: ['drop'], message: 'answers nothing: it cannot go with status, code or message' });
  if (isInt(r.code) && r.status === undefined && !specOfCode(r.code))
    out.push({
      segments: ['code'],
      message: `must be a vendor code the emulator knows, or go with status (got ${r.code})`,
    });
  return out;
}

/** Every problem of `rule` (empty when it is a valid FaultRule). */
export function faultRuleProblems(rule: unknown): FaultProblem[] {
  if (rule === null || typeof rule !== 'object' || Array.isArray(rule))
    return [{ segments: [], message: `must be an object (got ${shown(rule)})` }];
  const r = rule as Record<string, unknown>;
  const unknown: FaultProblem[] = Object.keys(r)
    .filter((k) => !RULE_KEYS.includes(k))
    .map((k) => ({ segments: [], message: `has an unknown key "${k}" (known: ${RULE_KEYS.join(', ')})` }));
  return [...unknown, ...fieldProblems(r), ...comboProblems(r)];
}

/** A problem in words, under `prefix` (`rule`, `faults[0]`): `faults[0].status must be …`. */
export function faultProblemText(prefix: string, p: FaultProblem): string {
  return `${[prefix, ...p.segments].join('.')} ${p.message}`;
}

/** The envelope a status / code rule answers with. */
function faultAnswer(rule: FaultRule): { http: number; spec: ErrorSpec; message: string } {
  const known = rule.code === undefined ? undefined : specOfCode(rule.code);
  const http = rule.status ?? known!.http;
  const status = rule.status === undefined && known ? known.status : (STATUS_CODES[http] ?? 'Error');
  const spec: ErrorSpec = {
    code: rule.code ?? http,
    http,
    status,
    message: DEFAULT_MESSAGE,
    fidelity: 'emulator-defined',
  };
  return { http, spec, message: rule.message ?? known?.message ?? DEFAULT_MESSAGE };
}

interface ActiveRule {
  view: FaultView;
  method?: string;
  path: RegExp;
}

export class FaultTable {
  private rules: ActiveRule[] = [];
  private seq = 0;
  private readonly rng = new Rng();
  private readonly clock: Clock;
  private readonly seed: number;

  constructor(clock: Clock, seed: number) {
    this.clock = clock;
    this.seed = seed;
    this.reseed();
  }

  /** Back to the first draw of the seed (a reset repeats the same faults). */
  reseed(): void {
    this.rng.seed(streamSeed(this.seed, FAULT_STREAM));
  }

  list(): FaultView[] {
    return this.rules.map((r) => ({ ...r.view }));
  }

  /** Adds a rule after the others; throws a VendorError (400) naming every problem. */
  add(rule: unknown): FaultView {
    const problems = faultRuleProblems(rule);
    if (problems.length > 0) {
      throw new VendorError(
        'badRequest',
        `invalid fault rule: ${problems.map((p) => faultProblemText('rule', p)).join('; ')}`,
        problems.map((p) => ({ path: ['$', ...p.segments].join('.'), message: faultProblemText('rule', p) })),
      );
    }
    const r = rule as FaultRule;
    const parsed = parseRoute(r.route) as { method?: string; path: RegExp };
    const view: FaultView = { id: `fault-${++this.seq}`, ...r, remaining: r.times ?? null };
    this.rules.push({ view, ...parsed });
    return { ...view };
  }

  remove(id: string): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter((r) => r.view.id !== id);
    return this.rules.length < before;
  }

  clear(): void {
    this.rules = [];
  }

  /** The rule that applies to this request (counting it), or undefined. */
  pick(method: string, path: string): FaultView | undefined {
    for (const r of this.rules) {
      if (r.method !== undefined && r.method !== method) continue;
      if (!r.path.test(path)) continue;
      if (r.view.probability !== undefined && !(this.rng.unit() < r.view.probability)) continue;
      if (r.view.remaining !== null) {
        r.view.remaining -= 1;
        if (r.view.remaining === 0) this.remove(r.view.id);
      }
      return { ...r.view };
    }
    return undefined;
  }

  /** Before the vendor router: a faulted request answers here and never reaches its route. */
  middleware(): RequestHandler {
    return (req, res, next) => {
      if (this.rules.length === 0 || req.path === '/__emulator' || req.path.startsWith('/__emulator/')) {
        next();
        return;
      }
      const fault = this.pick(req.method, req.path);
      if (!fault) {
        next();
        return;
      }
      res.locals.fault = fault;
      const act = () => this.apply(fault, req, res, next);
      if (fault.delayMs) this.clock.setTimer(act, fault.delayMs);
      else act();
    };
  }

  private apply(fault: FaultView, req: Request, res: Response, next: () => void): void {
    if (fault.drop) {
      req.socket.destroy();
      return;
    }
    if (fault.status === undefined && fault.code === undefined) {
      next();
      return;
    }
    const { http, spec, message } = faultAnswer(fault);
    sendEnvelope(res, http, failure(spec, message));
  }
}
