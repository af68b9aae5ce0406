/**
 * `airudder-emulator run <scenario> --target <url>`: play a scenario end to end against an endpoint
 * and exit 0 when its expectations hold, 1 when they do not (each failure printed), 2 on a usage or
 * scenario error. Progress goes to stderr (a bar on a terminal, plain lines otherwise); the
 * summary and expectation results to stdout.
 */
import { relative } from 'node:path';
import { parseArgs } from 'node:util';
import { CLOCK_SPEC_HELP, parseClockSpec } from '../../clock/create-clock.ts';
import { systemWall } from '../../clock/wall.ts';
import { writeJUnit } from '../../delivery/junit.ts';
import { createProgress, type Progress } from '../../delivery/progress.ts';
import { writeJsonReport, type RunReport } from '../../delivery/report.ts';
import { evaluateRun, parseStartTime, runScenario } from '../../delivery/run-scenario.ts';
import { RunConfigError } from '../../delivery/scenario-config.ts';
import { CALLBACK_TYPES, type CallbackType } from '../../engine/types.ts';
import { resolveScenarioRef, UnknownScenarioError } from '../../scenario/catalog.ts';
import { loadScenarioFile, ScenarioError } from '../../scenario/load.ts';
import type { Scenario } from '../../scenario/types.ts';

const TYPES = CALLBACK_TYPES;

export const RUN_USAGE = `Usage: airudder-emulator run <scenario.yaml | shipped name> [options]

Plays the scenario end to end and delivers every callback with the vendor's retry policy.
Exit code: 0 expectations hold, 1 they do not, 2 usage or scenario error.

Options:
  --target <url>             send every callback here (default: the template URLs)
  --target-<type> <url>      send one message type here (${TYPES.join(', ')})
  --sink                     answer callbacks with a built-in loopback sink, as the scenario's
                             receiver: section says (no app needed)
  --seed <n>                 run seed (default: the scenario's)
  --clock <mode>             ${CLOCK_SPEC_HELP.replace(' | virtual:manual', '')} (default: virtual)
  --start-time <time>        clock start, "YYYY-MM-DD HH:mm:ss" in the account time zone or ISO-8601
                             (default: the scenario's start_time)
  --report <file.json>       write the JSON report
  --junit <file.xml>         write a JUnit XML report
  --no-debug-headers         omit X-Emulator-Delivery-Id / X-Emulator-Attempt (byte-exact vendor requests)
  --quiet                    no progress output
  -h, --help                 this text
`;

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
  help: { type: 'boolean', short: 'h' },
  ...Object.fromEntries(TYPES.map((t) => [`target-${t}`, { type: 'string' }])),
} as const satisfies NonNullable<Parameters<typeof parseArgs>[0]>['options'];

function usageError(message: string): number {
  process.stderr.write(`airudder-emulator run: ${message}\n\n${RUN_USAGE}`);
  return 2;
}

function checkUrl(flag: string, url: string): void {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new RunConfigError(`--${flag}: not a URL: ${url}`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    throw new RunConfigError(`--${flag}: must be http(s): ${url}`);
}

function printResult(report: RunReport): void {
  const s = report.summary;
  const out: string[] = [
    `${report.scenario}: ${s.deliveries} deliveries, ${s.delivered} delivered, ${s.exhausted} exhausted, ${s.attempts} attempts ` +
      `(seed ${report.seed}, clock ${report.clock}, ${report.start.clock} .. ${report.end.clock})`,
  ];
  for (const e of report.expectations) {
    out.push(`  ${e.ok ? 'ok  ' : 'FAIL'} ${e.name}: expected ${e.expected}, got ${e.actual}`);
  }
  out.push(
    report.ok
      ? 'expectations hold'
      : `${report.expectations.filter((e) => !e.ok).length} expectation(s) failed`,
  );
  process.stdout.write(`${out.join('\n')}\n`);
}

export async function run(argv: string[]): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({ args: argv, options, allowPositionals: true, strict: true }));
  } catch (err) {
    return usageError((err as Error).message);
  }
  if (values.help) {
    process.stdout.write(RUN_USAGE);
    return 0;
  }
  if (positionals.length !== 1)
    return usageError(positionals.length === 0 ? 'missing <scenario>' : 'one scenario at a time');

  let scenario: Scenario;
  let file: string;
  try {
    file = resolveScenarioRef(positionals[0]!);
    scenario = loadScenarioFile(file, positionals[0]);
  } catch (err) {
    if (err instanceof ScenarioError || err instanceof UnknownScenarioError) {
      process.stderr.write(`${err.message}\n`);
      return 2;
    }
    throw err;
  }

  let progress: Progress | undefined;
  try {
    const str = (k: string) => values[k] as string | undefined;
    if (str('clock') !== undefined) {
      try {
        parseClockSpec(str('clock')!);
      } catch (err) {
        throw new RunConfigError((err as Error).message);
      }
    }
    let seed: number | undefined;
    if (str('seed') !== undefined) {
      seed = Number(str('seed'));
      if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff)
        throw new RunConfigError(`--seed: expected a non-negative integer, got "${str('seed')}"`);
    }
    const startTime =
      str('start-time') !== undefined
        ? parseStartTime(str('start-time')!, scenario.account.timezone)
        : undefined;
    const targets: Partial<Record<CallbackType, string>> = {};
    for (const t of TYPES) {
      const url = str(`target-${t}`);
      if (url !== undefined) {
        checkUrl(`target-${t}`, url);
        targets[t] = url;
      }
    }
    if (str('target') !== undefined) checkUrl('target', str('target')!);

    const report = await runScenario({
      scenario,
      file: relative(process.cwd(), file) || file,
      ...(seed !== undefined ? { seed } : {}),
      ...(str('clock') !== undefined ? { clock: str('clock') } : {}),
      ...(startTime !== undefined ? { startTime } : {}),
      ...(str('target') !== undefined ? { target: str('target') } : {}),
      targets,
      sink: values.sink === true,
      debugHeaders: values['no-debug-headers'] !== true,
      evaluate: evaluateRun,
      onClock: (now) => {
        progress = createProgress({
          out: process.stderr,
          wall: systemWall,
          now,
          timeZone: scenario.account.timezone,
          quiet: values.quiet === true,
        });
      },
      onEvent: (e) => progress?.onEvent(e),
    });
    progress?.finish();
    if (str('report') !== undefined) writeJsonReport(str('report')!, report);
    if (str('junit') !== undefined) writeJUnit(str('junit')!, report);
    printResult(report);
    return report.ok ? 0 : 1;
  } catch (err) {
    if (err instanceof RunConfigError || err instanceof ScenarioError) {
      process.stderr.write(`airudder-emulator run: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
}
