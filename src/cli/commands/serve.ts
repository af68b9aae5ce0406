/**
 * `airudder-emulator serve`: the mock AIRUDDER API, admin API and built-in sink on one port.
 * Options come from flags, over an optional --config file (JSON or YAML), over defaults.
 * `--demo` (what `npm start` runs) loads the shipped scenarios, sends callbacks to the built-in
 * sink with its first two answers per delivery failing, runs a scaled clock (1 min = 1 s) and
 * starts a workflow, so calls, redials and retried deliveries show up without any setup — in the
 * dashboard at /__emulator/ and as one console line per delivery attempt (`--quiet` silences it).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SCENARIO_DIR } from '../../assets.ts';
import { parseArgs } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { CLOCK_SPEC_HELP, parseClockSpec } from '../../clock/index.ts';
import type { Account } from '../../http/auth.ts';
import { createActivityLog } from '../activity-log.ts';
import { createEmulator, type Emulator, type EmulatorOptions } from '../../server/emulator.ts';

export const DEFAULT_PORT = 4010;
export const DEMO_CLOCK = 'scaled:60';
/** The demo's scenario: no calling window (lively at any hour), redials and an API node. */
export const DEMO_SCENARIO = 'endpoint-misbehaving';

export function serveUsage(): string {
  return [
    'Usage: airudder-emulator serve [options]',
    '',
    'Runs the mock AIRUDDER Workflow API (/service/cloud/...), the admin API (/__emulator/...)',
    'and a built-in callback sink (/__emulator/sink/...).',
    '',
    'Options:',
    `  --port <n>           port to listen on (default ${DEFAULT_PORT}; 0 picks a free one)`,
    '  --host <addr>        address to bind (default 127.0.0.1)',
    `  --clock <spec>       ${CLOCK_SPEC_HELP} (default real; ${DEMO_CLOCK} with --demo)`,
    '  --seed <n>           root seed of every workflow (default 1)',
    '  --scenario <file>    scenario file providing workflow templates (repeatable;',
    '                       default: every shipped scenario)',
    '  --target <url>       send every callback here instead of the template URLs',
    '  --data-dir <dir>     keep an append-only journal there and resume from it',
    '  --config <file>      JSON or YAML file with any of these options (flags win), plus',
    '                       accounts [{appKey, appSecret}], aesKey, bodyLimitBytes',
    '  --demo               shipped scenarios, sink that fails twice per delivery, scaled clock,',
    '                       and a demo workflow started at once (what `npm start` runs)',
    '  --quiet              no activity log (one line per delivery attempt and workflow status)',
    '  -h, --help           show this help',
    '',
    'Default credentials: APPKey test-app-key, APPSecret test-app-secret.',
    '',
  ].join('\n');
}

interface ConfigFile {
  port?: number;
  host?: string;
  clock?: string;
  seed?: number;
  scenarios?: string[];
  target?: string;
  dataDir?: string;
  accounts?: Account[];
  aesKey?: string;
  bodyLimitBytes?: number;
  rotateTokenOnReauth?: boolean;
}

class UsageError extends Error {}

function readConfig(file: string): ConfigFile {
  const text = readFileSync(file, 'utf8');
  const value: unknown = /\.json$/i.test(file) ? JSON.parse(text) : parseYaml(text);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new UsageError(`--config ${file}: expected an object of options`);
  }
  return value as ConfigFile;
}

function int(name: string, text: string | undefined, min: number, max: number): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new UsageError(`--${name} must be an integer ${min}-${max} (got "${text}")`);
  return n;
}

export function shippedScenarios(): string[] {
  return readdirSync(SCENARIO_DIR)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => join(SCENARIO_DIR, f));
}

/** Flags + config → emulator options. Throws UsageError for bad flags. */
export function serveOptions(argv: string[]): { options: EmulatorOptions; demo: boolean; quiet: boolean } {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      clock: { type: 'string' },
      seed: { type: 'string' },
      scenario: { type: 'string', multiple: true },
      target: { type: 'string' },
      'data-dir': { type: 'string' },
      config: { type: 'string' },
      demo: { type: 'boolean', default: false },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) throw new HelpRequested();
  const cfg = values.config ? readConfig(values.config) : {};
  const demo = values.demo ?? false;
  const clock = values.clock ?? cfg.clock ?? (demo ? DEMO_CLOCK : 'real');
  try {
    parseClockSpec(clock);
  } catch (err) {
    throw new UsageError(`--clock: ${(err as Error).message}`);
  }
  const target = values.target ?? cfg.target;
  if (target !== undefined && !/^https?:\/\/[^\s]+$/.test(target))
    throw new UsageError(`--target must be an http(s) URL (got "${target}")`);
  const scenarios = values.scenario ?? cfg.scenarios?.map((s) => resolve(s)) ?? shippedScenarios();
  const options: EmulatorOptions = {
    port: int('port', values.port, 0, 65535) ?? cfg.port ?? DEFAULT_PORT,
    host: values.host ?? cfg.host ?? '127.0.0.1',
    clock,
    seed: int('seed', values.seed, 0, 0xffffffff) ?? cfg.seed,
    scenarios,
    target,
    dataDir: values['data-dir'] ?? cfg.dataDir,
    accounts: cfg.accounts,
    aesKey: cfg.aesKey,
    bodyLimitBytes: cfg.bodyLimitBytes,
    rotateTokenOnReauth: cfg.rotateTokenOnReauth,
  };
  if (demo) {
    options.sink = { mode: 'fail', status: 503, failFirst: 2 };
    options.onStarted = (emu) => {
      // Only on a fresh start: a resumed journal already has its demo workflow.
      if (emu.store.listWorkflows().length === 0) emu.trigger(DEMO_SCENARIO);
    };
  }
  return { options, demo, quiet: values.quiet ?? false };
}

class HelpRequested extends Error {}

function banner(emu: Emulator, demo: boolean, dataDir: string | undefined): string {
  const lines = [
    `airudder-emulator listening on ${emu.url}`,
    '',
    `  Vendor API   ${emu.url}/service/cloud  (POST /service/cloud/auth first)`,
    `  Credentials  APPKey ${emu.credentials.appKey}   APPSecret ${emu.credentials.appSecret}`,
    `  Admin API    ${emu.adminUrl}  (GET ${emu.adminUrl}/health)`,
    `  Dashboard    ${emu.adminUrl}/  (open it in a browser)`,
    `  Sink         ${emu.adminUrl}/sink/<name>  (received: GET ${emu.adminUrl}/sink)`,
    `  Clock        ${emu.clock.mode}, now ${new Date(emu.clock.now()).toISOString()}`,
    `  Persistence  ${dataDir ? `journal in ${dataDir}` : 'in memory'}`,
  ];
  if (emu.recovered.entries > 0) {
    lines.push(
      `  Resumed      ${emu.recovered.entries} journal entries, ${emu.recovered.resumedDeliveries} pending deliveries` +
        (emu.recovered.skipped > 0 ? ` (${emu.recovered.skipped} torn line skipped)` : ''),
    );
  }
  if (demo) {
    lines.push(
      '',
      `Demo: workflow "${DEMO_SCENARIO}" is running (1 clock minute = 1 s). The sink fails the first`,
      'two attempts of every delivery with 503, so each callback is retried a minute later.',
      `Watch: ${emu.adminUrl}/ in a browser, or the activity below.`,
    );
  }
  lines.push('', 'Ctrl-C stops (attempts in flight finish first; pending ones resume with --data-dir).', '');
  return lines.join('\n');
}

export async function run(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof serveOptions>;
  try {
    parsed = serveOptions(argv);
  } catch (err) {
    if (err instanceof HelpRequested) {
      process.stdout.write(serveUsage());
      return 0;
    }
    process.stderr.write(`airudder-emulator serve: ${(err as Error).message}\n\n${serveUsage()}`);
    return 2;
  }
  let emu: Emulator | undefined;
  // Lines from before the banner is printed wait for it.
  let held: string[] | null = [];
  const write = (line: string) => (held ? held.push(line) : process.stdout.write(line));
  if (!parsed.quiet) {
    parsed.options.onEvent = createActivityLog(write, {
      now: () => emu?.clock.now() ?? 0,
      timeZoneOf: (id) => (id === undefined ? undefined : emu?.store.workflow(id)?.timeZone),
    });
  }
  try {
    emu = await createEmulator(parsed.options);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why = e.code === 'EADDRINUSE' ? `port ${parsed.options.port} is in use (try --port 0)` : e.message;
    process.stderr.write(`airudder-emulator serve: ${why}\n`);
    return 1;
  }
  process.stdout.write(banner(emu, parsed.demo, parsed.options.dataDir));
  if (!parsed.quiet) process.stdout.write('Activity (clock time in the account time zone):\n');
  for (const line of held) process.stdout.write(line);
  held = null;
  const started = emu;
  return new Promise<number>((resolveExit) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      process.stdout.write(`\n${signal}: stopping…\n`);
      started.close().then(
        () => resolveExit(0),
        (err: unknown) => {
          process.stderr.write(`airudder-emulator serve: ${(err as Error).message}\n`);
          resolveExit(1);
        },
      );
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
}
