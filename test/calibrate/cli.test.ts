/**
 * `airudder-emulator calibrate` as a user runs it (in-process): privacy of the output, the drift
 * report (and --strict), bad input (exit 2, per file and per line; --skip-bad), folders and --out.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.ts';
import { messagesOf, simulate } from '../../src/engine/campaign.ts';
import { loadScenarioFile, parseScenario } from '../../src/scenario/load.ts';
import { SCHEMA_DIR } from '../../src/contract/registry.ts';
import { ROOT } from '../helpers/cli.ts';

async function cli(cwd: string, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(['calibrate', ...argv], {
    cwd,
    stdout: { write: (t: string) => (out += t) },
    stderr: { write: (t: string) => (err += t) },
  });
  return { code, out, err };
}

const SCENARIOS = ['collection-ptp', 'telemarketing', 'ecommerce-order-confirmation', 'info-check-redials'];
const T0 = Date.UTC(2024, 2, 11, 2);

function recorded(name: string, count: number): unknown[] {
  const s = loadScenarioFile(name);
  s.contacts = { rows: s.contacts.rows ?? [], generate: { ...s.contacts.generate, count } };
  return messagesOf(simulate({ scenario: s, startTime: T0 })).map((m) => m.payload);
}

const jsonl = (values: unknown[]): string => values.map((v) => JSON.stringify(v)).join('\n') + '\n';

/** Every enum/const string value and property name the schemas define (they may be printed). */
function schemaVocabulary(): Set<string> {
  const words = new Set<string>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (typeof node !== 'object' || node === null) return;
    const o = node as Record<string, unknown>;
    for (const v of (o.enum as unknown[] | undefined) ?? []) if (typeof v === 'string') words.add(v);
    if (typeof o.const === 'string') words.add(o.const);
    if (typeof o.properties === 'object' && o.properties)
      for (const k of Object.keys(o.properties)) words.add(k);
    Object.values(o).forEach(walk);
  };
  for (const f of readdirSync(SCHEMA_DIR)) walk(JSON.parse(readFileSync(join(SCHEMA_DIR, f), 'utf8')));
  return words;
}

function stringsOf(v: unknown, out: Set<string>): Set<string> {
  if (typeof v === 'string') out.add(v);
  else if (Array.isArray(v)) v.forEach((x) => stringsOf(x, out));
  else if (typeof v === 'object' && v !== null) Object.values(v).forEach((x) => stringsOf(x, out));
  return out;
}

let dir: string;
const inputs: Record<string, unknown[]> = {};

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'calibrate-'));
  mkdirSync(join(dir, 'rec', 'nested'), { recursive: true });
  for (const name of SCENARIOS) {
    inputs[name] = recorded(name, 300);
    // One file nested, one as a JSON array: folders are walked, both formats read.
    const file =
      name === 'telemarketing' ? join('rec', 'nested', `${name}.json`) : join('rec', `${name}.jsonl`);
    const text = name === 'telemarketing' ? JSON.stringify(inputs[name]) : jsonl(inputs[name]!);
    writeFileSync(join(dir, file), text);
  }
});

after(() => rmSync(dir, { recursive: true, force: true }));

describe('calibrate: privacy by construction', () => {
  it('no recorded string of 5+ characters reaches the output, except the schemas’ enum values and key names', async () => {
    const r = await cli(dir, 'rec', '--out', 'out/');
    assert.equal(r.code, 0, r.err);
    const files = readdirSync(join(dir, 'out')).sort();
    assert.deepEqual(files, [
      'calibrated-collection-id.yaml',
      'calibrated-ecommerce-mx.yaml',
      'calibrated-info-check-mx.yaml',
      'calibrated-telemarketing-ph.yaml',
    ]);
    // The tool's own words (its name, the sink URL) and the zone named after the callees'
    // country are no recorded data, but may coincide with some (a custom_attribute "emulator", a
    // city "Manila"): they are taken out before the check.
    const output = files
      .map((f) => readFileSync(join(dir, 'out', f), 'utf8'))
      .join('\n')
      .replaceAll('airudder-emulator', '')
      .replaceAll('/__emulator/', '')
      .replace(/^ {2}timezone: .*$/gm, '')
      .replace(/time zone \S+/g, '');
    const allowed = schemaVocabulary();
    const leaked = [...stringsOf(Object.values(inputs), new Set())].filter(
      (s) => s.length >= 5 && !allowed.has(s) && output.includes(s),
    );
    assert.deepEqual(leaked, []);
    // Each is a valid scenario (parseScenario checks the schema and the rules beyond it).
    for (const f of files) parseScenario(readFileSync(join(dir, 'out', f), 'utf8'), f);
  });

  it('several groups on stdout are one YAML stream, each document with its own header', async () => {
    const r = await cli(dir, 'rec');
    assert.equal(r.code, 0, r.err);
    const docs = r.out.split(/^---$/m);
    assert.equal(docs.length, 4);
    for (const d of docs) assert.match(d, /^# Fitted by `airudder-emulator calibrate`/m);
    assert.match(r.out, /Business from: question_answer \(1 workflow\)/);
    assert.match(r.out, /Business from: debt fields in the push callee \(1 workflow\)/);
  });

  it('--business and --map override the inference, and the header says so', async () => {
    const one = join('rec', 'collection-ptp.jsonl');
    const byMap = await cli(dir, one, '--map', 'collection_*=telemarketing');
    assert.match(byMap.out, /business telemarketing, country ID/);
    assert.match(byMap.out, /Business from: --map collection_\* \(1 workflow\)/);
    const byFlag = await cli(dir, one, '--business', 'ecommerce', '--map', 'collection_*=telemarketing');
    assert.match(byFlag.out, /Business from: --business/);
    assert.equal((await cli(dir, one, '--map', 'x=sales')).code, 2);
  });
});

describe('calibrate: the recorded sample (test/fixtures/recorded-collection.jsonl)', () => {
  it('gives a scenario that `run` plays', async () => {
    const sample = join(ROOT, 'test', 'fixtures', 'recorded-collection.jsonl');
    const r = await cli(dir, sample, '--out', 'sample.yaml');
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /^wrote sample\.yaml$/m);
    let out = '';
    const code = await main(['run', 'sample.yaml', '--sink', '--quiet'], {
      cwd: dir,
      stdout: { write: (t: string) => (out += t) },
      stderr: { write: (t: string) => (out += t) },
    });
    assert.equal(code, 0, out);
    assert.match(out, /calibrated-collection-id: 82 deliveries, 82 delivered/);
  });
});

describe('calibrate: drift report', () => {
  it('finds a field added to a recorded callback and an unknown enum value, with counts and an example path', async () => {
    const msgs = structuredClone(inputs['collection-ptp']!) as Record<string, Record<string, unknown>>[];
    const push = msgs.findIndex((m) => 'node_id' in m);
    msgs[push]!.call!.sentiment = 'positive';
    const done = msgs.findIndex((m) => 'nodetask_id' in m);
    (msgs[done]!.details as unknown as Record<string, unknown>[])[0]!.ring_type = 'ringing';
    writeFileSync(join(dir, 'drift.jsonl'), jsonl(msgs));
    const r = await cli(dir, 'drift.jsonl', '--drift-report', 'drift.json');
    assert.equal(r.code, 0, r.err);
    const report = JSON.parse(readFileSync(join(dir, 'drift.json'), 'utf8')) as {
      drifted: number;
      entries: {
        type: string;
        kind: string;
        path: string;
        count: number;
        example: string;
        values?: string[];
      }[];
    };
    assert.equal(report.drifted, 2);
    const field = report.entries.find((e) => e.kind === 'unknown field');
    assert.deepEqual(field && { ...field, message: undefined }, {
      type: 'custom-api-node-push',
      kind: 'unknown field',
      path: '$.call.sentiment',
      message: undefined,
      count: 1,
      example: `drift.jsonl:${push + 1} $.call.sentiment`,
    });
    const value = report.entries.find((e) => e.kind === 'unknown enum value');
    assert.equal(value?.path, '$.details[].ring_type');
    assert.deepEqual(value?.values, ['"ringing"']);
    assert.equal(value?.example, `drift.jsonl:${done + 1} $.details[0].ring_type`);
    const strict = await cli(dir, 'drift.jsonl', '--strict');
    assert.equal(strict.code, 1);
    assert.match(
      strict.err,
      /custom-api-node-push \$\.call\.sentiment: unknown field ×1 \(e\.g\. drift\.jsonl:\d+ \$\.call\.sentiment\)/,
    );
  });

  it('clean traffic has no drift, and --strict passes', async () => {
    const r = await cli(dir, join('rec', 'collection-ptp.jsonl'), '--strict');
    assert.equal(r.code, 0);
    assert.match(r.err, /drift: none \(\d+ messages match the schemas\)/);
  });
});

describe('calibrate: bad input', () => {
  const good = (): string => jsonl(inputs['collection-ptp']!.slice(0, 40));

  it('a malformed JSON file: its name, line and column, exit 2', async () => {
    writeFileSync(join(dir, 'bad.json'), '{"workflow_id": "x",, }');
    const r = await cli(dir, 'bad.json');
    assert.equal(r.code, 2);
    assert.match(r.err, /^bad\.json:1:21: invalid JSON: unexpected character ","$/m);
    assert.equal(r.out, '');
  });

  it('one bad line in JSON Lines: reported with its line number; skipped only with --skip-bad', async () => {
    const lines = good().split('\n');
    lines.splice(2, 0, '{"truncated": ');
    writeFileSync(join(dir, 'one-bad.jsonl'), lines.join('\n'));
    const r = await cli(dir, 'one-bad.jsonl');
    assert.equal(r.code, 2);
    assert.match(r.err, /^one-bad\.jsonl:3: invalid JSON at column 14: unexpected end of input$/m);
    const skipped = await cli(dir, 'one-bad.jsonl', '--skip-bad');
    assert.equal(skipped.code, 0, skipped.err);
    assert.match(skipped.err, /^one-bad\.jsonl:3: .* \(skipped\)$/m);
    assert.match(skipped.out, /^name: calibrated-collection-id$/m);
  });

  it('a mixed message, an unknown message and a REST body: each named, exit 2', async () => {
    const [first] = inputs['collection-ptp']!.filter((m) => 'nodetask_id' in (m as object));
    const mixed = { ...(first as object), node_id: 'n', call: {}, callee: {} };
    writeFileSync(
      join(dir, 'odd.json'),
      JSON.stringify([mixed, { hello: 'world' }, { APPKey: 'k', APPSecret: 's' }]),
    );
    const r = await cli(dir, 'odd.json');
    assert.equal(r.code, 2);
    assert.match(
      r.err,
      /^odd\.json\[0\]: mixed message: has the keys of custom-api-node-push and call-completion$/m,
    );
    assert.match(r.err, /^odd\.json\[1\]: unknown message: no callback schema matches its shape$/m);
    assert.match(r.err, /^odd\.json\[2\]: not a callback: looks like auth-request/m);
  });

  it('an empty file, an empty folder, a missing file, and input without calls: exit 2', async () => {
    writeFileSync(join(dir, 'empty.jsonl'), '\n\n');
    assert.match((await cli(dir, 'empty.jsonl')).err, /^empty\.jsonl: empty file$/m);
    mkdirSync(join(dir, 'nothing'), { recursive: true });
    const none = await cli(dir, 'nothing');
    assert.equal(none.code, 2);
    assert.match(none.err, /nothing: no \.json, \.jsonl or \.ndjson files/);
    const missing = await cli(dir, 'missing.json');
    assert.equal(missing.code, 2);
    assert.match(missing.err, /^missing\.json: cannot read \(ENOENT\)$/m);
    const status = inputs['collection-ptp']!.filter((m) => 'actions' in (m as object));
    writeFileSync(join(dir, 'status.json'), JSON.stringify(status));
    const noCalls = await cli(dir, 'status.json');
    assert.equal(noCalls.code, 2);
    assert.match(noCalls.err, /no calls in the input \(2 message\(s\)\): nothing to fit/);
  });

  it('several groups and --out naming one file: a usage error, nothing written', async () => {
    const r = await cli(dir, 'rec', '--out', 'one.yaml');
    assert.equal(r.code, 2);
    assert.match(r.err, /the input has 4 groups .*: give --out a folder/);
  });
});
