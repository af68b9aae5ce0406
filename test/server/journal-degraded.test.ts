/**
 * Issue 13 item 6: a full disk crashed `serve` with an uncaught ENOSPC from the journal's write and
 * left a torn line. Now a failed journal write (ENOSPC, EIO: injected here through the journal's
 * file calls, no disk is filled) puts the emulator in a degraded state: what happened stays in
 * memory and waits, vendor writes answer 503 in the vendor's envelope (bad input still gets its
 * 4xx), /__emulator/health says degraded and why, one message is reported, a partial line is cut
 * off (at once, or by the first write that works when even that fails) — and the next write that
 * succeeds writes everything that waited and ends it.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import request from 'supertest';
import type { Send } from '../../src/delivery/types.ts';
import { buildEmulator, type BuiltEmulator } from '../../src/server/emulator.ts';
import { loadJournal, nodeJournalFs, type JournalFs, type JournalHealth } from '../../src/store/journal.ts';
import { COLLECTION_TEMPLATE, END_TIME, rows, scenario, START } from '../http/fixture.ts';

const W = '/service/cloud/workflow';
const MIN = 60_000;
const ok: Send = () => Promise.resolve({ status: 200, response: '{}' });

/**
 * node:fs, except that while `failing` each write puts out half its bytes, then throws `code`;
 * with `stuck`, cutting the half line off fails too (it stays until writes work again).
 */
function failingFs(code: string, stuck: boolean): JournalFs & { failing: boolean; failures: number } {
  let half = false;
  const fs = {
    ...nodeJournalFs,
    failing: false,
    failures: 0,
    truncate(fd: number, length: number): void {
      if (fs.failing && stuck)
        throw Object.assign(new Error(`${code}: injected failure, ftruncate`), { code });
      nodeJournalFs.truncate(fd, length);
    },
    write(fd: number, buf: Buffer): number {
      if (!fs.failing) return nodeJournalFs.write(fd, buf);
      half = !half;
      if (half && buf.length > 1) return nodeJournalFs.write(fd, buf.subarray(0, buf.length >> 1));
      fs.failures++;
      throw Object.assign(new Error(`${code}: injected failure, write`), { code });
    },
  };
  return fs;
}

describe('a journal write that fails puts serve in a degraded state, and it recovers', () => {
  const dirs: string[] = [];
  after(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  for (const [code, stuck] of [
    ['ENOSPC', false],
    ['EIO', true],
  ] as const) {
    const torn = stuck ? 'a torn line cut off on recovery' : 'no torn line';
    it(`${code}: 503 for vendor writes, health says why, ${torn}, then back to normal`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'airudder-degraded-'));
      dirs.push(dir);
      const fs = failingFs(code, stuck);
      const reports: JournalHealth[] = [];
      const build = (): BuiltEmulator =>
        buildEmulator({
          dataDir: dir,
          clock: 'virtual:manual',
          startTime: START,
          seed: 5,
          scenarios: [scenario('tele', 'telemarketing', COLLECTION_TEMPLATE)],
          delivery: { send: ok },
          journal: { fs, onHealth: (h) => reports.push(h) },
        });
      const emu = build();
      const auth = await request(emu.app)
        .post('/service/cloud/auth')
        .send({ APPKey: emu.credentials.appKey, APPSecret: emu.credentials.appSecret });
      const token = auth.body.data.token as string;
      const create = (name: string, details: unknown = rows(2)) =>
        request(emu.app)
          .post(`${W}/createinstance`)
          .set('Authorization', `Token ${token}`)
          .send({ workflow_template_id: COLLECTION_TEMPLATE, name, end_time: END_TIME, details });
      const first = (await create('before').expect(200)).body.data.workflow_id as string;

      fs.failing = true;
      // The campaign's steps and deliveries go on (in memory): the write fails, nothing throws.
      await emu.advance(5 * MIN);
      assert.ok(fs.failures > 0, 'a write failed');
      assert.deepEqual(
        reports.map((r) => r.state),
        ['degraded'],
        'reported once',
      );
      assert.match(reports[0]!.reason!, new RegExp(`^${code}: injected failure`));

      const refused = await create('during');
      assert.equal(refused.status, 503);
      assert.deepEqual(Object.keys(refused.body), ['code', 'status', 'message', 'data']);
      assert.equal(refused.body.code, 503);
      assert.equal(refused.body.status, 'Service Unavailable');
      assert.match(
        refused.body.message,
        new RegExp(`cannot write its journal \\(${code}: .*nothing was changed`),
      );
      assert.equal(emu.store.listWorkflows().length, 1, 'the refused write changed nothing');
      const reauth = await request(emu.app)
        .post('/service/cloud/auth')
        .send({ APPKey: emu.credentials.appKey, APPSecret: emu.credentials.appSecret });
      assert.equal(reauth.status, 503, 'a token is a write too');
      // Bad input is still the client's 4xx, and reads still answer.
      assert.equal((await create('bad', 'not-a-list')).status, 400);
      const list = await request(emu.app).get(`${W}/list`).set('Authorization', `Token ${token}`);
      assert.equal(list.status, 200);

      const health = (await request(emu.app).get('/__emulator/health').expect(200)).body;
      assert.equal(health.status, 'degraded');
      assert.equal(health.journal.state, 'degraded');
      assert.match(health.journal.reason, new RegExp(`^${code}`));
      assert.ok(health.journal.waiting > 0, 'entries wait in memory');
      assert.equal(reports.length, 1, 'still one report');
      // The half-written line was cut off at once — or, when that failed too, it is the torn last
      // line a start would cut off, and the first write that works cuts it off first.
      assert.equal(loadJournal(dir).skipped, stuck ? 1 : 0);

      fs.failing = false;
      const healed = (await request(emu.app).get('/__emulator/health').expect(200)).body;
      assert.equal(healed.status, 'ok');
      assert.deepEqual(healed.journal, { state: 'ok' });
      assert.deepEqual(
        reports.map((r) => r.state),
        ['degraded', 'ok'],
      );
      assert.equal(loadJournal(dir).skipped, 0, 'no torn line after recovery');
      const later = (await create('after').expect(200)).body.data.workflow_id as string;
      await emu.advance(5 * MIN);
      const live = emu.deliveries().map((d) => [d.id, d.outcome, d.attempts.length]);
      await emu.close();

      // Everything that waited reached the journal, in order: a restart sees the same state.
      const again = build();
      try {
        assert.deepEqual(
          again.store.listWorkflows().map((w) => w.workflowId),
          [later, first],
        );
        assert.deepEqual(
          again.deliveries().map((d) => [d.id, d.outcome, d.attempts.length]),
          live,
        );
      } finally {
        await again.close();
      }
    });
  }
});
