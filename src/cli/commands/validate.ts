/**
 * `airudder-emulator validate <file.json>... [--type <message>]`: checks JSON files against the
 * vendor message schemas. Exit 0 when every file conforms, 1 when any does not, 2 on a usage
 * error, an unknown --type, an unreadable file or invalid JSON (worst code wins, every file is
 * still reported).
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { detectMessage } from '../../contract/detect.ts';
import { parseJson } from '../../contract/parse-json.ts';
import { schemas } from '../../contract/registry.ts';
import { parseCommandArgs, UsageError, usageFailure } from '../args.ts';
import { processIO, type CliIO } from '../io.ts';
import { didYouMean } from '../suggest.ts';

/**
 * `common` holds shared definitions only, and scenario files are YAML with their own checker
 * (file:line:column); neither is a vendor message.
 */
const NOT_MESSAGES = new Set(['common', 'scenario', 'serve-config']);

function messageNames(): string[] {
  return schemas()
    .names()
    .filter((n) => !NOT_MESSAGES.has(n));
}

export function validateUsage(): string {
  return [
    'Usage: airudder-emulator validate <file.json>... [--type <message>]',
    '',
    'Checks each JSON file against the AIRUDDER message schemas (schemas/*.schema.json).',
    'Without --type, the message is detected from its shape and the choice is printed.',
    '',
    'Options:',
    '  -t, --type <message>  check every file against this schema',
    '  -h, --help            show this help',
    '',
    'Exit codes: 0 all files conform, 1 a file does not conform,',
    '            2 usage error, unknown --type, unreadable file or invalid JSON.',
    '',
    `Messages: ${messageNames().join(', ')}`,
    '',
  ].join('\n');
}

type Outcome = 0 | 1 | 2;

async function checkFile(io: CliIO, file: string, type: string | undefined): Promise<Outcome> {
  let text: string;
  try {
    text = await readFile(resolve(io.cwd, file), 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    io.stderr.write(`${file}: cannot read file (${code})\n`);
    return 2;
  }
  const parsed = parseJson(text);
  if (!parsed.ok) {
    io.stderr.write(`${file}:${parsed.line}:${parsed.column}: invalid JSON: ${parsed.message}\n`);
    return 2;
  }
  let name = type;
  let how = '';
  if (name === undefined) {
    const found = detectMessage(parsed.value);
    if (!found) {
      io.stdout.write(
        `${file}: FAIL (unknown message: no schema matches its shape; pass --type <message>)\n`,
      );
      return 1;
    }
    name = found.name;
    how = ` (detected from ${found.reason})`;
  }
  const result = schemas().validate(name, parsed.value);
  if (result.ok) {
    io.stdout.write(`${file}: ok ${name}${how}\n`);
    return 0;
  }
  const lines = [
    `${file}: FAIL ${name}${how}`,
    ...result.errors.map((e) => `${file}: ${e.path} ${e.message}`),
  ];
  io.stdout.write(lines.join('\n') + '\n');
  return 1;
}

export async function run(argv: string[], io: CliIO = processIO()): Promise<number> {
  let values: { type?: string; help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseCommandArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: { type: { type: 'string', short: 't' }, help: { type: 'boolean', short: 'h' } },
    }));
    if (values.help) {
      io.stdout.write(validateUsage());
      return 0;
    }
    if (positionals.length === 0) throw new UsageError('no file given');
    if (values.type !== undefined && !messageNames().includes(values.type)) {
      throw new UsageError(
        `unknown --type "${values.type}"${didYouMean(values.type, messageNames())} (known: ${messageNames().join(', ')})`,
      );
    }
  } catch (err) {
    if (err instanceof UsageError) return usageFailure(io, 'validate', err.message);
    throw err;
  }
  let worst: Outcome = 0;
  // One file at a time so the output order is the argument order.
  for (const file of positionals) {
    const outcome = await checkFile(io, file, values.type);
    if (outcome > worst) worst = outcome;
  }
  return worst;
}
