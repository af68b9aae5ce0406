// The CLI from source, for tests that need a real process (signals, kill -9): what
// bin/airudder-emulator.js does with dist/, without needing a build. Run it with
// `node --import tsx test/helpers/cli-entry.ts <command> ...`.
import { main } from '../../src/cli/main.ts';

process.exitCode = await main(process.argv.slice(2));
