/**
 * Sending the pack: against a loopback receiver that rejects `ring_type: null`, verify names
 * exactly those variants and exits 1; against one that accepts everything it exits 0; an
 * unreachable target or a usage error exits 2. Every request carries the delivery headers and a
 * signature that `verifySignature` accepts, also with AES.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decryptCallback } from '../../src/core/aes.ts';
import { SIGNING_SCHEMES, verifySignature } from '../../src/core/signing.ts';
import { runVerify, type VerifyReport } from '../../src/verify/run-verify.ts';
import { buildVariants, CALLBACK_TYPES, variantBody, type Variant } from '../../src/verify/variants.ts';
import { runCli, type CliResult } from '../helpers/cli.ts';
import { startReceiver, type ReceivedRequest, type Receiver } from '../helpers/receiver.ts';

const cli = (...args: string[]): Promise<CliResult> => runCli(['verify', ...args]);
const usage = (message: string) =>
  `airudder-emulator verify: ${message}\nRun "airudder-emulator verify --help" for the options.\n`;

/** Any ring_type that is null, at any depth: what a too-strict receiver would refuse. */
function hasNullRingType(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasNullRingType);
  if (typeof value !== 'object' || value === null) return false;
  return Object.entries(value).some(([k, v]) => (k === 'ring_type' && v === null) || hasNullRingType(v));
}

const rejectNullRingType = (req: ReceivedRequest) =>
  hasNullRingType(JSON.parse(req.body))
    ? { status: 422, body: '{"error":"ring_type must be a string"}' }
    : 200;

let pack: Variant[];
let dir: string;
before(() => {
  pack = buildVariants({ seed: 1 });
  dir = mkdtempSync(join(tmpdir(), 'verify-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('runVerify (in process)', () => {
  let rx: Receiver;
  let report: VerifyReport;
  before(async () => {
    rx = await startReceiver({ respond: rejectNullRingType });
    report = await runVerify({ target: rx.url, variants: pack, seed: 1, key: 'secret-key' });
  });
  after(() => rx.close());

  test('sends every variant once, in pack order, byte for byte', () => {
    assert.equal(rx.requests.length, pack.length);
    pack.forEach((v, i) => {
      const req = rx.requests[i]!;
      assert.equal(req.method, 'POST');
      assert.equal(req.body, variantBody(v), v.name);
    });
  });

  test('names exactly the rejected variants, with status and answer', () => {
    const expected = pack.filter((v) => hasNullRingType(v.payload)).map((v) => v.name);
    assert.ok(expected.length >= 4, `${expected}`);
    assert.deepEqual(report.rejected, expected);
    assert.deepEqual(report.summary, {
      variants: pack.length,
      sent: pack.length,
      accepted: pack.length - expected.length,
      rejected: expected.length,
    });
    const r = report.results.find((x) => x.name === expected[0])!;
    assert.deepEqual([r.accepted, r.status, r.error], [false, 422, 'non-2xx']);
    assert.equal(r.response, '{"error":"ring_type must be a string"}');
    assert.ok(r.valid.length > 0 && r.tricky.length > 0);
    assert.ok(report.results.every((x) => x.latencyMs >= 0 && x.bytes > 0));
  });

  test('each request has the delivery headers and a signature verifySignature accepts', () => {
    for (const req of rx.requests) {
      assert.equal(req.headers['content-type'], 'application/json');
      assert.equal(req.headers['user-agent'], 'Airudder');
      assert.ok(
        verifySignature(req.raw, req.headers, 'secret-key'),
        `signature of ${req.headers['x-emulator-variant']}`,
      );
      assert.ok(!verifySignature(req.raw, req.headers, 'airudder'), 'the key matters');
    }
    assert.deepEqual(
      rx.requests.map((r) => r.headers['x-emulator-variant']),
      pack.map((v) => v.name),
    );
  });

  test('the first 300 characters of a long answer are kept', async () => {
    const long = await startReceiver({ respond: { status: 500, body: 'e'.repeat(2000) } });
    try {
      const r = await runVerify({ target: long.url, variants: pack.slice(0, 1), seed: 1 });
      assert.equal(r.results[0]!.response, 'e'.repeat(300));
      assert.deepEqual(r.rejected, [pack[0]!.name]);
    } finally {
      await long.close();
    }
  });

  test('without a key, only the callbacks whose page has a KEY are signed (with airudder)', async () => {
    const plain = await startReceiver();
    try {
      await runVerify({ target: plain.url, variants: pack, seed: 1 });
      const signed = new Set(['call-completion', 'call-completion-info-check', 'chatbot-session-end']);
      pack.forEach((v, i) => {
        const req = plain.requests[i]!;
        if (signed.has(v.type)) assert.ok(verifySignature(req.raw, req.headers, 'airudder'), v.name);
        else assert.equal(req.headers['x-airudder-sign'], undefined, v.name);
      });
      const types = new Set(pack.map((v) => v.type));
      assert.ok(types.has('custom-api-node-push') && types.has('call-completion'));
    } finally {
      await plain.close();
    }
  });

  test('AES: encrypted bodies decrypt to the variant, signed over the ciphertext', async () => {
    const aes = await startReceiver();
    try {
      const some = pack.filter((v) => v.type === 'call-completion-info-check');
      const key = '0123456789abcdef';
      const r = await runVerify({
        target: aes.url,
        variants: some,
        seed: 1,
        encryption: { key },
        signing: { algorithm: 'md5-body-key' },
      });
      assert.equal(r.summary.accepted, some.length);
      assert.equal(r.encrypted, true);
      some.forEach((v, i) => {
        const req = aes.requests[i]!;
        assert.equal(req.headers['is-encrypted'], '1');
        // No --key: Info Check callbacks (their page has a KEY) are signed with airudder.
        assert.ok(verifySignature(req.raw, req.headers, 'airudder', 'md5-body-key'));
        assert.deepEqual(decryptCallback(req.raw, req.headers, key).payload, v.payload);
      });
    } finally {
      await aes.close();
    }
  });

  test('an unreachable target stops after the first request', async () => {
    const gone = await startReceiver();
    const url = gone.url;
    await gone.close();
    const r = await runVerify({ target: url, variants: pack, seed: 1 });
    assert.equal(r.results.length, 1);
    assert.match(r.connectionError ?? '', /refused/);
  });
});

describe('airudder-emulator verify', () => {
  let strict: Receiver;
  let lenient: Receiver;
  before(async () => {
    strict = await startReceiver({ respond: rejectNullRingType });
    lenient = await startReceiver();
  });
  after(async () => {
    await strict.close();
    await lenient.close();
  });

  test('exit 1 when the endpoint rejects valid variants, and names them', async () => {
    const reportFile = join(dir, 'out', 'report.json');
    const r = await cli('--target', strict.url, '--report', reportFile, '--quiet');
    assert.equal(r.code, 1, r.stderr);
    const rejected = pack.filter((v) => hasNullRingType(v.payload)).map((v) => v.name);
    assert.match(
      r.stdout,
      new RegExp(`${pack.length - rejected.length} accepted, ${rejected.length} rejected`),
    );
    for (const name of rejected) assert.match(r.stdout, new RegExp(`^  ${name}: HTTP 422`, 'm'));
    assert.match(r.stdout, /valid: {2}null is the documented initial value of ring_type/);
    const report = JSON.parse(readFileSync(reportFile, 'utf8')) as VerifyReport;
    assert.deepEqual(report.rejected, rejected);
    assert.equal(report.results.length, pack.length);
  });

  test('exit 0 when the endpoint accepts every variant', async () => {
    const r = await cli(
      '--target',
      lenient.url,
      '--type',
      'workflow-status-change',
      '--signing-algorithm',
      'none',
    );
    assert.equal(r.code, 0, r.stderr);
    const n = pack.filter((v) => v.type === 'workflow-status-change').length;
    assert.match(r.stdout, new RegExp(`${n} accepted, 0 rejected`));
    assert.match(r.stdout, /ok {4}200 .* workflow-status-change\/emulator-running/);
    const sent = lenient.requests.slice(-n);
    assert.ok(
      sent.every((q) => q.headers['x-airudder-sign'] === undefined),
      'signing none sends no header',
    );
  });

  test('exit 2 on an unreachable target and on usage errors', async () => {
    const gone = await startReceiver();
    await gone.close();
    const r = await cli('--target', gone.url);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^airudder-emulator verify: cannot reach the target: .*refused.*\n$/);
    const reportInFile = join(dir, 'a-file');
    writeFileSync(reportInFile, '');
    const sentBefore = lenient.requests.length;
    const cases: [string[], string][] = [
      [[], usage('--target <url> is required')],
      [['--target', 'ftp://x'], usage('--target must be an http(s) URL (got "ftp://x")')],
      [
        ['--target', lenient.url, '--type', 'nope'],
        usage(
          'unknown --type "nope" (known: custom-api-node-push, call-completion-info-check, call-completion, list-completion, workflow-status-change, chatbot-session-end)',
        ),
      ],
      [
        ['--target', lenient.url, '--type', 'list-complettion'],
        usage(
          'unknown --type "list-complettion" (did you mean list-completion?) (known: custom-api-node-push, call-completion-info-check, call-completion, list-completion, workflow-status-change, chatbot-session-end)',
        ),
      ],
      [
        ['--target', lenient.url, '--signing-algorithm', 'rot13'],
        usage(`--signing-algorithm must be one of ${SIGNING_SCHEMES.join(', ')} (got "rot13")`),
      ],
      [
        ['--target', lenient.url, '--encryption-key', 'short'],
        usage('--encryption-key must be 16, 24 or 32 bytes (got 5)'),
      ],
      [
        ['--target', lenient.url, '--seed=-1'],
        usage('--seed must be an integer from 0 to 4294967295 (got "-1")'),
      ],
      [
        ['--target', lenient.url, '--timeout-ms', '0'],
        usage('--timeout-ms must be an integer from 1 to 600000 (got "0")'),
      ],
      [['--target', lenient.url, '--taget', 'x'], usage('unknown option --taget (did you mean --target?)')],
      [
        ['--list', 'extra'],
        usage('unexpected argument "extra" (this command takes no arguments, only options)'),
      ],
      [
        ['--target', lenient.url, '--report', join(reportInFile, 'r.json')],
        usage(`cannot write --report ${join(reportInFile, 'r.json')} (ENOTDIR)`),
      ],
    ];
    const results = await Promise.all(cases.map(([args]) => cli(...args)));
    results.forEach((u, i) => {
      const [args, stderr] = cases[i]!;
      assert.deepEqual(u, { code: 2, stdout: '', stderr }, args.join(' '));
    });
    assert.equal(lenient.requests.length, sentBefore, 'nothing is sent after a usage error');
  });

  test('--list prints the variants without sending', async () => {
    const before = lenient.requests.length;
    const r = await cli('--list', '--type', 'chatbot-session-end');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^chatbot-session-end\/empty-session$/m);
    assert.equal(lenient.requests.length, before);
  });

  test('--list shows the opt-in negative cases after the variants, or the ones --negative chose', async () => {
    const before = lenient.requests.length;
    const all = await cli('--list', '--type', 'chatbot-session-end');
    assert.equal(all.code, 0, all.stderr);
    const tail = all.stdout.slice(all.stdout.indexOf('\nNegative cases'));
    assert.equal(
      tail,
      [
        '',
        'Negative cases (opt-in: sent only with --negative <cases>):',
        'negative/bad-signature/chatbot-session-end  [opt-in, with --negative]',
        '    from chatbot-session-end/schema-example: refused (non-2xx): the signature was made with another KEY',
        '    skipped unless --enforce-signature',
        'negative/tampered-body/chatbot-session-end  [opt-in, with --negative]',
        '    from chatbot-session-end/schema-example: refused (non-2xx): the body was changed after signing',
        '    skipped unless --enforce-signature',
        'negative/duplicate/chatbot-session-end  [opt-in, with --negative]',
        '    from chatbot-session-end/schema-example: both acknowledged (2xx), one record kept',
        '    the record count is checked with --check-url',
        '3 negative cases (opt-in, with --negative)',
        '',
      ].join('\n'),
    );
    const chosen = await cli('--list', '--negative', 'duplicate');
    assert.equal(chosen.code, 0, chosen.stderr);
    const lines = chosen.stdout.slice(chosen.stdout.indexOf('\nNegative cases')).split('\n');
    assert.equal(lines[1], 'Negative cases (--negative duplicate):');
    const names = lines.filter((l) => l.startsWith('negative/'));
    assert.deepEqual(
      names.map((l) => l.split('  ')[0]),
      CALLBACK_TYPES.map((t) => `negative/duplicate/${t}`),
    );
    assert.ok(names.every((l) => l.endsWith('  [chosen by --negative]')));
    assert.equal(lines.at(-2), `${CALLBACK_TYPES.length} negative cases (chosen by --negative)`);
    assert.equal(lenient.requests.length, before, '--list sends nothing');
  });
});
