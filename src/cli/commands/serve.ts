/**
 * `airudder-emulator serve`: the mock AIRUDDER API, admin API and built-in sink on one port.
 * Options come from flags, over AIRUDDER_EMULATOR_* environment variables (as containers and CI
 * services set them), over an optional --config file (JSON or YAML, checked against
 * schemas/serve-config.schema.json), over defaults.
 * `--demo` (what `npm start` runs) loads the shipped scenarios, sends callbacks to the built-in
 * sink, runs a scaled clock (1 min = 1 s) and starts the `endpoint-misbehaving` workflow, whose
 * `receiver:` section has the sink fail the first two answers per delivery, so calls, redials and retried deliveries show up without any setup — in the
 * dashboard at /__emulator/ and as one console line per delivery attempt (`--quiet` silences it).
 */
import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { CLOCK_SPEC_HELP, parseClockSpec } from '../../clock/index.ts';
import { aesKeyProblem } from '../../core/aes.ts';
import { isAllowedHostName } from '../../core/option-checks.ts';
import { parseVendorTime } from '../../core/vendor-time.ts';
import { CALLBACK_TYPES, type CallbackType } from '../../contract/callbacks.ts';
import type { ServeConfig } from '../../generated/types.ts';
import { scenarioFiles, UnknownScenarioError } from '../../scenario/catalog.ts';
import { ScenarioError } from '../../scenario/load.ts';
import { deliveryProblems } from '../../scenario/delivery-check.ts';
import { RunConfigError } from '../../delivery/scenario-config.ts';
import { JournalDamagedError } from '../../store/journal.ts';
import {
  createEmulator,
  type Emulator,
  type EmulatorDeliveryOptions,
  type EmulatorOptions,
} from '../../server/emulator.ts';
import { createActivityLog } from '../activity-log.ts';
import {
  parseClockOption,
  parseCommandArgs,
  parseHttpUrl,
  parseInteger,
  UsageError,
  usageFailure,
} from '../args.ts';
import { faultRuleProblems } from '../../http/faults.ts';
import { ConfigFileError, loadConfigFile, type ConfigIssue } from '../config-file.ts';
import { cryptoSeed, processIO, type CliIO } from '../io.ts';
import { resolveScenarioArg } from '../scenario-arg.ts';

export const DEFAULT_PORT = 4010;
export const DEFAULT_HOST = '127.0.0.1';
export const DEMO_CLOCK = 'scaled:60';
/** The demo's scenario: no calling window (lively at any hour), redials and an API node. */
export const DEMO_SCENARIO = 'endpoint-misbehaving';
const MAX_SEED = 0xffffffff;

/** The environment variables serve reads (between the flags and the config file). */
export const SERVE_ENV = {
  port: 'AIRUDDER_EMULATOR_PORT',
  host: 'AIRUDDER_EMULATOR_HOST',
  target: 'AIRUDDER_EMULATOR_TARGET',
  seed: 'AIRUDDER_EMULATOR_SEED',
  clock: 'AIRUDDER_EMULATOR_CLOCK',
  dataDir: 'AIRUDDER_EMULATOR_DATA_DIR',
  startTime: 'AIRUDDER_EMULATOR_START_TIME',
  allowedHosts: 'AIRUDDER_EMULATOR_ALLOWED_HOSTS',
} as const;

export function serveUsage(): string {
  return [
    'Usage: airudder-emulator serve [options]',
    '',
    'Runs the mock AIRUDDER Workflow API (/service/cloud/...), the admin API (/__emulator/...)',
    'and a built-in callback sink (/__emulator/sink/...).',
    '',
    'Options:',
    `  --port <n>           port to listen on (default ${DEFAULT_PORT}; 0 picks a free one)`,
    `  --host <addr>        address to bind (default ${DEFAULT_HOST})`,
    `  --clock <spec>       ${CLOCK_SPEC_HELP} (default real; ${DEMO_CLOCK} with --demo)`,
    '  --seed <n>           root seed of every workflow (default: a fresh one per start, printed in',
    "                       the banner; give it to repeat a session's ids and data)",
    '  --scenario <ref>     scenario file or shipped scenario name providing workflow templates',
    '                       (repeatable; default: every shipped scenario)',
    '  --target <url>       send every callback here instead of the template URLs',
    '  --target-<type> <url>  send one message type here (wins over --target; as run)',
    '  --data-dir <dir>     keep an append-only journal there and resume from it',
    '  --repair             start over a damaged journal: drop the damaged lines and what depended',
    '                       on them, rewrite it (the old one kept as journal.before-repair.jsonl)',
    '                       and print what was lost (without it a damaged line stops the start)',
    '  --allowed-hosts <h,h>  Host names the admin API answers besides loopback and the bound',
    '                       address (default none; * for any): a container or proxy needs it',
    '  --start-time <time>  clock time at start: ISO-8601 or "YYYY-MM-DD HH:mm:ss" (UTC);',
    '                       default the host time; over a journal never before its last instant',
    '  --no-debug-headers   omit X-Emulator-Delivery-Id / X-Emulator-Attempt (byte-exact vendor requests)',
    "  --timeout-ms <n>     real ms a receiver has to answer each attempt (default 10000, the vendor's):",
    "                       --config's delivery.timeoutMs; a scenario's delivery.timeout_ms wins for",
    '                       its templates',
    '  --config <file>      JSON or YAML file with any of these options in camelCase (port, host,',
    '                       clock, seed, scenarios, target, targets {<type>: <url>}, dataDir) plus',
    '                       accounts [{appKey, appSecret}], aesKey, bodyLimitBytes,',
    "                       rotateTokenOnReauth, delivery (a scenario's delivery: section in",
    '                       camelCase, for every template), requestLogSize, maxRowsPerWorkflow',
    '                       (most list rows a workflow takes, default 10000) and faults [{route,',
    '                       status, code, message, delayMs, drop, probability, times}] (fault rules',
    '                       on the vendor API) (schema: schemas/serve-config.schema.json)',
    '  --demo               shipped scenarios, scaled clock, and the endpoint-misbehaving workflow',
    '                       started at once: the sink fails twice per delivery, as its scenario',
    '                       says (what `npm start` runs)',
    '  --quiet              no activity log (one line per delivery attempt and workflow status)',
    '  -h, --help           show this help',
    '',
    'Environment (flags win over these, these over --config):',
    `  ${SERVE_ENV.port.padEnd(28)} --port`,
    `  ${SERVE_ENV.host.padEnd(28)} --host`,
    `  ${SERVE_ENV.target.padEnd(28)} --target`,
    `  ${SERVE_ENV.seed.padEnd(28)} --seed`,
    `  ${SERVE_ENV.clock.padEnd(28)} --clock`,
    `  ${SERVE_ENV.dataDir.padEnd(28)} --data-dir`,
    `  ${SERVE_ENV.startTime.padEnd(28)} --start-time`,
    `  ${SERVE_ENV.allowedHosts.padEnd(28)} --allowed-hosts`,
    '',
    'Default credentials: APPKey test-app-key, APPSecret test-app-secret.',
    'Exit code: 0 stopped by SIGINT/SIGTERM, 1 could not start, 2 usage, config or scenario error.',
    '',
  ].join('\n');
}

/** Every shipped scenario file (absolute paths), sorted. */
export function shippedScenarios(): string[] {
  return scenarioFiles();
}

class HelpRequested extends Error {}

/** The serve options one source (flags, environment, config file) sets. */
interface Layer {
  port?: number;
  host?: string;
  clock?: string;
  seed?: number;
  scenarios?: string[];
  target?: string;
  /** Per message type (`--target-<type>`, config `targets`). */
  targets?: Partial<Record<CallbackType, string>>;
  dataDir?: string;
  startTime?: number;
  allowedHosts?: string[];
}

/** `a.example,b.example` → the names, each checked like the library's `allowedHosts`. */
function allowedHostsOption(source: string, value: string): string[] {
  const hosts = value
    .split(',')
    .map((h) => h.trim())
    .filter((h) => h !== '');
  if (hosts.length === 0 || !hosts.every(isAllowedHostName)) {
    throw new UsageError(
      `${source} must be a comma-separated list of host names such as myhost.local or * (got "${value}")`,
    );
  }
  return hosts;
}

/** A start time: ISO-8601, or "YYYY-MM-DD HH:mm:ss" read in UTC (serve has no one account zone). */
function parseStart(value: string): number | undefined {
  return parseVendorTime(value.trim(), 'UTC') ?? undefined;
}
const START_TIME_HELP = 'expected ISO-8601 or "YYYY-MM-DD HH:mm:ss" (UTC)';

function startTimeOption(source: string, value: string): number {
  const t = parseStart(value);
  if (t === undefined) throw new UsageError(`${source}: invalid start time "${value}" (${START_TIME_HELP})`);
  return t;
}

/** Why `path` cannot be a data folder (it exists and is something else), or undefined. */
function notAFolder(path: string, shown: string): string | undefined {
  const st = statSync(path, { throwIfNoEntry: false });
  return st && !st.isDirectory() ? `must be a directory (${JSON.stringify(shown)} is a file)` : undefined;
}

/** A data folder from a flag or variable, resolved against `cwd`. */
function dataDirOption(source: string, value: string, cwd: string): string {
  const path = resolve(cwd, value);
  const problem = notAFolder(path, value);
  if (problem !== undefined) throw new UsageError(`${source} ${problem}`);
  return path;
}

/** AIRUDDER_EMULATOR_*; an empty variable counts as unset. Relative paths are from `cwd`. */
function envLayer(env: CliIO['env'], cwd: string): Layer {
  const get = (name: string): string | undefined => (env[name] === '' ? undefined : env[name]);
  const layer: Layer = {};
  const port = get(SERVE_ENV.port);
  if (port !== undefined) layer.port = parseInteger(SERVE_ENV.port, port, 0, 65535);
  const host = get(SERVE_ENV.host);
  if (host !== undefined) layer.host = host;
  const target = get(SERVE_ENV.target);
  if (target !== undefined) layer.target = parseHttpUrl(SERVE_ENV.target, target);
  const seed = get(SERVE_ENV.seed);
  if (seed !== undefined) layer.seed = parseInteger(SERVE_ENV.seed, seed, 0, MAX_SEED);
  const clock = get(SERVE_ENV.clock);
  if (clock !== undefined) layer.clock = parseClockOption(SERVE_ENV.clock, clock);
  const dataDir = get(SERVE_ENV.dataDir);
  if (dataDir !== undefined) layer.dataDir = dataDirOption(SERVE_ENV.dataDir, dataDir, cwd);
  const startTime = get(SERVE_ENV.startTime);
  if (startTime !== undefined) layer.startTime = startTimeOption(SERVE_ENV.startTime, startTime);
  const allowedHosts = get(SERVE_ENV.allowedHosts);
  if (allowedHosts !== undefined)
    layer.allowedHosts = allowedHostsOption(SERVE_ENV.allowedHosts, allowedHosts);
  return layer;
}

/** `--target-<type>` flags, checked; undefined when none is given. */
function typeTargets(values: Record<string, unknown>): Layer['targets'] {
  const out: NonNullable<Layer['targets']> = {};
  for (const t of CALLBACK_TYPES) {
    const url = values[`target-${t}`];
    if (typeof url === 'string') out[t] = parseHttpUrl(`--target-${t}`, url);
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** A scenario flag: a file relative to `cwd`, or a shipped name. */
function scenarioFlag(ref: string, cwd: string): string {
  try {
    return resolveScenarioArg(ref, cwd);
  } catch (err) {
    if (err instanceof UnknownScenarioError) throw new UsageError(`--scenario: ${err.message}`);
    throw err;
  }
}

/**
 * The --config file, valid against schemas/serve-config.schema.json and checked beyond it (clock
 * factor, URL, AES key length, scenarios that exist); paths resolved against the file's folder.
 */
function configLayer(file: string, displayName: string): Layer & Omit<ServeConfig, keyof Layer> {
  const cfg = loadConfigFile(file, displayName, 'serve-config', {
    patternHints: {
      clock: `one of ${CLOCK_SPEC_HELP}`,
      target: 'an http(s) URL',
      ...Object.fromEntries(CALLBACK_TYPES.map((t) => [`targets.${t}`, 'an http(s) URL'])),
    },
  });
  const v = cfg.value;
  const dir = dirname(file);
  const issues: ConfigIssue[] = [];
  if (v.clock !== undefined) {
    try {
      parseClockSpec(v.clock);
    } catch {
      issues.push(cfg.at(['clock'], `must be one of ${CLOCK_SPEC_HELP} (got ${JSON.stringify(v.clock)})`));
    }
  }
  if (v.target !== undefined) {
    try {
      new URL(v.target);
    } catch {
      issues.push(cfg.at(['target'], `must be an http(s) URL (got ${JSON.stringify(v.target)})`));
    }
  }
  for (const [type, url] of Object.entries(v.targets ?? {})) {
    try {
      new URL(url);
    } catch {
      issues.push(cfg.at(['targets', type], `must be an http(s) URL (got ${JSON.stringify(url)})`));
    }
  }
  const aesProblem = v.aesKey === undefined ? undefined : aesKeyProblem(v.aesKey);
  if (aesProblem !== undefined) issues.push(cfg.at(['aesKey'], aesProblem));
  // As the library checks its `delivery` option, in the same words (src/scenario/delivery-check.ts).
  for (const p of deliveryProblems(v.delivery, 'camel')) {
    issues.push(cfg.at(['delivery', ...p.segments], p.message));
  }
  // As POST /__emulator/faults checks a rule, in the same words (src/http/faults.ts).
  (v.faults ?? []).forEach((rule, i) => {
    for (const p of faultRuleProblems(rule)) issues.push(cfg.at(['faults', i, ...p.segments], p.message));
  });
  let startTime: number | undefined;
  if (v.startTime !== undefined) {
    startTime = parseStart(v.startTime);
    if (startTime === undefined) {
      issues.push(
        cfg.at(
          ['startTime'],
          `must be ISO-8601 or "YYYY-MM-DD HH:mm:ss" (UTC) (got ${JSON.stringify(v.startTime)})`,
        ),
      );
    }
  }
  const dataDir = v.dataDir === undefined ? undefined : resolve(dir, v.dataDir);
  const dataDirProblem = dataDir === undefined ? undefined : notAFolder(dataDir, v.dataDir!);
  if (dataDirProblem !== undefined) issues.push(cfg.at(['dataDir'], dataDirProblem));
  const scenarios = v.scenarios?.map((ref, i) => {
    try {
      return resolveScenarioArg(ref, dir);
    } catch (err) {
      if (!(err instanceof UnknownScenarioError)) throw err;
      issues.push({ ...cfg.at(['scenarios', i], `scenarios[${i}]: ${err.message}`), path: '' });
      return ref;
    }
  });
  if (issues.length > 0) throw new ConfigFileError(issues.sort((a, b) => a.line - b.line || a.col - b.col));
  return { ...v, scenarios, dataDir, startTime };
}

/**
 * Flags > environment > config file > defaults → emulator options. Throws UsageError (bad flag
 * or variable), ConfigFileError (bad config file) or HelpRequested.
 */
export function serveOptions(
  argv: string[],
  io: CliIO = processIO(),
): { options: EmulatorOptions; demo: boolean; quiet: boolean; seedPicked: boolean } {
  const { values } = parseCommandArgs({
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
      ...Object.fromEntries(CALLBACK_TYPES.map((t) => [`target-${t}`, { type: 'string' as const }])),
      'data-dir': { type: 'string' },
      repair: { type: 'boolean', default: false },
      'start-time': { type: 'string' },
      'allowed-hosts': { type: 'string' },
      'no-debug-headers': { type: 'boolean', default: false },
      'timeout-ms': { type: 'string' },
      config: { type: 'string' },
      demo: { type: 'boolean', default: false },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) throw new HelpRequested();
  const flags: Layer = {
    port: values.port === undefined ? undefined : parseInteger('--port', values.port, 0, 65535),
    host: values.host,
    clock: values.clock === undefined ? undefined : parseClockOption('--clock', values.clock),
    seed: values.seed === undefined ? undefined : parseInteger('--seed', values.seed, 0, MAX_SEED),
    scenarios: values.scenario?.map((ref) => scenarioFlag(ref, io.cwd)),
    target: values.target === undefined ? undefined : parseHttpUrl('--target', values.target),
    targets: typeTargets(values as Record<string, unknown>),
    dataDir:
      values['data-dir'] === undefined ? undefined : dataDirOption('--data-dir', values['data-dir'], io.cwd),
    startTime:
      values['start-time'] === undefined ? undefined : startTimeOption('--start-time', values['start-time']),
    allowedHosts:
      values['allowed-hosts'] === undefined
        ? undefined
        : allowedHostsOption('--allowed-hosts', values['allowed-hosts']),
  };
  const env = envLayer(io.env, io.cwd);
  const cfg = values.config === undefined ? {} : configLayer(resolve(io.cwd, values.config), values.config);
  const pick = <K extends keyof Layer>(k: K): Layer[K] => flags[k] ?? env[k] ?? cfg[k];
  const demo = values.demo;
  const given = { seed: pick('seed') };
  const timeoutMs =
    values['timeout-ms'] === undefined
      ? undefined
      : parseInteger('--timeout-ms', values['timeout-ms'], 1, 600_000);
  const delivery: EmulatorDeliveryOptions | undefined =
    values['no-debug-headers'] || timeoutMs !== undefined || cfg.delivery
      ? {
          ...(cfg.delivery as EmulatorDeliveryOptions | undefined),
          ...(values['no-debug-headers'] ? { debugHeaders: false } : {}),
          ...(timeoutMs !== undefined ? { timeoutMs } : {}),
        }
      : undefined;
  const options: EmulatorOptions = {
    port: pick('port') ?? DEFAULT_PORT,
    host: pick('host') ?? DEFAULT_HOST,
    clock: pick('clock') ?? (demo ? DEMO_CLOCK : 'real'),
    // No seed given: a fresh one, so two starts (or two servers) never hand out the same ids.
    seed: given.seed ?? (io.freshSeed ?? cryptoSeed)(),
    scenarios: pick('scenarios') ?? shippedScenarios(),
    target: pick('target'),
    // Per type: a flag wins over the config file's entry for its type.
    targets: flags.targets || cfg.targets ? { ...cfg.targets, ...flags.targets } : undefined,
    dataDir: pick('dataDir'),
    ...(values.repair ? { repairJournal: true } : {}),
    startTime: pick('startTime'),
    ...(pick('allowedHosts') !== undefined ? { allowedHosts: pick('allowedHosts') } : {}),
    accounts: cfg.accounts,
    aesKey: cfg.aesKey,
    bodyLimitBytes: cfg.bodyLimitBytes,
    rotateTokenOnReauth: cfg.rotateTokenOnReauth,
    ...(cfg.faults ? { faults: cfg.faults } : {}),
    ...(cfg.requestLogSize !== undefined ? { requestLogSize: cfg.requestLogSize } : {}),
    ...(cfg.maxRowsPerWorkflow !== undefined ? { maxRowsPerWorkflow: cfg.maxRowsPerWorkflow } : {}),
    ...(delivery ? { delivery } : {}),
  };
  if (demo) {
    options.onStarted = (emu) => {
      // Only on a fresh start: a resumed journal already has its demo workflow.
      if (emu.store.listWorkflows().length === 0) emu.trigger(DEMO_SCENARIO);
    };
  }
  return { options, demo, quiet: values.quiet, seedPicked: given.seed === undefined };
}

/** Why the server could not start, and the exit code: 2 for a bad address, 1 otherwise. */
function startFailure(err: unknown, options: EmulatorOptions): { message: string; code: number } {
  if (err instanceof ScenarioError || err instanceof RunConfigError || err instanceof JournalDamagedError) {
    return { message: err.message, code: 2 };
  }
  const e = err as NodeJS.ErrnoException;
  const where = `${options.host}:${options.port}`;
  switch (e.code) {
    case 'EADDRINUSE':
      return { message: `port ${options.port} is in use (try --port 0)`, code: 1 };
    case 'EACCES':
      return { message: `cannot listen on ${where}: permission denied (EACCES)`, code: 1 };
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return { message: `cannot listen on ${where}: no such local address (${e.code})`, code: 2 };
    default:
      return { message: e.message ?? String(err), code: 1 };
  }
}

/** Where callbacks go: the one target, the per-type ones, or each template's own URLs. */
function callbackTargets(options: EmulatorOptions): string[] {
  const perType = Object.entries(options.targets ?? {}).map(([type, url]) => `${type} → ${url}`);
  if (options.target)
    return [`${options.target}${perType.length > 0 ? ' (every other type)' : ''}`, ...perType];
  if (perType.length > 0) return [...perType, 'every other type → its template URL'];
  return ["each template's callback URL (the shipped scenarios: the built-in sink)"];
}

function banner(
  emu: Emulator,
  parsed: { demo: boolean; seedPicked: boolean; options: EmulatorOptions },
): string {
  const { demo, seedPicked, options } = parsed;
  const dataDir = options.dataDir;
  const [firstTarget, ...moreTargets] = callbackTargets(options);
  const auth = JSON.stringify({ APPKey: emu.credentials.appKey, APPSecret: emu.credentials.appSecret });
  const open = options.host === '0.0.0.0' || options.host === '::';
  const lines = [
    `airudder-emulator listening on ${emu.url}`,
    ...(open
      ? [
          `Warning: --host ${options.host} opens the vendor API, the admin API and the dashboard to the network;`,
          '         the admin API answers only loopback Host names and --allowed-hosts.',
        ]
      : []),
    '',
    `  Vendor API   ${emu.url}/service/cloud  (POST /service/cloud/auth first)`,
    `  Credentials  APPKey ${emu.credentials.appKey}   APPSecret ${emu.credentials.appSecret}`,
    `  Admin API    ${emu.adminUrl}  (GET ${emu.adminUrl}/health)`,
    `  Dashboard    ${emu.adminUrl}/  (open it in a browser)`,
    `  Sink         ${emu.adminUrl}/sink/<name>  (received: GET ${emu.adminUrl}/sink)`,
    `  Clock        ${emu.clock.mode}, now ${new Date(emu.clock.now()).toISOString()}`,
    `  Persistence  ${dataDir ? `journal in ${dataDir}` : 'in memory'}`,
    `  Seed         ${emu.seed}${seedPicked ? ` (picked for this start; --seed ${emu.seed} repeats it)` : ''}`,
    `  Callbacks    ${firstTarget}`,
    ...moreTargets.map((t) => `               ${t}`),
    '',
    'First request to try (a token for the vendor API):',
    `  curl -s ${emu.url}/service/cloud/auth -H 'Content-Type: application/json' -d '${auth}'`,
  ];
  if (emu.recovered.entries > 0) {
    lines.push(
      `  Resumed      ${emu.recovered.entries} journal entries, ${emu.recovered.resumedDeliveries} pending deliveries` +
        (emu.recovered.skipped > 0 ? ` (${emu.recovered.skipped} torn line skipped)` : ''),
    );
  }
  const repaired = emu.recovered.repaired;
  if (repaired) {
    lines.push(
      repaired.length === 0
        ? '  Repaired     nothing was damaged'
        : `  Repaired     ${repaired.length} loss${repaired.length === 1 ? '' : 'es'} (the old journal kept beside it as journal.before-repair*.jsonl):`,
      ...repaired.map((r) => `               ${r}`),
    );
  }
  if (demo) {
    lines.push(
      '',
      `Demo: workflow "${DEMO_SCENARIO}" is running (1 clock minute = 1 s). As its scenario says, the`,
      'sink fails the first two attempts of every delivery with 503: each is retried a minute later.',
      `Watch: ${emu.adminUrl}/ in a browser, or the activity below.`,
    );
  }
  lines.push('', 'Ctrl-C stops (attempts in flight finish first; pending ones resume with --data-dir).', '');
  return lines.join('\n');
}

export async function run(argv: string[], io: CliIO = processIO()): Promise<number> {
  let parsed: ReturnType<typeof serveOptions>;
  try {
    parsed = serveOptions(argv, io);
  } catch (err) {
    if (err instanceof HelpRequested) {
      io.stdout.write(serveUsage());
      return 0;
    }
    if (err instanceof UsageError) return usageFailure(io, 'serve', err.message);
    if (err instanceof ConfigFileError) {
      io.stderr.write(`${err.message}\n`);
      return 2;
    }
    throw err;
  }
  let emu: Emulator | undefined;
  // Lines from before the banner is printed wait for it.
  let held: string[] | null = [];
  const write = (line: string) => (held ? held.push(line) : io.stdout.write(line));
  if (!parsed.quiet) {
    parsed.options.onEvent = createActivityLog(write, {
      now: () => emu?.clock.now() ?? 0,
      timeZoneOf: (id) => (id === undefined ? undefined : emu?.store.workflow(id)?.timeZone),
    });
  }
  // Listen for stop requests before anything can ask: a SIGINT that came between the banner
  // and the listener would otherwise kill the process without closing the emulator.
  let stopListener: () => void = () => undefined;
  const stopRequested = new Promise<string>((resolveStop) => {
    stopListener = io.onStop(resolveStop);
  });
  try {
    emu = await createEmulator(parsed.options);
  } catch (err) {
    stopListener();
    const failure = startFailure(err, parsed.options);
    io.stderr.write(
      err instanceof ScenarioError ? `${failure.message}\n` : `airudder-emulator serve: ${failure.message}\n`,
    );
    return failure.code;
  }
  io.stdout.write(banner(emu, parsed));
  if (!parsed.quiet) io.stdout.write('Activity (clock time in the account time zone):\n');
  for (const line of held) io.stdout.write(line);
  held = null;
  const signal = await stopRequested;
  io.stdout.write(`\n${signal}: stopping…\n`);
  try {
    await emu.close();
    return 0;
  } catch (err) {
    io.stderr.write(`airudder-emulator serve: ${(err as Error).message}\n`);
    return 1;
  }
}
