/**
 * `airudder-emulator <command>`: dispatches to src/cli/commands/<command>.ts, each exporting
 * `run(argv: string[]): Promise<number>` (the exit code). Commands load lazily so `validate`
 * does not pay for express.
 */
import { readFileSync } from 'node:fs';
import { PACKAGE_JSON } from '../assets.ts';

const COMMANDS: Record<
  string,
  { summary: string; load: () => Promise<{ run(argv: string[]): Promise<number> }> }
> = {
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
  schemas: {
    summary: 'export the JSON Schemas and an OpenAPI 3.1 document',
    load: () => import('./commands/schemas.ts'),
  },
  scenarios: { summary: 'list the shipped scenarios', load: () => import('./commands/scenarios.ts') },
};

export function usage(): string {
  const rows = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`);
  return `Usage: airudder-emulator <command> [options]\n\nCommands:\n${rows.join('\n')}\n\nRun "airudder-emulator <command> --help" for a command's options.\n`;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  // First, before anything else loads: `--version` is the cheapest command there is.
  if (name === '--version' || name === '-v') {
    process.stdout.write(
      `${(JSON.parse(readFileSync(PACKAGE_JSON, 'utf8')) as { version: string }).version}\n`,
    );
    return 0;
  }
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage());
    return name ? 0 : 2;
  }
  const cmd = COMMANDS[name];
  if (!cmd) {
    process.stderr.write(`airudder-emulator: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  let mod: { run(argv: string[]): Promise<number> };
  try {
    mod = await cmd.load();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND') {
      process.stderr.write(`airudder-emulator: "${name}" is not available in this version\n`);
      return 2;
    }
    throw err;
  }
  return mod.run(rest);
}
