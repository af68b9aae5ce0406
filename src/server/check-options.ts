/**
 * The library's top-level options checked as `run` and `serve` check the same flags, in the same
 * words with the option's own name — `seed must be an integer from 0 to 4294967295 (got -1)`
 * where `serve` says `--seed must be … (got "-1")` — and `delivery` as `serve --config` checks its
 * `delivery` key. Run before anything is built: no journal opened, no port taken.
 */
import { CLOCK_SPEC_HELP, parseClockSpec } from '../clock/index.ts';
import { CALLBACK_TYPES } from '../contract/callbacks.ts';
import { aesKeyProblem } from '../core/aes.ts';
import { httpUrlProblem, integerProblem, isAllowedHostName, shown } from '../core/option-checks.ts';
import { didYouMean } from '../core/suggest.ts';
import { deliveryOptionProblems, RunConfigError } from '../delivery/scenario-config.ts';
import { problemText } from '../scenario/schema-issues.ts';
import { faultProblemText, faultRuleProblems } from '../http/faults.ts';

/** `faults`: an array of rules, each checked as POST /__emulator/faults checks it. */
function faultsProblems(faults: unknown): string[] {
  if (faults === undefined) return [];
  if (!Array.isArray(faults)) return [`faults must be an array (got ${shown(faults)})`];
  return faults.flatMap((rule, i) => faultRuleProblems(rule).map((p) => faultProblemText(`faults[${i}]`, p)));
}

const MAX_SEED = 0xffffffff;
/** `maxRowsPerWorkflow` up to a scenario's largest generated list (`generate.count`). */
const MAX_ROWS_LIMIT = 1_000_000;

const integerOption = (name: string, v: unknown, min: number, max: number): string | undefined =>
  v === undefined ? undefined : integerProblem(name, v, min, max);
const urlOption = (name: string, v: unknown): string | undefined =>
  v === undefined ? undefined : httpUrlProblem(name, v);

/** `targets`: known message types (as serve's config file says), each an http(s) URL. */
function targetsProblems(targets: unknown): (string | undefined)[] {
  if (targets === undefined) return [];
  if (targets === null || typeof targets !== 'object' || Array.isArray(targets)) {
    return [`targets must be object (got ${shown(targets)})`];
  }
  return Object.entries(targets).map(([type, url]) =>
    (CALLBACK_TYPES as readonly string[]).includes(type)
      ? urlOption(`targets.${type}`, url)
      : `unknown key "${type}" in targets${didYouMean(type, CALLBACK_TYPES)}`,
  );
}

/** Throws RunConfigError listing every problem, one a line. */
export function checkEmulatorOptions(opts: {
  seed?: unknown;
  port?: unknown;
  target?: unknown;
  targets?: unknown;
  aesKey?: unknown;
  clock?: unknown;
  startTime?: unknown;
  delivery?: unknown;
  faults?: unknown;
  requestLogSize?: unknown;
  maxRowsPerWorkflow?: unknown;
  allowedHosts?: unknown;
  repairJournal?: unknown;
  journal?: unknown;
}): void {
  const aes =
    opts.aesKey === undefined
      ? undefined
      : typeof opts.aesKey === 'string'
        ? aesKeyProblem(opts.aesKey)
        : `must be a string (got ${shown(opts.aesKey)})`;
  let clock: string | undefined;
  if (typeof opts.clock === 'string') {
    try {
      parseClockSpec(opts.clock);
    } catch {
      clock = `clock must be one of ${CLOCK_SPEC_HELP} (got ${shown(opts.clock)})`;
    }
  }
  const startTime =
    opts.startTime === undefined || (typeof opts.startTime === 'number' && Number.isFinite(opts.startTime))
      ? undefined
      : `startTime must be epoch milliseconds (got ${shown(opts.startTime)})`;
  const problems = [
    integerOption('seed', opts.seed, 0, MAX_SEED),
    integerOption('port', opts.port, 0, 65535),
    urlOption('target', opts.target),
    ...targetsProblems(opts.targets),
    clock,
    startTime,
    aes === undefined ? undefined : `aesKey ${aes}`,
    ...deliveryOptionProblems(opts.delivery).map(problemText),
    integerOption('requestLogSize', opts.requestLogSize, 1, 100_000),
    integerOption('maxRowsPerWorkflow', opts.maxRowsPerWorkflow, 1, MAX_ROWS_LIMIT),
    ...faultsProblems(opts.faults),
    allowedHostsProblem(opts.allowedHosts),
    opts.repairJournal === undefined || typeof opts.repairJournal === 'boolean'
      ? undefined
      : `repairJournal must be true or false (got ${shown(opts.repairJournal)})`,
    ...journalProblems(opts.journal),
  ].filter((p): p is string => p !== undefined);
  if (problems.length > 0) throw new RunConfigError(problems.join('\n'));
}

/** `journal`: its numbers (the file calls and the health listener are the caller's own). */
function journalProblems(v: unknown): (string | undefined)[] {
  if (v === undefined) return [];
  if (v === null || typeof v !== 'object') return [`journal must be an object (got ${shown(v)})`];
  const j = v as {
    compactAfterLines?: unknown;
    readLimits?: { chunkBytes?: unknown; maxLineBytes?: unknown };
  };
  const MAX = Number.MAX_SAFE_INTEGER;
  return [
    integerOption('journal.compactAfterLines', j.compactAfterLines, 1, MAX),
    integerOption('journal.readLimits.chunkBytes', j.readLimits?.chunkBytes, 1, 1 << 30),
    integerOption('journal.readLimits.maxLineBytes', j.readLimits?.maxLineBytes, 1, 1 << 29),
  ];
}

/** `allowedHosts`: a list of host names (no scheme, no path). */
function allowedHostsProblem(v: unknown): string | undefined {
  if (v === undefined) return undefined;
  const ok = Array.isArray(v) && v.every(isAllowedHostName);
  return ok
    ? undefined
    : `allowedHosts must be a list of host names such as "myhost.local" or "*" (got ${shown(v)})`;
}
