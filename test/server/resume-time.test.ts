/**
 * Issue 13 item 2: time after a restart. A journal holding only a token restarted the real clock
 * at 1970 and revived an expired token; with other entries the real clock resumed where the
 * journal ended, not at wall time. Now: a real clock resumes at wall time, a scaled one at the
 * journal's last instant plus the downtime × scale, a virtual one at the journal's last instant;
 * none before that instant, never at the epoch.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { systemWall, type Wall } from '../../src/clock/wall.ts';
import { TOKEN_LIFETIME_MS } from '../../src/core/accounts.ts';
import { buildEmulator } from '../../src/server/emulator.ts';
import { resumeTime } from '../../src/server/wiring.ts';
import { journalPath } from '../../src/store/journal.ts';

const T = Date.UTC(2024, 2, 11, 2, 0);
const HOUR = 3_600_000;
const wallAt = (epoch: number): Wall => ({ ...systemWall, epoch: () => epoch });
const token = (issuedAt: number) => ({
  k: 'token' as const,
  token: 'tok',
  appKey: 'test-app-key',
  expiresAt: issuedAt + TOKEN_LIFETIME_MS,
});

describe('resumeTime: where each clock starts over a journal', () => {
  const advanced = {
    entries: [{ k: 'advance' as const, workflowId: 'w', to: T }],
    skipped: 0,
    writtenAt: T + 1000,
  };

  it('virtual: at the last journaled instant, whatever the wall says', () => {
    assert.equal(resumeTime('virtual', advanced, { wall: wallAt(T + 5 * HOUR) }), T);
  });

  it('real: at wall time, never before the journal', () => {
    assert.equal(resumeTime('real', advanced, { wall: wallAt(T + 5 * HOUR) }), T + 5 * HOUR);
    assert.equal(resumeTime('real', advanced, { wall: wallAt(T - HOUR) }), T);
  });

  it('scaled: the last instant plus the downtime × scale', () => {
    // Down 21 s of wall time since the last write, at 60×: 21 clock minutes later.
    assert.equal(resumeTime('scaled:60', advanced, { wall: wallAt(T + 1000 + 21_000) }), T + 21 * 60_000);
  });

  it('a journal with only a token: its issue time, not 1970', () => {
    const onlyToken = { entries: [token(T)], skipped: 0, writtenAt: T };
    assert.equal(resumeTime('virtual', onlyToken, {}), T);
    assert.equal(resumeTime('real', onlyToken, { wall: wallAt(0) }), T);
  });

  it('a later startTime wins; an earlier one does not go back; no journal: the start time', () => {
    assert.equal(resumeTime('virtual', advanced, { startTime: T + HOUR }), T + HOUR);
    assert.equal(resumeTime('virtual', advanced, { startTime: T - HOUR }), T);
    assert.equal(resumeTime('virtual', { entries: [], skipped: 0 }, { startTime: 5 }), 5);
  });
});

describe('a restart over a token-only journal', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'resume-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('an expired token stays expired (the clock does not restart at 1970)', async () => {
    // Issued 30 h ago: expired 6 h ago.
    const issued = Date.now() - 30 * HOUR;
    writeFileSync(journalPath(dir), `${JSON.stringify(token(issued))}\n`);
    utimesSync(journalPath(dir), new Date(issued), new Date(issued));
    const emu = buildEmulator({ dataDir: dir, clock: 'real', scenarios: [] });
    try {
      assert.ok(
        emu.clock.now() >= Date.now() - 60_000,
        `clock at ${new Date(emu.clock.now()).toISOString()}`,
      );
      const res = await request(emu.app)
        .get('/service/cloud/workflow/templates')
        .set('Authorization', 'Token tok');
      assert.equal(res.body.code, 10813, JSON.stringify(res.body));
    } finally {
      await emu.close();
    }
  });
});
