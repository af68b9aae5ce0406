#!/usr/bin/env node
/* global fetch */
// `airudder-emulator` for the shell blocks of the doc test: hands its arguments and working
// directory to the test process (DOC_TEST_CLI, a loopback URL), which runs the CLI in-process, and
// prints what it printed, exiting with its code. Plain JavaScript: it starts in a few ms.
const res = await fetch(process.env.DOC_TEST_CLI, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ argv: process.argv.slice(2), cwd: process.cwd() }),
});
const { code, stdout, stderr } = await res.json();
process.stdout.write(stdout);
process.stderr.write(stderr);
process.exitCode = code;
