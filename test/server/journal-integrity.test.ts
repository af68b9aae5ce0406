/**
 * Issue 13 items 3 and 4: a journal that never lies. Every line carries a CRC-32; a torn last
 * line is cut off (as a crash leaves it), but a bad line anywhere else — a checksum that does not
 * match, text that is not JSON, a kind no version wrote — stops the start with the file, the line
 * number and what it held (before: "1 torn line skipped", and a corrupted workflow line left its
 * deliveries orphaned). `repairJournal` drops what cannot be rebuilt and says what was lost. The
 * file is read through a fixed buffer, so neither its size nor a line split across reads matters.
 */
import assert from 'node:assert/strict';
import { crc32 } from 'node:zlib';
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import request from 'supertest';
import type { Send } from '../../src/delivery/types.ts';
import { buildEmulator, type BuiltEmulator } from '../../src/server/emulator.ts';
import { JournalDamagedError, journalPath, loadJournal, openJournal } from '../../src/store/journal.ts';
import { encodeLine } from '../../src/store/journal-line.ts';
import { readLines } from '../../src/store/journal-read.ts';
import { COLLECTION_TEMPLATE, END_TIME, rows, scenario, START } from '../http/fixture.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const W = '/service/cloud/workflow';
const ok: Send = () => Promise.resolve({ status: 200, response: '{}' });

const dirs: string[] = [];
function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'airudder-integrity-'));
  dirs.push(d);
  return d;
}
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function build(dir: string, extra: Parameters<typeof buildEmulator>[0] = {}): BuiltEmulator {
  return buildEmulator({
    dataDir: dir,
    clock: 'virtual:manual',
    startTime: START,
    seed: 3,
    scenarios: [scenario('tele', 'telemarketing', COLLECTION_TEMPLATE)],
    delivery: { send: ok },
    ...extra,
  });
}

/** Two workflows of 3 rows, run to the end: a journal with workflows, rows, advances, deliveries. */
async function session(dir: string): Promise<string[]> {
  const emu = build(dir);
  const ids: string[] = [];
  try {
    const auth = await request(emu.app)
      .post('/service/cloud/auth')
      .send({ APPKey: emu.credentials.appKey, APPSecret: emu.credentials.appSecret });
    const token = auth.body.data.token as string;
    for (const name of ['one', 'two']) {
      const res = await request(emu.app)
        .post(`${W}/createinstance`)
        .set('Authorization', `Token ${token}`)
        .send({ workflow_template_id: COLLECTION_TEMPLATE, name, end_time: END_TIME, details: rows(3) });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      ids.push(res.body.data.workflow_id as string);
    }
    await emu.idle();
  } finally {
    await emu.close();
  }
  return ids;
}

const fileLines = (dir: string): string[] => readFileSync(journalPath(dir), 'utf8').trimEnd().split('\n');
const writeLines = (dir: string, lines: string[]): void =>
  writeFileSync(journalPath(dir), `${lines.join('\n')}\n`);
/** The 1-based number of the first line whose entry is of kind `k` (and, if given, matches). */
const lineOf = (lines: string[], k: string, match = ''): number =>
  lines.findIndex((l) => l.startsWith(`{"k":"${k}"`) && l.includes(match)) + 1;

function damageAt(dir: string): JournalDamagedError {
  try {
    build(dir);
  } catch (err) {
    assert.ok(err instanceof JournalDamagedError, String(err));
    return err;
  }
  assert.fail('the start went on over a damaged journal');
}

describe('journal lines carry a checksum', () => {
  it('each line is one JSON object whose last member "#" is the CRC-32 of the line without it', async () => {
    const dir = tmp();
    await session(dir);
    const lines = fileLines(dir);
    assert.ok(lines.length > 20);
    for (const line of lines) {
      const m = /^(.*),"#":"([0-9a-f]{8})"\}$/.exec(line);
      assert.ok(m, line);
      assert.equal(m[2], crc32(`${m[1]}}`).toString(16).padStart(8, '0'));
      assert.equal(typeof JSON.parse(line).k, 'string');
    }
  });

  it('a journal from before checksums still loads, and is rewritten with them', async () => {
    const dir = tmp();
    const ids = await session(dir);
    const before = build(dir);
    const expected = before.deliveries().map((d) => [d.id, d.outcome, d.attempts.length]);
    await before.close();
    // What an older version wrote: the same entries without "#".
    writeLines(
      dir,
      fileLines(dir).map((l) => l.replace(/,"#":"[0-9a-f]{8}"\}$/, '}')),
    );
    const emu = build(dir);
    try {
      assert.deepEqual(
        emu.deliveries().map((d) => [d.id, d.outcome, d.attempts.length]),
        expected,
      );
      assert.equal(emu.store.rowsOf(ids[1]!).length, 3);
    } finally {
      await emu.close();
    }
    assert.ok(fileLines(dir).every((l) => /,"#":"[0-9a-f]{8}"\}$/.test(l)));
  });
});

describe('a damaged line in the middle stops the start', () => {
  it('a checksum mismatch: the file, the line and what it held', async () => {
    const dir = tmp();
    const [first] = await session(dir);
    const lines = fileLines(dir);
    const n = lineOf(lines, 'workflow', first);
    // One digit of the workflow's end time changed: still JSON, still a known kind.
    lines[n - 1] = lines[n - 1]!.replace(
      /"endTime":(\d)/,
      (_, d: string) => `"endTime":${(Number(d) + 1) % 10}`,
    );
    writeLines(dir, lines);
    const err = damageAt(dir);
    assert.equal(err.file, journalPath(dir));
    assert.equal(err.line, n);
    assert.equal(err.problem, 'checksum mismatch');
    assert.ok(err.held.startsWith(`{"k":"workflow","at":${START}`), err.held);
    assert.ok(err.held.length < 200, 'what it held is cut short');
    assert.match(
      err.message,
      new RegExp(`journal .*journal\\.jsonl is damaged at line ${n} \\(checksum mismatch\\)`),
    );
    assert.match(err.message, /--repair/);
  });

  it('text that is not JSON, and a kind no version wrote', async () => {
    const dir = tmp();
    await session(dir);
    const lines = fileLines(dir);
    const n = lineOf(lines, 'rows');
    const good = lines[n - 1]!;
    lines[n - 1] = good.slice(0, 40) + good.slice(60);
    writeLines(dir, lines);
    const notJson = damageAt(dir);
    assert.equal(notJson.line, n);
    assert.match(notJson.problem, /checksum mismatch|not JSON/);

    lines[n - 1] = encodeLine({ k: 'rowz', at: 1 } as never);
    writeLines(dir, lines);
    const unknown = damageAt(dir);
    assert.equal(unknown.line, n);
    assert.equal(unknown.problem, 'unknown kind "rowz"');
  });

  it('a line without a checksum after lines with one is damage', async () => {
    const dir = tmp();
    await session(dir);
    const lines = fileLines(dir);
    lines[4] = lines[4]!.replace(/,"#":"[0-9a-f]{8}"\}$/, '}');
    writeLines(dir, lines);
    const err = damageAt(dir);
    assert.equal(err.line, 5);
    assert.equal(err.problem, 'no checksum');
  });

  it('a torn last line is cut off and the start goes on (a crash mid-write)', async () => {
    const dir = tmp();
    await session(dir);
    const lines = fileLines(dir);
    const whole = readFileSync(journalPath(dir), 'utf8');
    writeFileSync(journalPath(dir), `${whole}${lines[3]!.slice(0, 25)}`);
    const emu = build(dir);
    assert.equal(emu.recovered.skipped, 1);
    await emu.close();
    assert.ok(!readFileSync(journalPath(dir), 'utf8').includes(lines[3]!.slice(0, 25) + '{'));
    assert.equal(loadJournal(dir).skipped, 0, 'no torn line is left behind');
  });
});

describe('--repair (repairJournal)', () => {
  it('a damaged workflow line: the workflow and its deliveries are dropped and reported', async () => {
    const dir = tmp();
    const [first, second] = await session(dir);
    const clean = build(dir);
    const secondDeliveries = clean
      .deliveries()
      .filter((d) => d.workflowId === second)
      .map((d) => d.id);
    const firstDeliveries = clean.deliveries().filter((d) => d.workflowId === first).length;
    await clean.close();
    const lines = fileLines(dir);
    const n = lineOf(lines, 'workflow', first);
    lines[n - 1] = lines[n - 1]!.replace('"templateName":"', '"templateName":"X');
    writeLines(dir, lines);

    const emu = build(dir, { repairJournal: true });
    try {
      const report = emu.recovered.repaired!;
      assert.equal(report.length, 1, report.join('\n'));
      assert.match(
        report[0]!,
        new RegExp(
          `^line ${n} \\(checksum mismatch\\): workflow ${first} \\(its workflow entry\\): cannot be rebuilt, dropped; ` +
            `with it \\d+ more entries and ${firstDeliveries} deliveries orphaned and dropped$`,
        ),
      );
      assert.equal(emu.store.workflow(first!), undefined);
      assert.deepEqual(
        emu.deliveries().map((d) => d.id),
        secondDeliveries,
        'the other workflow is whole',
      );
      assert.ok(emu.deliveries().every((d) => d.body.length > 0));
    } finally {
      await emu.close();
    }
    assert.ok(existsSync(join(dir, 'journal.before-repair.jsonl')), 'the damaged journal is kept');
    const again = build(dir);
    assert.equal(again.deliveries().length, secondDeliveries.length, 'the repaired journal loads as it is');
    await again.close();
  });

  it('damage that loses nothing (an advance) or little (an attempt record) says so', async () => {
    const dir = tmp();
    await session(dir);
    const lines = fileLines(dir);
    const adv = lineOf(lines, 'advance');
    const att = lineOf(lines, 'attempt');
    lines[adv - 1] = lines[adv - 1]!.replace('"to":', '"to":1');
    lines[att - 1] = lines[att - 1]!.replace('"ok":true', '"ok":false');
    writeLines(dir, lines);
    const emu = build(dir, { repairJournal: true });
    try {
      const report = emu.recovered.repaired!;
      assert.equal(report.length, 2, report.join('\n'));
      assert.match(
        report[0]!,
        /^line \d+ \(checksum mismatch\): an advance of workflow \S+: recomputed on replay, nothing lost$/,
      );
      assert.match(
        report[1]!,
        /^line \d+ \(checksum mismatch\): an attempt record of delivery \S+: dropped; the delivery may be sent again$/,
      );
    } finally {
      await emu.close();
    }
  });
});

describe('--repair of a delivery record', () => {
  it('the delivery is created again from its message and delivered (at-least-once)', async () => {
    const dir = tmp();
    await session(dir);
    const lines = fileLines(dir);
    const n = lineOf(lines, 'delivery');
    const id = (JSON.parse(lines[n - 1]!) as { id: string }).id;
    lines[n - 1] = lines[n - 1]!.replace('"firstAt":', '"firstAt":9');
    writeLines(dir, lines);
    const emu = build(dir, { repairJournal: true });
    try {
      assert.deepEqual(emu.recovered.repaired!.slice(0, 1), [
        `line ${n} (checksum mismatch): delivery ${id}'s record: dropped; its callback is sent again when its campaign produces it`,
      ]);
      await emu.idle();
      const d = emu.deliveries().find((x) => x.id === id);
      assert.ok(d, 'the delivery is back');
      assert.equal(d.outcome, 'delivered');
      assert.ok(d.body.length > 0);
    } finally {
      await emu.close();
    }
  });
});

describe('the journal is read as a stream', () => {
  it('lines split across reads come back whole, in order, with their numbers and offsets', () => {
    const dir = tmp();
    const text = ['{"a":1}', '', '{"b":"ünï"}', '{"c":3}'].join('\n');
    writeFileSync(journalPath(dir), text);
    for (const chunkBytes of [1, 2, 7, 64]) {
      const got = [...readLines(journalPath(dir), { chunkBytes, maxLineBytes: 100 })];
      assert.deepEqual(
        got.map((l) => [l.n, l.start, l.text, l.terminated]),
        [
          [1, 0, '{"a":1}', true],
          [3, 9, '{"b":"ünï"}', true],
          [4, 23, '{"c":3}', false],
        ],
        `chunkBytes ${chunkBytes}`,
      );
    }
  });

  it('a line just past the longest-line limit is damage; one at the limit is read', async () => {
    const dir = tmp();
    await session(dir);
    const lines = fileLines(dir);
    const longest = Math.max(...lines.map((l) => Buffer.byteLength(l)));
    const at = build(dir, { journal: { readLimits: { chunkBytes: 13, maxLineBytes: longest } } });
    const deliveries = at.deliveries().length;
    await at.close();
    assert.ok(deliveries > 0);
    const n = lines.findIndex((l) => Buffer.byteLength(l) === longest) + 1;
    try {
      build(dir, { journal: { readLimits: { chunkBytes: 13, maxLineBytes: longest - 1 } } });
      assert.fail('a line over the limit was read');
    } catch (err) {
      assert.ok(err instanceof JournalDamagedError, String(err));
      assert.equal(err.line, n);
      assert.equal(err.problem, `longer than ${longest - 1} bytes`);
    }
  });
});

describe('compaction', () => {
  it('on start: history (a reset, settled attempts, superseded advances) goes, the state stays', async () => {
    const dir = tmp();
    await session(dir);
    const first = build(dir);
    // History: everything before this reset is forgotten by every restart.
    await first.reset();
    await first.close();
    await session(dir);
    const linesBefore = fileLines(dir).length;
    const straight = loadJournal(dir).entries;
    const emu = build(dir);
    const state = snapshot(emu);
    await emu.close();
    const after = fileLines(dir);
    assert.ok(emu.recovered.compacted, 'compacted on start');
    assert.equal(emu.recovered.compacted.from, linesBefore);
    assert.ok(
      after.length < straight.length,
      `${after.length} lines after, ${straight.length} live entries before`,
    );
    assert.ok(!after.some((l) => l.startsWith('{"k":"sending"')), 'no settled in-flight marker is kept');
    const again = build(dir);
    assert.deepEqual(snapshot(again), state, 'the compacted journal restores the same state');
    assert.equal(again.recovered.compacted, undefined, 'a compact journal is not rewritten again');
    await again.close();
  });

  it('compacts exactly when the appended lines reach compactAfterLines', () => {
    const dir = tmp();
    const j = openJournal(dir, { compactAfterLines: 5 });
    // The same token re-issued: each entry replaces the one before.
    const token = (n: number) => ({ k: 'token' as const, token: 't', appKey: 'k', expiresAt: n });
    for (let n = 1; n <= 4; n++) j.append(token(n));
    assert.equal(fileLines(dir).length, 4, 'one line short of the limit: not compacted');
    j.append(token(5));
    assert.deepEqual(fileLines(dir), [encodeLine(token(5))], 'at the limit: compacted');
    j.append(token(6));
    j.close();
    assert.deepEqual(fileLines(dir), [encodeLine(token(5)), encodeLine(token(6))], 'appends go on after it');
  });

  it("keeps the journal's last-write time, which a scaled clock resumes from", async () => {
    const dir = tmp();
    await session(dir);
    const lastWrite = new Date(Date.UTC(2024, 2, 11, 9, 0));
    utimesSync(journalPath(dir), lastWrite, lastWrite);
    const emu = build(dir);
    await emu.close();
    assert.ok(emu.recovered.compacted, 'compacted on start');
    assert.equal(statSync(journalPath(dir)).mtimeMs, lastWrite.getTime());
  });

  it('while running, past N appended lines: the file shrinks and restores the same state', async () => {
    const dir = tmp();
    const emu = build(dir, { journal: { compactAfterLines: 15 } });
    let state: Json;
    try {
      await request(emu.app).post('/__emulator/scenarios/tele/trigger').send({}).expect(201);
      await emu.idle();
      state = snapshot(emu);
    } finally {
      await emu.close();
    }
    const lines = fileLines(dir).length;
    const uncompacted = state.deliveries.length * 3;
    assert.ok(lines < uncompacted, `${lines} lines`);
    assert.ok(!readdirSync(dir).some((f) => f.endsWith('.tmp')), 'no temporary file is left');
    const again = build(dir);
    assert.deepEqual(snapshot(again), state);
    await again.close();
  });
});

/** What the store holds, in a comparable form (latencies are real time: left out). */
function snapshot(emu: BuiltEmulator): Json {
  return {
    workflows: emu.store.listWorkflows().map((w) => ({
      ...w,
      rows: emu.store.rowsOf(w.workflowId),
      events: emu.store.eventsOf(w.workflowId).map((e) => `${e.at} ${e.kind}`),
    })),
    deliveries: emu.deliveries().map((d) => ({
      ...d,
      attempts: d.attempts.map(({ latencyMs: _l, ...a }) => a),
    })),
  };
}
