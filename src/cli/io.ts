import { randomInt } from 'node:crypto';

/**
 * What a CLI command talks to: two output streams, the environment, the working directory, whether
 * the streams are terminals, and a way to hear "stop" (SIGINT / SIGTERM). `main()` and every
 * command take one, so tests run the CLI in-process with strings for stdout and stderr instead of
 * spawning a process per case. `processIO()` is the real process.
 */
export interface CliWriter {
  write(text: string): unknown;
}

export interface CliIO {
  stdout: CliWriter;
  stderr: CliWriter;
  env: Readonly<Record<string, string | undefined>>;
  /** Relative paths in flags and arguments are relative to this directory. */
  cwd: string;
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
  /**
   * Call `handler` once, on the first request to stop (SIGINT / SIGTERM for a process). Returns a
   * function that stops listening. Only long-running commands (`serve`) use it.
   */
  onStop(handler: (signal: string) => void): () => void;
  /**
   * A fresh root seed (0 .. 2^32 - 1) for `serve` started without one, so two starts never give
   * two workflows the same ids. Optional: without it the process's CSPRNG is used.
   */
  freshSeed?(): number;
}

/** A seed from the process's CSPRNG: the one place the CLI draws one (see CliIO.freshSeed). */
export function cryptoSeed(): number {
  return randomInt(0, 2 ** 32);
}

/** The real process: its stdout/stderr, environment, cwd and signals. */
export function processIO(): CliIO {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    stdoutIsTTY: process.stdout.isTTY === true,
    stderrIsTTY: process.stderr.isTTY === true,
    freshSeed: cryptoSeed,
    onStop(handler) {
      let done = false;
      const on = (signal: NodeJS.Signals) => {
        if (done) return;
        done = true;
        off();
        handler(signal);
      };
      const off = () => {
        process.off('SIGINT', on);
        process.off('SIGTERM', on);
      };
      process.on('SIGINT', on);
      process.on('SIGTERM', on);
      return off;
    },
  };
}

/** `io` with every missing field taken from the real process. */
export function completeIO(io: Partial<CliIO> = {}): CliIO {
  return { ...processIO(), ...io };
}
