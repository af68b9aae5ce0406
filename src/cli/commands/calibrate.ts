/**
 * `airudder-emulator calibrate <callbacks…> [--out scenario.yaml]`: reads recorded callbacks (JSON,
 * JSON Lines, or folders of them), fits a scenario per business line and country (src/calibrate/),
 * writes it to stdout or --out, and reports drift from the schemas on stderr or --drift-report.
 * Exit 0; 1 with --strict when there is drift; 2 on bad input or a usage error.
 */
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  BUSINESSES,
  calibrate,
  driftLines,
  hasDrift,
  parseNamePattern,
  parseRecordedText,
  type CalibrateOptions,
  type InputProblem,
  type NamePattern,
  type Recorded,
} from '../../calibrate/index.ts';
import type { Business } from '../../scenario/types.ts';
import {
  cannotWrite,
  parseCommandArgs,
  parseInteger,
  prepareOutputFile,
  UsageError,
  usageFailure,
} from '../args.ts';
import { processIO, type CliIO } from '../io.ts';

export function calibrateUsage(): string {
  return [
    'Usage: airudder-emulator calibrate <file|folder>... [--out scenario.yaml] [options]',
    '',
    'Fits a scenario to recorded AIRUDDER callbacks (JSON: one message or an array; JSON Lines:',
    '.jsonl/.ndjson; folders are read recursively), one per business line and country. The',
    'scenario holds distributions only: no ids, names, numbers, transcripts or variable values.',
    '',
    'Options:',
    '  -o, --out <file|dir>        write the scenario here (default stdout); with several groups,',
    '                              a folder gets one <name>.yaml per group',
    `  --business <line>           business line of every workflow (${BUSINESSES.join(', ')})`,
    "  --map <glob=line>           workflow_name pattern → business line, e.g. --map 'COLL-*=collection'",
    '                              (repeatable; wins over the inference, --business wins over it)',
    '  --seed <n>                  seed written into the scenario (default 1)',
    '  --keep-labels               copy intention labels, descriptions and event labels verbatim',
    '  --drift-report <file.json>  write the drift report as JSON (default: printed on stderr)',
    '  --strict                    exit 1 when the input has drift from the schemas',
    '  --skip-bad                  skip bad files, lines and messages (reported) instead of exit 2',
    '  -h, --help                  this text',
    '',
    'Exit codes: 0 written; 1 drift with --strict; 2 bad input, no calls, or a usage error.',
    '',
  ].join('\n');
}

interface Flags {
  out?: string;
  business?: Business;
  map: NamePattern[];
  seed: number;
  keepLabels: boolean;
  driftReport?: string;
  strict: boolean;
  skipBad: boolean;
}

function parseFlags(argv: string[]): { flags: Flags; files: string[] } | 'help' {
  const { values, positionals } = parseCommandArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      out: { type: 'string', short: 'o' },
      business: { type: 'string' },
      map: { type: 'string', multiple: true },
      seed: { type: 'string' },
      'keep-labels': { type: 'boolean' },
      'drift-report': { type: 'string' },
      strict: { type: 'boolean' },
      'skip-bad': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';
  if (positionals.length === 0) throw new UsageError('no file or folder given');
  const business = values.business as Business | undefined;
  if (business !== undefined && !BUSINESSES.includes(business)) {
    throw new UsageError(`unknown --business "${business}" (known: ${BUSINESSES.join(', ')})`);
  }
  const map = (values.map ?? []).map((m) => {
    const p = parseNamePattern(m);
    if (typeof p === 'string') throw new UsageError(`--map: ${p}`);
    return p;
  });
  const flags: Flags = {
    map,
    seed: values.seed === undefined ? 1 : parseInteger('--seed', values.seed, 0, 4294967295),
    keepLabels: values['keep-labels'] === true,
    strict: values.strict === true,
    skipBad: values['skip-bad'] === true,
  };
  if (business) flags.business = business;
  if (values.out !== undefined) flags.out = values.out;
  if (values['drift-report'] !== undefined) flags.driftReport = values['drift-report'];
  return { flags, files: positionals };
}

const RECORDED = /\.(json|jsonl|ndjson)$/i;

/** The files named, folders walked recursively (sorted, so the input order is stable). */
async function listFiles(io: CliIO, names: string[], problems: InputProblem[]): Promise<string[]> {
  const out: string[] = [];
  const walk = async (shown: string, path: string, top: boolean): Promise<void> => {
    let info;
    try {
      info = await stat(path);
    } catch (err) {
      problems.push({
        where: shown,
        message: `cannot read (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
      });
      return;
    }
    if (!info.isDirectory()) {
      if (top || RECORDED.test(path)) out.push(shown);
      return;
    }
    for (const e of (await readdir(path)).sort()) await walk(join(shown, e), join(path, e), false);
  };
  for (const n of names) await walk(n, resolve(io.cwd, n), true);
  return out;
}

async function readRecords(
  io: CliIO,
  names: string[],
): Promise<{ records: Recorded[]; problems: InputProblem[]; files: number }> {
  const problems: InputProblem[] = [];
  const files = await listFiles(io, names, problems);
  const records: Recorded[] = [];
  for (const f of files) {
    let text: string;
    try {
      text = await readFile(resolve(io.cwd, f), 'utf8');
    } catch (err) {
      problems.push({ where: f, message: `cannot read (${(err as NodeJS.ErrnoException).code ?? 'error'})` });
      continue;
    }
    const parsed = parseRecordedText(f, text);
    records.push(...parsed.records);
    problems.push(...parsed.problems);
  }
  if (files.length === 0 && problems.length === 0)
    problems.push({ where: names.join(' '), message: 'no .json, .jsonl or .ndjson files' });
  return { records, problems, files: files.length };
}

/** Bad input: each problem on its own line; exit 2 unless --skip-bad skips it. */
function reportProblems(io: CliIO, problems: InputProblem[], skip: boolean): boolean {
  for (const p of problems) io.stderr.write(`${p.where}: ${p.message}${skip ? ' (skipped)' : ''}\n`);
  if (problems.length > 0 && !skip) {
    io.stderr.write(`calibrate: ${problems.length} bad input(s); fix them or pass --skip-bad\n`);
    return false;
  }
  return true;
}

async function writeOutputs(io: CliIO, flags: Flags, docs: { name: string; yaml: string }[]): Promise<void> {
  if (flags.out === undefined) {
    io.stdout.write(docs.map((d) => d.yaml).join('---\n'));
    return;
  }
  const target = resolve(io.cwd, flags.out);
  const isDir =
    flags.out.endsWith('/') ||
    (await stat(target).then(
      (s) => s.isDirectory(),
      () => false,
    ));
  if (!isDir && docs.length > 1) {
    throw new UsageError(
      `the input has ${docs.length} groups (${docs.map((d) => d.name).join(', ')}): give --out a folder`,
    );
  }
  for (const d of docs) {
    const file = isDir ? join(flags.out, `${d.name}.yaml`) : flags.out;
    const path = prepareOutputFile('out', file, io.cwd);
    await writeFile(path, d.yaml).catch((err: unknown) => {
      throw new UsageError(cannotWrite('out', file, err));
    });
    io.stderr.write(`wrote ${file}\n`);
  }
}

export async function run(argv: string[], io: CliIO = processIO()): Promise<number> {
  try {
    const parsed = parseFlags(argv);
    if (parsed === 'help') {
      io.stdout.write(calibrateUsage());
      return 0;
    }
    const { flags, files } = parsed;
    const input = await readRecords(io, files);
    if (!reportProblems(io, input.problems, flags.skipBad)) return 2;
    const opts: CalibrateOptions = {
      map: flags.map,
      seed: flags.seed,
      keepLabels: flags.keepLabels,
      files: input.files,
    };
    if (flags.business) opts.business = flags.business;
    const result = calibrate(input.records, opts);
    if (!reportProblems(io, result.problems, flags.skipBad)) return 2;
    if (result.groups.length === 0) {
      io.stderr.write(
        `calibrate: no calls in the input (${input.records.length} message(s)): nothing to fit\n`,
      );
      return 2;
    }
    if (flags.driftReport !== undefined) {
      const path = prepareOutputFile('drift-report', flags.driftReport, io.cwd);
      await writeFile(path, JSON.stringify(result.drift, null, 2) + '\n');
      io.stderr.write(`${driftLines(result.drift)[0]} (report: ${flags.driftReport})\n`);
    } else {
      io.stderr.write(driftLines(result.drift).join('\n') + '\n');
    }
    await writeOutputs(
      io,
      flags,
      result.groups.map((g) => ({ name: g.scenario.name!, yaml: g.yaml })),
    );
    return flags.strict && hasDrift(result.drift) ? 1 : 0;
  } catch (err) {
    if (err instanceof UsageError) return usageFailure(io, 'calibrate', err.message);
    throw err;
  }
}
