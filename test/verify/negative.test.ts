/**
 * `verify --negative`: against the receiver helper `airudderCallback()` served on port 0, an
 * enforcing receiver refuses the bad-signature and tampered-body cases and a non-enforcing one is
 * reported as accepting them; without --enforce-signature they are skipped. The duplicate pair is
 * the same request twice; a receiver that dedupes by the recommended idempotency key passes the
 * --check-url count, one that stores every delivery fails it.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { idempotencyKey } from '../../src/contract/idempotency.ts';
import { signBody, verifySignature } from '../../src/core/signing.ts';
import { airudderCallback, type AirudderCallbackOptions, type CallbackRequest } from '../../src/receiver.ts';
import { checkUrlFor, type NegativeResult } from '../../src/verify/negative.ts';
import { runVerify, type VerifyReport } from '../../src/verify/run-verify.ts';
import { buildVariants, variantBody, type Variant } from '../../src/verify/variants.ts';
import { runCli } from '../helpers/cli.ts';
import { startReceiver } from '../helpers/receiver.ts';

interface Served {
  url: string;
  checkUrl: string;
  /** Records stored per `<type> <idempotency key>`. */
  records: Map<string, number>;
  close(): Promise<void>;
}

/**
 * A receiver service built on airudderCallback(): stores one record per delivery, or (dedupe) one
 * per idempotency key; GET /count?type=&key= answers {"count": n}.
 */
async function serve(opts: AirudderCallbackOptions, dedupe: boolean): Promise<Served> {
  const records = new Map<string, number>();
  const mw = airudderCallback(opts);
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (req.method === 'GET' && url.pathname === '/count') {
      const count = records.get(`${url.searchParams.get('type')} ${url.searchParams.get('key')}`) ?? 0;
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ count }));
      return;
    }
    mw(req as CallbackRequest, res, (err) => {
      if (err !== undefined) {
        const status = (err as { status?: number }).status ?? 500;
        res.writeHead(status).end(JSON.stringify({ error: (err as Error).message }));
        return;
      }
      const cb = (req as CallbackRequest).airudder!;
      const id = `${cb.type} ${idempotencyKey(cb.type, cb.payload as never)}`;
      const n = records.get(id) ?? 0;
      if (!dedupe || n === 0) records.set(id, n + 1);
      res.writeHead(200).end('{"code":0}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/callback`,
    checkUrl: `http://127.0.0.1:${port}/count`,
    records,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

const SIGNED = ['call-completion-info-check', 'call-completion', 'chatbot-session-end'];
const UNSIGNED = ['custom-api-node-push', 'list-completion', 'workflow-status-change'];

function byName(results: NegativeResult[]): Record<string, [string, string]> {
  return Object.fromEntries(results.map((r) => [r.name, [r.outcome, r.detail]]));
}

let pack: Variant[];
/** One variant per type keeps the runs short; the negative cases start from these. */
let baselines: Variant[];
before(() => {
  pack = buildVariants({ seed: 1 });
  const slugs = ['emulator-answered', 'emulator', 'emulator-running', 'schema-example'];
  baselines = pack.filter((v) => slugs.includes(v.name.split('/')[1]!));
  baselines = baselines.filter((v, i) => baselines.findIndex((w) => w.type === v.type) === i);
});

describe('negative cases against airudderCallback()', () => {
  let enforcing: Served;
  let lenient: Served;
  before(async () => {
    enforcing = await serve({ enforceSignature: true }, true);
    lenient = await serve({}, false);
  });
  after(async () => {
    await enforcing.close();
    await lenient.close();
  });

  test('an enforcing, deduping receiver passes every case that applies', async () => {
    const report = await runVerify({
      target: enforcing.url,
      variants: pack,
      seed: 1,
      negative: {
        cases: ['bad-signature', 'tampered-body', 'duplicate'],
        enforceSignature: true,
        checkUrl: enforcing.checkUrl,
      },
    });
    assert.equal(report.summary.rejected, 0, `${report.rejected}`);
    const neg = report.negative!;
    assert.deepEqual(neg.summary, { pass: 12, fail: 0, skipped: 6, unchecked: 0 });
    const got = byName(neg.results);
    for (const t of SIGNED) {
      assert.deepEqual(got[`negative/bad-signature/${t}`], ['pass', 'refused with HTTP 401']);
      assert.deepEqual(got[`negative/tampered-body/${t}`], ['pass', 'refused with HTTP 401']);
    }
    for (const t of UNSIGNED) {
      assert.deepEqual(got[`negative/bad-signature/${t}`], [
        'skipped',
        `${t} goes out unsigned (its vendor page names no KEY); --key signs every type`,
      ]);
    }
    const dup = neg.results.find((r) => r.name === 'negative/duplicate/call-completion')!;
    const v = pack.find((x) => x.name === 'call-completion/emulator-answered')!;
    const key = idempotencyKey('call-completion', v.payload as never);
    assert.deepEqual(
      { ...dup },
      {
        name: 'negative/duplicate/call-completion',
        case: 'duplicate',
        type: 'call-completion',
        expected: 'both acknowledged (2xx), one record kept',
        idempotencyKey: key,
        keyFields: 'details[].call_id',
        answers: ['HTTP 200', 'HTTP 200'],
        outcome: 'pass',
        detail: `the check URL counts one record under details[].call_id = ${key}`,
        count: 1,
      },
    );
    assert.ok(neg.results.filter((r) => r.case === 'duplicate').every((r) => r.outcome === 'pass'));
  });

  test('a receiver that does not enforce the signature fails the signing cases', async () => {
    const report = await runVerify({
      target: lenient.url,
      variants: baselines,
      seed: 1,
      negative: { cases: ['bad-signature', 'tampered-body'], enforceSignature: true },
    });
    const got = byName(report.negative!.results);
    const accepted =
      "accepted with HTTP 200: a receiver enforcing the signature (the emulator's algorithm) must refuse it";
    for (const t of SIGNED) {
      assert.deepEqual(got[`negative/bad-signature/${t}`], ['fail', accepted]);
      assert.deepEqual(got[`negative/tampered-body/${t}`], ['fail', accepted]);
    }
    assert.deepEqual(report.negative!.summary, { pass: 0, fail: 6, skipped: 6, unchecked: 0 });
  });

  test('without --enforce-signature the signing cases are skipped, not failed', async () => {
    const report = await runVerify({
      target: lenient.url,
      variants: baselines,
      seed: 1,
      negative: { cases: ['bad-signature', 'tampered-body'], enforceSignature: false },
    });
    const neg = report.negative!;
    assert.deepEqual(neg.summary, { pass: 0, fail: 0, skipped: 12, unchecked: 0 });
    assert.ok(
      neg.results.every(
        (r) =>
          r.detail ===
          'your receiver does not enforce signing (pass --enforce-signature if it refuses a wrong signature)',
      ),
    );
    assert.deepEqual(neg.results[0]!.answers, []);
  });

  test('--key signs every type, so the push is checked too', async () => {
    const all = await serve(
      {
        enforceSignature: true,
        key: 'k2',
        signedTypes: [...SIGNED, ...UNSIGNED] as AirudderCallbackOptions['signedTypes'],
      },
      true,
    );
    try {
      const report = await runVerify({
        target: all.url,
        variants: baselines,
        seed: 1,
        key: 'k2',
        negative: { cases: ['bad-signature', 'tampered-body'], enforceSignature: true },
      });
      assert.deepEqual(report.negative!.summary, { pass: 12, fail: 0, skipped: 0, unchecked: 0 });
    } finally {
      await all.close();
    }
  });

  test('a receiver that stores every delivery fails the duplicate count', async () => {
    const naive = await serve({}, false);
    try {
      const report = await runVerify({
        target: naive.url,
        variants: baselines,
        seed: 1,
        negative: { cases: ['duplicate'], enforceSignature: false, checkUrl: naive.checkUrl },
      });
      const dup = report.negative!.results.find((r) => r.type === 'workflow-status-change')!;
      // The pack sent the baseline once, the pair twice more.
      assert.equal(dup.count, 3);
      assert.equal(dup.outcome, 'fail');
      assert.equal(
        dup.detail,
        `the check URL counts 3 records, expected one record under workflow_id + status = ${dup.idempotencyKey}`,
      );
      assert.match(dup.idempotencyKey!, /^[0-9a-f]{32}:Running$/);
      assert.deepEqual(report.negative!.summary, { pass: 0, fail: 6, skipped: 0, unchecked: 0 });
    } finally {
      await naive.close();
    }
  });
});

describe('negative cases on the wire', () => {
  test('the duplicate is the same request twice; without --check-url it is unchecked', async () => {
    const rx = await startReceiver();
    try {
      const only = baselines.filter((v) => v.type === 'call-completion');
      const report = await runVerify({
        target: rx.url,
        variants: only,
        seed: 1,
        negative: { cases: ['duplicate'], enforceSignature: false },
      });
      const pair = rx.forKey('verify-duplicate/call-completion');
      assert.equal(pair.length, 2);
      assert.equal(pair[0]!.body, variantBody(only[0]!));
      assert.deepEqual(pair[1]!.raw, pair[0]!.raw);
      assert.deepEqual(pair[1]!.headers, pair[0]!.headers);
      assert.equal(pair[0]!.headers['x-emulator-variant'], 'negative/duplicate/call-completion');
      const r = report.negative!.results[0]!;
      const key = idempotencyKey('call-completion', only[0]!.payload as never);
      assert.deepEqual(
        [r.outcome, r.detail],
        ['unchecked', `both acknowledged; your store must hold one record under details[].call_id = ${key}`],
      );
    } finally {
      await rx.close();
    }
  });

  test('a refused duplicate fails: the vendor would retry it', async () => {
    const rx = await startReceiver({ respond: (req) => (req.nth > 1 ? 409 : 200) });
    try {
      const only = baselines.filter((v) => v.type === 'list-completion');
      const report = await runVerify({
        target: rx.url,
        variants: only,
        seed: 1,
        negative: { cases: ['duplicate'], enforceSignature: false },
      });
      const r = report.negative!.results[0]!;
      assert.deepEqual(r.answers, ['HTTP 200', 'HTTP 409']);
      assert.equal(
        r.detail,
        'the second delivery got HTTP 409: acknowledge a duplicate with 2xx, or the vendor retries it',
      );
    } finally {
      await rx.close();
    }
  });

  test('bad signature: another KEY; tampered body: changed workflow_name, original signature', async () => {
    const rx = await startReceiver();
    try {
      const only = baselines.filter((v) => v.type === 'call-completion');
      await runVerify({
        target: rx.url,
        variants: only,
        seed: 1,
        negative: { cases: ['bad-signature', 'tampered-body'], enforceSignature: true },
      });
      const [, bad, tampered] = rx.requests;
      assert.equal(bad!.headers['x-emulator-variant'], 'negative/bad-signature/call-completion');
      assert.equal(bad!.body, variantBody(only[0]!));
      assert.ok(!verifySignature(bad!.raw, bad!.headers, 'airudder'));
      assert.ok(verifySignature(bad!.raw, bad!.headers, 'not-airudder'));
      const payload = JSON.parse(tampered!.body) as { workflow_name: string };
      assert.equal(payload.workflow_name, `${only[0]!.payload.workflow_name as string} (tampered)`);
      assert.deepEqual({ ...payload, workflow_name: only[0]!.payload.workflow_name }, only[0]!.payload);
      assert.equal(tampered!.headers['x-airudder-sign'], signBody(variantBody(only[0]!), 'airudder'));
      assert.equal(tampered!.headers['content-length'], String(tampered!.raw.length));
    } finally {
      await rx.close();
    }
  });

  test('off by default: no negative request, no negative section', async () => {
    const rx = await startReceiver();
    try {
      const report = await runVerify({ target: rx.url, variants: baselines, seed: 1 });
      assert.equal(rx.requests.length, baselines.length);
      assert.equal('negative' in report, false);
    } finally {
      await rx.close();
    }
  });

  test('the check URL keeps its own query', () => {
    assert.equal(
      checkUrlFor('http://h/c?tenant=a', 'list-completion', 'w:c 1:+62'),
      'http://h/c?tenant=a&type=list-completion&key=w%3Ac+1%3A%2B62',
    );
  });
});

describe('airudder-emulator verify --negative', () => {
  let enforcing: Served;
  let lenient: Served;
  let dir: string;
  before(async () => {
    enforcing = await serve({ enforceSignature: true }, true);
    lenient = await serve({}, true);
    dir = mkdtempSync(join(tmpdir(), 'verify-neg-'));
  });
  after(async () => {
    await enforcing.close();
    await lenient.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('exit 0 against an enforcing, deduping receiver; the report has the negative cases', async () => {
    const file = join(dir, 'r.json');
    const r = await runCli([
      'verify',
      '--target',
      enforcing.url,
      '--type',
      'call-completion',
      '--negative',
      'all',
      '--enforce-signature',
      '--check-url',
      enforcing.checkUrl,
      '--report',
      file,
      '--quiet',
    ]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^Negative cases \(a hardened receiver refuses or absorbs these\):$/m);
    assert.match(r.stdout, /^ {2}ok {5}negative\/bad-signature\/call-completion: refused with HTTP 401$/m);
    assert.match(
      r.stdout,
      /^ {2}ok {5}negative\/duplicate\/call-completion: the check URL counts one record/m,
    );
    assert.match(r.stdout, /^3 passed, 0 failed, 0 skipped, 0 unchecked$/m);
    const report = JSON.parse(readFileSync(file, 'utf8')) as VerifyReport;
    assert.deepEqual(report.negative!.cases, ['bad-signature', 'tampered-body', 'duplicate']);
    assert.equal(report.negative!.enforceSignature, true);
    assert.equal(report.negative!.checkUrl, enforcing.checkUrl);
  });

  test('exit 1 when an expected refusal got a 2xx, with the explanation', async () => {
    const r = await runCli([
      'verify',
      '--target',
      lenient.url,
      '--type',
      'chatbot-session-end',
      '--negative',
      'tampered-body',
      '--enforce-signature',
      '--quiet',
    ]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /^\d+ accepted, 0 rejected$/m);
    assert.match(
      r.stdout,
      /^ {2}FAIL {3}negative\/tampered-body\/chatbot-session-end: accepted with HTTP 200: a receiver enforcing the signature \(the emulator's algorithm\) must refuse it$/m,
    );
  });

  test('usage errors', async () => {
    const usage = (m: string) =>
      `airudder-emulator verify: ${m}\nRun "airudder-emulator verify --help" for the options.\n`;
    const cases: [string[], string][] = [
      [
        ['--negative', 'dup'],
        usage('--negative: unknown case "dup" (known: all, bad-signature, tampered-body, duplicate)'),
      ],
      [['--enforce-signature'], usage('--enforce-signature needs --negative')],
      [['--check-url', 'http://x/c'], usage('--check-url needs --negative')],
      [
        ['--negative', 'duplicate', '--check-url', 'x'],
        usage('--check-url must be an http(s) URL (got "x")'),
      ],
    ];
    for (const [args, stderr] of cases) {
      const r = await runCli(['verify', '--target', lenient.url, ...args]);
      assert.deepEqual(r, { code: 2, stdout: '', stderr }, args.join(' '));
    }
  });
});
