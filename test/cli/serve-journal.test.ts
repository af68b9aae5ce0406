/**
 * `serve --data-dir` over a damaged journal (issue 13 item 4): the start stops with exit 2 and one
 * message naming the file, the line and what it held — no stack trace; `--repair` starts anyway,
 * prints what was lost in the banner, and leaves a journal that loads as it is.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { TOKEN_LIFETIME_MS } from '../../src/core/accounts.ts';
import { journalPath, loadJournal } from '../../src/store/journal.ts';
import { encodeLine } from '../../src/store/journal-line.ts';
import { runCli, startCli } from '../helpers/cli.ts';

const T = Date.UTC(2024, 2, 11, 2, 0);

describe('serve over a damaged journal', () => {
  const dir = mkdtempSync(join(tmpdir(), 'airudder-serve-journal-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  const tokens = [1, 2, 3].map((i) =>
    encodeLine({
      k: 'token',
      token: `tok-${i}`,
      appKey: 'test-app-key',
      expiresAt: T + TOKEN_LIFETIME_MS + i,
    }),
  );
  const damaged = tokens[1]!.replace('tok-2', 'tok-9');

  it('stops with exit 2, the file, the line and what it held, and no stack trace', async () => {
    writeFileSync(journalPath(dir), `${tokens[0]}\n${damaged}\n${tokens[2]}\n`);
    const r = await runCli(['serve', '--port', '0', '--quiet', '--clock', 'virtual', '--data-dir', dir]);
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stdout, '');
    const [first, second, ...rest] = r.stderr.trimEnd().split('\n');
    assert.equal(
      first,
      `airudder-emulator serve: journal ${journalPath(dir)} is damaged at line 2 (checksum mismatch): ${damaged}`,
    );
    assert.match(second!, /^Nothing was changed\. Start with --repair/);
    assert.deepEqual(rest, []);
    assert.doesNotMatch(r.stderr, /^\s+at /m);
    assert.equal(
      readFileSync(journalPath(dir), 'utf8'),
      `${tokens[0]}\n${damaged}\n${tokens[2]}\n`,
      'the journal is left as it was',
    );
  });

  it('--repair starts, says what was lost, and leaves a journal without the damaged line', async () => {
    writeFileSync(journalPath(dir), `${tokens[0]}\n${damaged}\n${tokens[2]}\n`);
    const s = startCli([
      'serve',
      '--port',
      '0',
      '--quiet',
      '--clock',
      'virtual',
      '--data-dir',
      dir,
      '--repair',
    ]);
    await s.waitFor((out) => out.includes('Ctrl-C'));
    const r = await s.stop('SIGINT');
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stdout,
      /\n {2}Repaired {5}1 loss \(the old journal kept beside it as journal\.before-repair\*\.jsonl\):\n {15}line 2 \(checksum mismatch\): a token: its client must authenticate again; it held \{"k":"token","token":"tok-9"/,
    );
    assert.deepEqual(
      loadJournal(dir).entries.map((e) => (e.k === 'token' ? e.token : e.k)),
      ['tok-1', 'tok-3'],
    );
    assert.equal(
      readFileSync(join(dir, 'journal.before-repair.jsonl'), 'utf8'),
      `${tokens[0]}\n${damaged}\n${tokens[2]}\n`,
    );
  });
});
