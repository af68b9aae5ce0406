// A process that writes its journal until it is killed: workflows run to the end, a reset now and
// then, and a compaction every 25 lines. For the SIGKILL test (test/server/journal-kill.test.ts):
// `node --import tsx test/helpers/journal-writer.ts <data dir>`.
import { buildEmulator } from '../../src/server/emulator.ts';
import { COLLECTION_TEMPLATE, scenario, START } from '../http/fixture.ts';

const emu = buildEmulator({
  dataDir: process.argv[2]!,
  clock: 'virtual:manual',
  startTime: START,
  seed: 1,
  scenarios: [scenario('tele', 'telemarketing', COLLECTION_TEMPLATE)],
  delivery: { send: () => Promise.resolve({ status: 200, response: '{}' }) },
  journal: { compactAfterLines: 25 },
});
for (let i = 1; ; i++) {
  emu.trigger('tele');
  await emu.idle();
  // Once a first workflow has run: the journal has entries whatever the moment of the kill.
  if (i === 1) process.stdout.write('ready\n');
  if (i % 4 === 0) await emu.reset();
}
