/**
 * `airudder-emulator send <type> --target <url> [--set path=value…]`: one callback on demand, the
 * `stripe trigger` of this tool. Standalone (no server): builds the emulation core in-process and
 * sends through its delivery service — the vendor's retry policy on a virtual clock, so retries
 * a minute apart take no waiting — then prints the request and every answer. The same core
 * function answers the admin API's `POST /__emulator/callbacks` and the library's `emu.send`.
 * Exit code: 0 delivered, 1 not delivered (retries used up), 2 usage error or refused options.
 */
import type { ParseArgsConfig } from 'node:util';
import { createClock } from '../../clock/index.ts';
import { CALLBACK_TYPES } from '../../contract/callbacks.ts';
import { VendorError } from '../../core/vendor-errors.ts';
import { RunConfigError } from '../../delivery/scenario-config.ts';
import type { DeliveryRecord } from '../../delivery/types.ts';
import { createEmulation } from '../../emulation/emulation.ts';
import type { LoadedScenario } from '../../emulation/ports.ts';
import { loadScenario } from '../../emulation/scenarios.ts';
import { parseAssignment, type SendOptions } from '../../emulation/send.ts';
import { UnknownScenarioError } from '../../scenario/catalog.ts';
import { ScenarioError } from '../../scenario/load.ts';
import { MemoryStore } from '../../store/memory-store.ts';
import { parseCommandArgs, parseHttpUrl, parseInteger, UsageError, usageFailure } from '../args.ts';
import { processIO, type CliIO } from '../io.ts';
import { resolveScenarioArg } from '../scenario-arg.ts';

/** The seed when none is given: the library's default, so both give the same bytes. */
export const DEFAULT_SEND_SEED = 1;

export const SEND_USAGE = `Usage: airudder-emulator send <type> --target <url> [options]

Sends one callback of <type> (${CALLBACK_TYPES.join(', ')}) to <url>: a
real payload from the engine (a shipped scenario that sends the type, played with the seed; the
schema's example for chatbot-session-end) with your overrides, checked against the type's schema,
signed and retried as campaign callbacks are. Prints the request and every answer.
Exit code: 0 delivered, 1 not delivered (retries used up), 2 usage error or refused override.

Options:
  --target <url>        where to POST it (required)
  --set <path=value>    override a field (repeatable): call.intention=PTP, details[0].ring_type=busy;
                        the value is JSON when it parses (numbers, null, objects), else text
  --allow-invalid       send it even when an override breaks the schema (negative tests)
  --scenario <name>     take the base payload from this scenario (a file or a shipped name)
  --seed <n>            seed of the scenario run (default ${DEFAULT_SEND_SEED}, the library's: same bytes)
  --no-retry            one attempt only (default: the vendor's 5 retries, 1 min apart on a virtual
                        clock, so no real waiting)
  --timeout-ms <n>      real ms the receiver has to answer each attempt (default 10000, the vendor's)
  --no-debug-headers    omit X-Emulator-Delivery-Id / X-Emulator-Attempt
  -h, --help            this text
`;

const options = {
  target: { type: 'string' },
  set: { type: 'string', multiple: true },
  'allow-invalid': { type: 'boolean' },
  scenario: { type: 'string' },
  seed: { type: 'string' },
  'no-retry': { type: 'boolean' },
  'timeout-ms': { type: 'string' },
  'no-debug-headers': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies NonNullable<ParseArgsConfig['options']>;

interface Parsed {
  send: SendOptions;
  seed: number;
  noRetry: boolean;
  timeoutMs?: number;
  debugHeaders: boolean;
  scenarioRef?: string;
}

function parse(argv: string[]): Parsed | 'help' {
  const { values, positionals } = parseCommandArgs({
    args: argv,
    options,
    allowPositionals: true,
    strict: true,
  });
  if (values.help) return 'help';
  if (positionals.length !== 1) {
    throw new UsageError(positionals.length === 0 ? 'missing <type>' : 'one callback type at a time');
  }
  if (values.target === undefined) throw new UsageError('--target <url> is required');
  const set = values.set ?? [];
  // Checked here too, so a bad override is a usage error before anything is built.
  for (const line of set) parseOverride(line);
  const out: Parsed = {
    send: {
      type: positionals[0] as SendOptions['type'],
      set,
      target: parseHttpUrl('--target', values.target),
    },
    seed: values.seed !== undefined ? parseInteger('--seed', values.seed, 0, 0xffffffff) : DEFAULT_SEND_SEED,
    noRetry: values['no-retry'] === true,
    debugHeaders: values['no-debug-headers'] !== true,
  };
  if (values['allow-invalid']) out.send.allowInvalid = true;
  if (values.scenario !== undefined) out.scenarioRef = values.scenario;
  if (values['timeout-ms'] !== undefined) {
    out.timeoutMs = parseInteger('--timeout-ms', values['timeout-ms'], 1, 3_600_000);
  }
  return out;
}

function parseOverride(line: string): void {
  try {
    parseAssignment(line);
  } catch (err) {
    if (err instanceof VendorError) throw new UsageError(`--set ${err.message.replace(/^send: /, '')}`);
    throw err;
  }
}

/** The scenario named by --scenario, loaded (with --no-retry winning over its own retries). */
function scenarioOf(p: Parsed, cwd: string): LoadedScenario[] {
  if (p.scenarioRef === undefined) return [];
  const loaded = loadScenario(resolveScenarioArg(p.scenarioRef, cwd));
  if (p.noRetry && loaded.scenario.delivery) {
    loaded.scenario = { ...loaded.scenario, delivery: { ...loaded.scenario.delivery, max_retries: 0 } };
  }
  p.send.scenario = loaded.name;
  return [loaded];
}

function printRequest(io: CliIO, d: DeliveryRecord): void {
  const headers = Object.entries(d.headers).map(([k, v]) => `${k}: ${v}`);
  io.stdout.write(`POST ${d.url}\n${headers.join('\n')}\n\n${d.body}\n\n`);
}

function printAnswers(io: CliIO, d: DeliveryRecord): void {
  for (const a of d.attempts) {
    const what =
      a.status !== undefined ? `HTTP ${a.status}` : `${a.error}${a.message ? ` (${a.message})` : ''}`;
    const body = a.response ? ` ${a.response}` : '';
    io.stdout.write(`attempt ${a.n}: ${what}, ${a.latencyMs} ms${body}\n`);
  }
  const n = d.attempts.length;
  io.stdout.write(
    `${d.outcome === 'delivered' ? 'delivered' : `not delivered (${d.outcome})`} after ${n} attempt${n === 1 ? '' : 's'}\n`,
  );
}

function refused(io: CliIO, err: unknown): number | undefined {
  if (err instanceof VendorError) {
    io.stderr.write(`airudder-emulator send: ${err.message.replace(/^send: /, '')}\n`);
    for (const i of err.issues ?? []) io.stderr.write(`  ${i.path}: ${i.message}\n`);
    return 2;
  }
  if (err instanceof UnknownScenarioError || err instanceof ScenarioError || err instanceof RunConfigError) {
    io.stderr.write(`airudder-emulator send: ${err.message}\n`);
    return 2;
  }
  return undefined;
}

export async function run(argv: string[], io: CliIO = processIO()): Promise<number> {
  let p: Parsed | 'help';
  try {
    p = parse(argv);
  } catch (err) {
    if (err instanceof UsageError) return usageFailure(io, 'send', err.message);
    throw err;
  }
  if (p === 'help') {
    io.stdout.write(SEND_USAGE);
    return 0;
  }
  let core: ReturnType<typeof createEmulation> | undefined;
  try {
    core = createEmulation({
      clock: createClock('virtual'),
      seed: p.seed,
      store: new MemoryStore(),
      scenarios: scenarioOf(p, io.cwd),
      delivery: {
        debugHeaders: p.debugHeaders,
        ...(p.noRetry ? { maxRetries: 0 } : {}),
        ...(p.timeoutMs !== undefined ? { timeoutMs: p.timeoutMs } : {}),
      },
    });
    const d = core.api.send(p.send);
    printRequest(io, d);
    await core.api.idle();
    printAnswers(io, d);
    return d.outcome === 'delivered' ? 0 : 1;
  } catch (err) {
    const code = refused(io, err);
    if (code !== undefined) return code;
    throw err;
  } finally {
    core?.close();
  }
}
