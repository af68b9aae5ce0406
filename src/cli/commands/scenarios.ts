/**
 * `airudder-emulator scenarios [--json]`: list the shipped scenarios (scenarios/*.yaml) with a
 * one-line description each.
 */
import { listScenarios } from '../../scenario/catalog.ts';
import { ScenarioError } from '../../scenario/load.ts';
import { parseCommandArgs, UsageError, usageFailure } from '../args.ts';
import { processIO, type CliIO } from '../io.ts';

const HELP = `Usage: airudder-emulator scenarios [--json]

List the scenarios shipped in scenarios/ with a one-line description each.
Run one with: airudder-emulator run <name> --target <url>

Options:
  --json     machine-readable output: [{name, file, description, business, contacts}]
  -h, --help show this help
`;

export async function run(argv: string[], io: CliIO = processIO()): Promise<number> {
  let values: { json?: boolean; help?: boolean };
  try {
    ({ values } = parseCommandArgs({
      args: argv,
      strict: true,
      options: { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: false,
    }));
  } catch (err) {
    if (err instanceof UsageError) return usageFailure(io, 'scenarios', err.message);
    throw err;
  }
  if (values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  let list;
  try {
    list = listScenarios();
  } catch (err) {
    if (err instanceof ScenarioError) {
      io.stderr.write(`${err.message}\n`);
      return 1;
    }
    throw err;
  }
  if (values.json) {
    io.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
    return 0;
  }
  const width = Math.max(...list.map((s) => s.name.length), 4);
  const lines = list.map((s) => `  ${s.name.padEnd(width)}  ${s.description}`);
  io.stdout.write(`Shipped scenarios (${list.length}):\n${lines.join('\n')}\n`);
  return 0;
}
