/**
 * Shared by every command: node:util parseArgs (strict) with its errors rewritten for people —
 * `unknown option --clok (did you mean --clock?)`, `--port needs a value` — and checks of flag
 * and environment values that end in one clear message naming where the value came from. A
 * `UsageError` is exit code 2.
 */
import { httpUrlProblem, integerProblem } from '../core/option-checks.ts';
import { makeDirs } from '../core/make-dirs.ts';
import { dirname, resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CLOCK_SPEC_HELP, parseClockSpec } from '../clock/create-clock.ts';
import type { CliIO } from './io.ts';
import { didYouMean } from './suggest.ts';

/** Bad flags, arguments or environment: the command prints the message and exits 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** `(did you mean --clock?)` for an unknown `--clok`, `-H` → `-h`, `-port` → `--port`. */
function flagSuggestion(flag: string, options: Options): string {
  const longs = Object.keys(options);
  if (flag.startsWith('--')) return didYouMean(flag.slice(2), longs, (c) => `--${c}`);
  const name = flag.slice(1);
  if (name.length === 1) {
    const shorts = Object.values(options).flatMap((o) => (o.short ? [o.short] : []));
    const same = shorts.find((s) => s.toLowerCase() === name.toLowerCase());
    return same ? ` (did you mean -${same}?)` : '';
  }
  return didYouMean(name, longs, (c) => `--${c}`);
}

/** parseArgs's error, said the way the CLI says things. */
export function explainParseError(err: unknown, options: Options, args: readonly string[] = []): string {
  const e = err as { code?: unknown; message?: unknown };
  const message = String(e.message ?? err);
  switch (e.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION': {
      let flag = /^Unknown option '([^']+)'/.exec(message)?.[1];
      if (flag === undefined) break;
      // `-port` is parsed as the short options -p -o -r -t: say what was typed.
      const typed = args.find((a) => !a.startsWith('--') && a.length > 2 && a.startsWith(flag!));
      if (!flag.startsWith('--') && typed !== undefined) flag = typed.split('=')[0]!;
      return `unknown option ${flag}${flagSuggestion(flag, options)}`;
    }
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE': {
      const flag = /^Option '(?:-\w, )?(-{1,2}[^' ]+)/.exec(message)?.[1];
      if (flag === undefined) break;
      if (/does not take an argument/.test(message)) return `${flag} takes no value`;
      // `--seed -1`: parseArgs will not take a value starting with "-" after a space.
      const next = args[args.indexOf(flag) + 1];
      if (/is ambiguous/.test(message) && next !== undefined && flag.startsWith('--')) {
        return `${flag} needs a value (to pass "${next}", write ${flag}=${next})`;
      }
      return `${flag} needs a value`;
    }
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL': {
      const arg = /^Unexpected argument '([^']*)'/.exec(message)?.[1];
      if (arg === undefined) break;
      return `unexpected argument "${arg}" (this command takes no arguments, only options)`;
    }
  }
  return message;
}

/**
 * parseArgs, strict unless told otherwise, throwing UsageError with a readable message. An empty
 * string option value (`--port ''`, `--out=`) is an error too: no option here means "nothing".
 */
export function parseCommandArgs<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  let parsed: ReturnType<typeof parseArgs<T>>;
  try {
    parsed = parseArgs(config);
  } catch (err) {
    throw new UsageError(explainParseError(err, config.options ?? {}, config.args ?? []));
  }
  for (const [name, value] of Object.entries(parsed.values as Record<string, unknown>)) {
    if (value === '' || (Array.isArray(value) && value.includes(''))) {
      throw new UsageError(`--${name} needs a value`);
    }
  }
  return parsed;
}

/** A decimal integer in [min, max] from a flag or variable; `source` names it in the error. */
export function parseInteger(source: string, text: string, min: number, max: number): number {
  const n = /^-?\d+$/.test(text) ? Number(text) : NaN;
  if (integerProblem(source, n, min, max) === undefined) return n;
  // Said with the text as typed, quoted: `--seed must be … (got "-1")`.
  throw new UsageError(integerProblem(source, text, min, max)!);
}

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };

/** A duration (`90s`, `5m`, `1h`, `500ms`; a bare number is seconds) in milliseconds, > 0. */
export function parseDuration(source: string, text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  const ms = m ? Math.round(Number(m[1]) * DURATION_UNITS[m[2] ?? 's']!) : NaN;
  if (!(ms > 0)) throw new UsageError(`${source} must be a duration such as 90s, 5m or 1h (got "${text}")`);
  return ms;
}

/** An absolute http(s) URL. */
export function parseHttpUrl(source: string, text: string): string {
  const problem = httpUrlProblem(source, text);
  if (problem !== undefined) throw new UsageError(problem);
  return text;
}

/** A clock spec (`real`, `scaled:60`, `virtual`, `virtual:manual`). */
export function parseClockOption(source: string, text: string): string {
  try {
    parseClockSpec(text);
  } catch {
    throw new UsageError(`${source} must be one of ${CLOCK_SPEC_HELP} (got "${text}")`);
  }
  return text;
}

/**
 * The absolute path of an output file flag (`--report out/r.json`), its folder created now so a
 * path that cannot be written fails before the work rather than after it.
 */
export function prepareOutputFile(flag: string, file: string, cwd: string): string {
  const path = resolve(cwd, file);
  try {
    makeDirs(dirname(path));
  } catch (err) {
    throw new UsageError(cannotWrite(flag, file, err));
  }
  return path;
}

/** `cannot write --report out/r.json (EACCES)`. */
export function cannotWrite(flag: string, file: string, err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  return `cannot write --${flag} ${file} (${e.code ?? e.message})`;
}

/** Print a usage error the same way for every command; returns the exit code (2). */
export function usageFailure(io: CliIO, command: string, message: string): number {
  io.stderr.write(
    `airudder-emulator ${command}: ${message}\nRun "airudder-emulator ${command} --help" for the options.\n`,
  );
  return 2;
}
