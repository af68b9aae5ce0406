/**
 * Compaction is crash-safe: a process that appends and compacts its journal (every 25 lines) is
 * killed with SIGKILL at a different moment each round, then started again on the same folder. Each
 * time the journal it left loads with no damage (at most a torn last line) — the rewrite goes
 * through a temporary file renamed over the journal, so a kill leaves the old or the new one.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadJournal } from '../../src/store/journal.ts';
import { ROOT } from '../helpers/cli.ts';

/** Start the writer; resolves once it has loaded the journal and begun writing. */
function startWriter(dir: string) {
  const proc = spawn(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'test', 'helpers', 'journal-writer.ts'), dir],
    {
      cwd: ROOT,
    },
  );
  let err = '';
  proc.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const ready = new Promise<void>((resolve, reject) => {
    proc.stdout.on('data', (c: Buffer) => {
      if (c.toString().includes('ready')) resolve();
    });
    proc.on('exit', (code) => reject(new Error(`the writer exited (${code}) before writing: ${err}`)));
  });
  return { proc, ready };
}

describe('SIGKILL during appends and compactions', () => {
  const dir = mkdtempSync(join(tmpdir(), 'airudder-journal-kill-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('every kill leaves a journal that loads', async () => {
    for (let round = 0; round < 4; round++) {
      const w = startWriter(dir);
      await w.ready;
      // A different moment each round: the point of the kill, not a time limit.
      await sleep(20 + round * 71);
      const exited = new Promise((resolve) => w.proc.on('exit', resolve));
      w.proc.kill('SIGKILL');
      await exited;
      const loaded = loadJournal(dir);
      assert.ok(loaded.skipped <= 1, `round ${round}`);
      assert.ok((loaded.lines ?? 0) > 0, `round ${round}: the journal has entries`);
      // The next round's start loads it strictly too (damage would stop the writer).
    }
  });
});
