/**
 * The CLI in-process: `main(argv, io)` with strings for stdout and stderr, a given environment
 * (empty unless told: the developer's AIRUDDER_EMULATOR_* never leak into a test) and working
 * directory (the repository root unless told).
 *
 *   const r = await runCli(['validate', file]);            // { code, stdout, stderr }
 *   const s = startCli(['serve', '--port', '0']);          // a command that runs until stopped
 *   await s.waitFor((out) => out.includes('Ctrl-C'));
 *   const r = await s.stop('SIGINT');
 *
 * For what needs a real process (signals, kill -9), `spawnCli` runs the CLI from source in a child.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { main } from '../../src/cli/main.ts';
import type { CliIO } from '../../src/cli/io.ts';

export const ROOT = join(import.meta.dirname, '..', '..');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Pretend stdout / stderr are terminals (default false, as in CI). */
  tty?: boolean;
  /** The seed `serve` picks when none is given (default: the process CSPRNG's). */
  freshSeed?: () => number;
}

export interface RunningCli {
  stdout(): string;
  stderr(): string;
  /** stdout and stderr interleaved in write order. */
  output(): string;
  /** Resolves once `pred(output())` holds; rejects if the command exits first. */
  waitFor(pred: (output: string) => boolean): Promise<void>;
  /** Ask the command to stop, as SIGINT / SIGTERM would, and wait for its exit. */
  stop(signal?: 'SIGINT' | 'SIGTERM'): Promise<CliResult>;
  /** The command's result once it exits on its own (or after stop). */
  readonly exited: Promise<CliResult>;
}

/** Start `airudder-emulator <argv>` in-process; for commands that keep running (serve). */
export function startCli(argv: string[], opts: CliOptions = {}): RunningCli {
  let stdout = '';
  let stderr = '';
  let output = '';
  const listeners = new Set<() => void>();
  const notify = () => {
    for (const l of [...listeners]) l();
  };
  const stopHandlers: ((signal: string) => void)[] = [];
  const io: CliIO = {
    stdout: {
      write(text: string) {
        stdout += text;
        output += text;
        notify();
      },
    },
    stderr: {
      write(text: string) {
        stderr += text;
        output += text;
        notify();
      },
    },
    env: opts.env ?? {},
    cwd: opts.cwd ?? ROOT,
    stdoutIsTTY: opts.tty ?? false,
    stderrIsTTY: opts.tty ?? false,
    ...(opts.freshSeed ? { freshSeed: opts.freshSeed } : {}),
    onStop(handler) {
      stopHandlers.push(handler);
      return () => {
        const i = stopHandlers.indexOf(handler);
        if (i >= 0) stopHandlers.splice(i, 1);
      };
    },
  };
  let done = false;
  const exited = main(argv, io).then((code) => {
    done = true;
    notify();
    return { code, stdout, stderr };
  });
  return {
    stdout: () => stdout,
    stderr: () => stderr,
    output: () => output,
    exited,
    waitFor(pred) {
      return new Promise<void>((resolve, reject) => {
        const check = () => {
          if (pred(output)) {
            listeners.delete(check);
            resolve();
          } else if (done) {
            listeners.delete(check);
            reject(new Error(`the command exited before the awaited output:\n${output}`));
          }
        };
        listeners.add(check);
        check();
      });
    },
    stop(signal = 'SIGTERM') {
      for (const h of stopHandlers.splice(0)) h(signal);
      return exited;
    },
  };
}

/** Run `airudder-emulator <argv>` in-process to its exit code. */
export function runCli(argv: string[], opts: CliOptions = {}): Promise<CliResult> {
  return startCli(argv, opts).exited;
}

/**
 * `airudder-emulator <argv>` in a child process, from source (test/helpers/cli-entry.ts), so no
 * build is needed. stdout and stderr are piped.
 */
export function spawnCli(
  argv: string[],
  opts: { env?: NodeJS.ProcessEnv } = {},
): ChildProcessWithoutNullStreams {
  return spawn(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'test', 'helpers', 'cli-entry.ts'), ...argv],
    {
      cwd: ROOT,
      env: opts.env ?? process.env,
    },
  );
}
