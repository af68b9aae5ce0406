/**
 * The JSONL journal: entries come back in order, a torn last line (kill -9 mid-write) is skipped
 * and the next append starts on a fresh line, and a reset marker forgets what came before it.
 * Journals written before the lean format (whole events and delivery records) are read as the
 * entries they stand for.
 */
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { journalPath, loadJournal, openJournal } from '../../src/store/journal.ts';
import { MemoryStore } from '../../src/store/memory-store.ts';

describe('journal', () => {
  const dir = mkdtempSync(join(tmpdir(), 'airudder-journal-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('replays entries, skips a torn line, honours reset', () => {
    const j = openJournal(dir);
    const store = new MemoryStore(j);
    store.saveToken({ token: 't1', appKey: 'k', expiresAt: 100 });
    store.commit({ k: 'reset', at: 5 });
    store.saveToken({ token: 't2', appKey: 'k', expiresAt: 200 });
    j.close();
    appendFileSync(journalPath(dir), '{"k":"token","tok'); // torn by a crash

    const loaded = loadJournal(dir);
    assert.equal(loaded.skipped, 1);
    assert.deepEqual(
      loaded.entries.map((e) => e.k),
      ['reset', 'token'],
    );
    const again = openJournal(dir);
    new MemoryStore(again).saveToken({ token: 't3', appKey: 'k', expiresAt: 300 });
    again.close();
    const lines = readFileSync(journalPath(dir), 'utf8').trimEnd().split('\n');
    assert.equal(JSON.parse(lines.at(-1)!).token, 't3', 'the next entry starts on its own line');

    const replayed = new MemoryStore();
    for (const e of loadJournal(dir).entries) replayed.apply(e);
    assert.equal(replayed.latestToken('k')?.token, 't3');
    assert.equal(replayed.lastTime, 5);
  });

  it('reads the retry policy of a journal written before retryIntervalMs had that name', () => {
    const old = join(dir, 'old');
    mkdirSync(old);
    const record = {
      id: 'd1',
      type: 'call-completion',
      url: 'http://127.0.0.1:9/',
      payload: {},
      body: '{}',
      headers: {},
      policy: { timeoutMs: 10_000, intervalMs: 30_000, maxRetries: 2 },
      signing: 'hmac-sha256',
      encrypted: false,
      outcome: 'pending',
      attempts: [],
      firstAt: 1,
      nextAttemptAt: 1,
      replays: [],
    };
    writeFileSync(journalPath(old), `${JSON.stringify({ k: 'delivery', id: 'd1', record })}\n`);
    const store = new MemoryStore();
    for (const e of loadJournal(old).entries) store.apply(e);
    assert.deepEqual(store.delivery('d1')?.policy, {
      timeoutMs: 10_000,
      retryIntervalMs: 30_000,
      maxRetries: 2,
    });
  });

  it('reads a journal of the full-payload format as advances, delivery metadata and attempt deltas', () => {
    const old = join(dir, 'full');
    mkdirSync(old);
    const record = {
      id: 'w-000001',
      type: 'call-completion',
      url: 'http://127.0.0.1:9/',
      workflowId: 'w',
      payload: { big: 'payload' },
      body: '{"big":"payload"}',
      headers: { 'Content-Type': 'application/json' },
      policy: { timeoutMs: 10_000, retryIntervalMs: 60_000, maxRetries: 5 },
      signing: 'hmac-sha256',
      encrypted: false,
      outcome: 'pending',
      attempts: [],
      firstAt: 1000,
      nextAttemptAt: 1000,
      replays: [],
    };
    const failed = { n: 1, at: 1000, ok: false, status: 500, error: 'non-2xx', latencyMs: 3 };
    const patch = (attempts: unknown[], nextAttemptAt: number | null) => ({
      k: 'delivery',
      id: 'w-000001',
      patch: { attempts, outcome: 'pending', nextAttemptAt, replays: [] },
    });
    const lines = [
      { k: 'events', workflowId: 'w', to: 1000, events: [{ at: 1000, kind: 'x', messages: [] }] },
      { k: 'delivery', id: 'w-000001', record },
      patch([], null),
      patch([failed], 61_000),
      patch([failed], null),
    ];
    writeFileSync(journalPath(old), lines.map((l) => `${JSON.stringify(l)}\n`).join(''));
    const { entries } = loadJournal(old);
    assert.deepEqual(
      entries.map((e) => e.k),
      ['advance', 'delivery', 'sending', 'attempt', 'sending'],
    );
    assert.ok(entries.every((e) => !('payload' in e) && !('events' in e)));
    const store = new MemoryStore();
    for (const e of entries) store.apply(e);
    const d = store.delivery('w-000001')!;
    assert.deepEqual(d.attempts, [failed]);
    assert.equal(d.nextAttemptAt, null, 'attempt 2 was in flight');
    assert.equal(d.outcome, 'pending');
  });
});
