#!/usr/bin/env node
// The CLI, from the compiled package: dist/ is built by `npm ci` on a clone (`prepare`) and ships
// in the tarball.
let cli;
try {
  cli = await import('../dist/cli/main.js');
} catch (err) {
  if (err?.code !== 'ERR_MODULE_NOT_FOUND' || !String(err.message).includes('/dist/cli/main.js')) throw err;
  process.stderr.write('airudder-emulator: dist/ is missing: run `npm run build` (npm ci runs it)\n');
  process.exit(2);
}
process.exitCode = await cli.main(process.argv.slice(2));
