/**
 * `airudder-emulator run <scenario> --target <url>`: play a scenario end to end against an endpoint
 * and exit 0 when its expectations hold, 1 when they do not (each failure printed), 2 on a usage or
 * scenario error. Progress goes to stderr (a bar on a terminal, plain lines otherwise); the
 * summary and expectation results to stdout.
 */
import { relative } from 'node:path';
import type { ParseArgsConfig } from 'node:util';
import { CLOCK_SPEC_HELP } from '../../clock/create-clock.ts';
import { systemWall } from '../../clock/wall.ts';
import { failureLine, writeJUnit } from '../../run/junit.ts';
import { RESPONSE_SNIPPET_BYTES } from '../../delivery/http-sender.ts';
import { createProgress, type Progress } from '../../run/progress.ts';
import {
  createReportWriter,
  DEFAULT_RESPONSE_CHARS,
  type ReportDelivery,
  type ReportWriter,
  type RunReport,
} from '../../run/report.ts';
import { DEFAULT_ABORT_AFTER, evaluateRun, parseStartTime, runScenario } from '../../run/run-scenario.ts';
import { RunConfigError } from '../../delivery/scenario-config.ts';
import { CALLBACK_TYPES, type CallbackType } from '../../contract/callbacks.ts';
import { UnknownScenarioError } from '../../scenario/catalog.ts';
import { loadScenarioFile, ScenarioError } from '../../scenario/load.ts';
import type { Scenario } from '../../scenario/types.ts';
import {
  cannotWrite,
  parseClockOption,
  parseCommandArgs,
  parseDuration,
  parseHttpUrl,
  parseInteger,
  prepareOutputFile,
  UsageError,
  usageFailure,
} from '../args.ts';
import { processIO, type CliIO } from '../io.ts';
import { resolveScenarioArg } from '../scenario-arg.ts';

const TYPES = CALLBACK_TYPES;

export const RUN_USAGE = `Usage: airudder-emulator run <scenario.yaml | shipped name> [options]

Plays the scenario end to end and delivers every callback with the vendor's retry policy.
Exit code: 0 expectations hold, 1 they do not (failures by callback type on stdout), 2 usage or
scenario error, a target that cannot be reached, or a run stopped early (--abort-after,
--max-duration).

Options:
  --target <url>             send every callback here (default: the template URLs)
  --target-<type> <url>      send one message type here (${TYPES.join(', ')})
  --sink                     answer callbacks with a built-in loopback sink, as the scenario's
                             receiver: section says (no app needed)
  --seed <n>                 run seed (default: the scenario's seed:, fixed, so a CI run repeats exactly)
  --clock <mode>             ${CLOCK_SPEC_HELP.replace(' | virtual:manual', '')} (default: virtual)
  --start-time <time>        clock start, "YYYY-MM-DD HH:mm:ss" in the account time zone or ISO-8601
                             (default: the scenario's start_time)
  --timeout-ms <n>           real ms a receiver has to answer each attempt (default 10000, the
                             vendor's; the scenario's delivery.timeout_ms, which this overrides)
  --no-preflight             skip the check that something listens at each target before the run
                             (never made with --sink)
  --abort-after <n>          stop after n consecutive connection failures (refused, DNS) to one
                             target (default ${DEFAULT_ABORT_AFTER}; 0 never stops); exit 2
  --max-duration <duration>  stop after this much real time (90s, 5m, 1h; default no limit); exit 2
  --response-chars <n>       characters of each answer body kept in the reports (default
                             ${DEFAULT_RESPONSE_CHARS}, at most ${RESPONSE_SNIPPET_BYTES}; 0 none)
  --report <file.json>       write the JSON report
  --junit <file.xml>         write a JUnit XML report
  --no-debug-headers         omit X-Emulator-Delivery-Id / X-Emulator-Attempt (byte-exact vendor requests)
  --quiet                    no progress output
  -h, --help                 this text
`;

type ParseArgsOptions = NonNullable<ParseArgsConfig['options']>;

const options = {
  target: { type: 'string' },
  sink: { type: 'boolean' },
  seed: { type: 'string' },
  clock: { type: 'string' },
  'start-time': { type: 'string' },
  report: { type: 'string' },
  junit: { type: 'string' },
  quiet: { type: 'boolean' },
  'no-debug-headers': { type: 'boolean' },
  'timeout-ms': { type: 'string' },
  'no-preflight': { type: 'boolean' },
  'abort-after': { type: 'string' },
  'max-duration': { type: 'string' },
  'response-chars': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  ...Object.fromEntries(TYPES.map((t) => [`target-${t}`, { type: 'string' }])),
} as const satisfies ParseArgsOptions;

/** An epoch-ms clock time as ISO-8601 UTC, for people. */
const iso = (ms: number): string => new Date(ms).toISOString();

function printResult(io: CliIO, report: RunReport): void {
  const s = report.summary;
  const stopped = s.pending > 0 ? `, ${s.stopped} stopped, ${s.notAttempted} not attempted` : '';
  const out: string[] = [
    `${report.scenario}: ${s.deliveries} deliveries, ${s.delivered} delivered, ${s.exhausted} exhausted${stopped}, ${s.attempts} attempts ` +
      `(seed ${report.seed}, clock ${report.clock}, ${iso(report.start.clock)} .. ${iso(report.end.clock)})`,
  ];
  if (report.aborted !== undefined) {
    const c = report.contacts;
    out.push(`aborted: ${report.aborted} (${c.finished} of ${c.planned} contacts finished)`);
  }
  // Grouped by callback type: one handler bug shows as one line with its status and body.
  for (const f of report.failures) {
    out.push(`  FAIL delivery.${f.type}: ${failureLine(f)}`);
    out.push(`       request: POST ${f.first.url} ${f.first.request}`);
  }
  for (const e of report.expectations) {
    out.push(`  ${e.ok ? 'ok  ' : 'FAIL'} ${e.name}: expected ${e.expected}, got ${e.actual}`);
  }
  out.push(
    report.aborted !== undefined
      ? 'run stopped early: the expectations were not checked against a whole run'
      : report.ok
        ? 'expectations hold'
        : `${report.expectations.filter((e) => !e.ok).length} expectation(s) failed`,
  );
  io.stdout.write(`${out.join('\n')}\n`);
}

export async function run(argv: string[], io: CliIO = processIO()): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseCommandArgs({
      args: argv,
      options,
      allowPositionals: true,
      strict: true,
    }));
    if (values.help) {
      io.stdout.write(RUN_USAGE);
      return 0;
    }
    if (positionals.length !== 1)
      throw new UsageError(positionals.length === 0 ? 'missing <scenario>' : 'one scenario at a time');
  } catch (err) {
    if (err instanceof UsageError) return usageFailure(io, 'run', err.message);
    throw err;
  }

  let scenario: Scenario;
  let file: string;
  try {
    file = resolveScenarioArg(positionals[0]!, io.cwd);
    scenario = loadScenarioFile(file, positionals[0]);
  } catch (err) {
    if (err instanceof ScenarioError || err instanceof UnknownScenarioError) {
      io.stderr.write(`${err.message}\n`);
      return 2;
    }
    throw err;
  }

  let progress: Progress | undefined;
  try {
    const str = (k: string) => values[k] as string | undefined;
    if (str('clock') !== undefined) parseClockOption('--clock', str('clock')!);
    const seed = str('seed') !== undefined ? parseInteger('--seed', str('seed')!, 0, 0xffffffff) : undefined;
    let startTime: number | undefined;
    if (str('start-time') !== undefined) {
      try {
        startTime = parseStartTime(str('start-time')!, scenario.account.timezone);
      } catch (err) {
        throw new UsageError(`--start-time: ${(err as Error).message}`);
      }
    }
    const targets: Partial<Record<CallbackType, string>> = {};
    for (const t of TYPES) {
      const url = str(`target-${t}`);
      if (url !== undefined) targets[t] = parseHttpUrl(`--target-${t}`, url);
    }
    if (str('target') !== undefined) parseHttpUrl('--target', str('target')!);
    const int = (flag: string, min: number, max: number) =>
      str(flag) !== undefined ? parseInteger(`--${flag}`, str(flag)!, min, max) : undefined;
    const timeoutMs = int('timeout-ms', 1, 600_000);
    const abortAfter = int('abort-after', 0, 1_000_000);
    const responseChars = int('response-chars', 0, RESPONSE_SNIPPET_BYTES);
    const maxDurationMs =
      str('max-duration') !== undefined ? parseDuration('--max-duration', str('max-duration')!) : undefined;
    // Report folders are made before the run, so a path that cannot be written fails at once.
    const outputs: ['report' | 'junit', string][] = [];
    for (const flag of ['report', 'junit'] as const) {
      if (str(flag) !== undefined) outputs.push([flag, prepareOutputFile(flag, str(flag)!, io.cwd)]);
    }

    // The JSON report's deliveries go to disk as they settle; the run keeps none of them.
    const reportFile = outputs.find(([flag]) => flag === 'report')?.[1];
    let writer: ReportWriter | undefined;
    try {
      if (reportFile !== undefined) writer = createReportWriter(reportFile);
    } catch (err) {
      io.stderr.write(`airudder-emulator run: ${cannotWrite('report', str('report')!, err)}\n`);
      return 2;
    }
    const report = await runScenario({
      scenario,
      keepDeliveries: false,
      ...(writer ? { onDelivery: (d: ReportDelivery) => writer.delivery(d) } : {}),
      file: relative(io.cwd, file) || file,
      ...(seed !== undefined ? { seed } : {}),
      ...(str('clock') !== undefined ? { clock: str('clock') } : {}),
      ...(startTime !== undefined ? { startTime } : {}),
      ...(str('target') !== undefined ? { target: str('target') } : {}),
      targets,
      sink: values.sink === true,
      debugHeaders: values['no-debug-headers'] !== true,
      preflight: values['no-preflight'] !== true,
      ...(timeoutMs !== undefined ? { timeoutMs } : {}),
      ...(abortAfter !== undefined ? { abortAfter } : {}),
      ...(responseChars !== undefined ? { responseChars } : {}),
      ...(maxDurationMs !== undefined ? { maxDurationMs } : {}),
      evaluate: evaluateRun,
      onClock: (now) => {
        progress = createProgress({
          out: { write: (text) => io.stderr.write(text), isTTY: io.stderrIsTTY },
          wall: systemWall,
          now,
          timeZone: scenario.account.timezone,
          quiet: values.quiet === true,
        });
      },
      onPlan: (plan) => progress?.onPlan(plan),
      onEvent: (e) => progress?.onEvent(e),
    }).catch((err: unknown) => {
      writer?.discard();
      throw err;
    });
    progress?.finish();
    for (const [flag, file] of outputs) {
      try {
        if (flag === 'report') writer!.finish(report);
        else writeJUnit(file, report);
      } catch (err) {
        io.stderr.write(`airudder-emulator run: ${cannotWrite(flag, str(flag)!, err)}\n`);
        return 2;
      }
    }
    printResult(io, report);
    if (report.aborted !== undefined) {
      io.stderr.write(`airudder-emulator run: aborted: ${report.aborted}\n`);
      return 2;
    }
    return report.ok ? 0 : 1;
  } catch (err) {
    if (err instanceof UsageError) return usageFailure(io, 'run', err.message);
    if (err instanceof RunConfigError || err instanceof ScenarioError) {
      io.stderr.write(`airudder-emulator run: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
}
