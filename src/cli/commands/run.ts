// Placeholder until its issue lands; the CLI reports it as unavailable.
export async function run(_argv: string[]): Promise<number> {
  process.stderr.write('airudder-emulator: "run" is not available in this version\n');
  return 2;
}
