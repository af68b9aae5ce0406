/**
 * `airudder-emulator <command>`: dispatches to src/cli/commands/<command>.ts, each exporting
 * `run(argv: string[], io: CliIO): Promise<number>` (the exit code). Commands load lazily so
 * `validate` does not pay for express and `--version` loads none of them: keep this module's
 * static imports to node builtins and the small CLI helpers (a test checks the list).
 */
import { readFileSync } from 'node:fs';
import { PACKAGE_JSON } from '../assets.ts';
import { completeIO, type CliIO } from './io.ts';
import { didYouMean } from './suggest.ts';

type Command = { run(argv: string[], io: CliIO): Promise<number> };

const COMMANDS: Record<string, { summary: string; load: () => Promise<Command> }> = {
  serve: {
    summary: 'run the mock AIRUDDER API, admin API and dashboard',
    load: () => import('./commands/serve.ts'),
  },
  run: {
    summary: 'play a scenario end to end against your endpoint (CI)',
    load: () => import('./commands/run.ts'),
  },
  validate: {
    summary: 'check JSON files against the vendor message schemas',
    load: () => import('./commands/validate.ts'),
  },
  verify: {
    summary: 'throw tricky-but-valid payload variants at your endpoint',
    load: () => import('./commands/verify.ts'),
  },
  send: {
    summary: 'send one callback on demand (type, field overrides, target)',
    load: () => import('./commands/send.ts'),
  },
  schemas: {
    summary: 'export the JSON Schemas and an OpenAPI 3.1 document',
    load: () => import('./commands/schemas.ts'),
  },
  scenarios: { summary: 'list the shipped scenarios', load: () => import('./commands/scenarios.ts') },
  calibrate: {
    summary: 'fit a scenario to recorded callbacks (and report drift from the schemas)',
    load: () => import('./commands/calibrate.ts'),
  },
};

export function usage(): string {
  const rows = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`);
  return [
    'Usage: airudder-emulator <command> [options]',
    '',
    'Commands:',
    ...rows,
    '',
    'Options:',
    '  -v, --version  print the version',
    '  -h, --help     this text',
    '',
    'Run "airudder-emulator <command> --help" for a command\'s options.',
    '',
  ].join('\n');
}

/** The package version, from package.json. */
export function version(): string {
  return (JSON.parse(readFileSync(PACKAGE_JSON, 'utf8')) as { version: string }).version;
}

const TOP_FLAGS = ['--version', '--help'];

/**
 * Run the CLI with `argv` (without node and the script) against `io` (default: this process).
 * Resolves to the exit code; never calls process.exit.
 */
export async function main(argv: string[], io: Partial<CliIO> = {}): Promise<number> {
  const full = completeIO(io);
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-v') {
    full.stdout.write(`${version()}\n`);
    return 0;
  }
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    // `help <command>` is `<command> --help`.
    if (name === 'help' && rest[0] !== undefined && COMMANDS[rest[0]]) return main([rest[0], '--help'], full);
    (name === undefined ? full.stderr : full.stdout).write(usage());
    return name === undefined ? 2 : 0;
  }
  const cmd = COMMANDS[name];
  if (!cmd) {
    const message = name.startsWith('-')
      ? `unknown option ${name}${didYouMean(
          name.replace(/^-+/, ''),
          TOP_FLAGS.map((f) => f.slice(2)),
          (c) => `--${c}`,
        )}`
      : `unknown command "${name}"${didYouMean(name, Object.keys(COMMANDS))}`;
    full.stderr.write(`airudder-emulator: ${message}\n\n${usage()}`);
    return 2;
  }
  let mod: Command;
  try {
    mod = await cmd.load();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND') {
      full.stderr.write(`airudder-emulator: "${name}" is not available in this version\n`);
      return 2;
    }
    throw err;
  }
  return mod.run(rest, full);
}
