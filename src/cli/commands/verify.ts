/**
 * `airudder-emulator verify --target <url>`: the contract verification pack. POSTs every
 * valid-but-tricky variant of each callback to the endpoint, as real deliveries go out, and
 * reports which it rejected and why those payloads are valid. Exit 0 when every variant got a
 * 2xx, 1 when any was rejected, 2 on a usage error or when the first request cannot reach the
 * target at all.
 */
import { writeFileSync } from 'node:fs';
import { aesKeyProblem } from '../../core/aes.ts';
import {
  DEFAULT_SIGNING_KEY,
  DEFAULT_SIGNING_SCHEME,
  signingAlgorithmProblem,
  SIGNING_SCHEMES,
  type SigningScheme,
} from '../../core/signing.ts';
import type { CallbackType } from '../../contract/callbacks.ts';
import {
  NEGATIVE_CASES,
  negativePlan,
  parseNegativeCases,
  type NegativeCase,
  type NegativeReport,
  type NegativeResult,
} from '../../verify/negative.ts';
import {
  DEFAULT_VERIFY_TIMEOUT_MS,
  runVerify,
  VARIANT_HEADER,
  type VariantResult,
  type VerifyReport,
} from '../../verify/run-verify.ts';
import {
  buildVariants,
  CALLBACK_TYPES,
  DEFAULT_VERIFY_SEED,
  VariantBugError,
  type Variant,
} from '../../verify/variants.ts';
import {
  cannotWrite,
  parseCommandArgs,
  parseHttpUrl,
  parseInteger,
  prepareOutputFile,
  UsageError,
  usageFailure,
} from '../args.ts';
import { processIO, type CliIO } from '../io.ts';
import { didYouMean } from '../suggest.ts';

export const VERIFY_USAGE = `Usage: airudder-emulator verify --target <url> [options]

Throws every valid-but-tricky variant of each AIRUDDER callback at your endpoint (vendor
examples byte for byte, ring_type null, empty arrays, masked ids, \\uXXXX text, 1 MB bodies, ...),
one POST each, with the headers and signature of a real delivery, and reports what it rejected.
With --negative it then sends deliveries a hardened receiver must refuse or absorb.
Exit code: 0 every variant got a 2xx (and no negative case failed), 1 some were rejected
(or a negative case failed), 2 usage error or target unreachable.

Options:
  --target <url>          the endpoint to POST to (required unless --list)
  --type <callback>       only this callback type (${CALLBACK_TYPES.join(', ')})
  --key <key>             sign every variant with this KEY (default: only call completion
                          and chatbot session end, with ${DEFAULT_SIGNING_KEY}: the callbacks
                          whose vendor page has a KEY; the algorithm is emulator-defined)
  --signing-algorithm <a> ${SIGNING_SCHEMES.join(' | ')} (default hmac-sha256;
                          a scenario's delivery.signing.algorithm)
  --encryption-key <key>  encrypt bodies with the vendor AES scheme (16, 24 or 32 bytes;
                          a scenario's delivery.encryption.key)
  --seed <n>              seed of the generated payloads (default ${DEFAULT_VERIFY_SEED})
  --report <file.json>    write the JSON report
  --timeout-ms <n>        answer deadline per request (default ${DEFAULT_VERIFY_TIMEOUT_MS})
  --no-debug-headers      omit ${VARIANT_HEADER} (byte-exact vendor requests)
  --negative <cases>      also send negative cases: all, or a comma list of
                          ${NEGATIVE_CASES.join(', ')}
  --enforce-signature     your receiver refuses a wrong signature: bad-signature and
                          tampered-body must get a non-2xx (skipped without this flag)
  --check-url <url>       duplicate: GET <url>?type=<callback>&key=<idempotency key> after
                          each pair; it must answer {"count": 1}
  --list                  print the variants and what each tests, then the negative cases
                          (marked opt-in, or those --negative chose); send nothing
  --quiet                 no line per variant, only the summary and the rejections
  -h, --help              this text
`;

const options = {
  target: { type: 'string' },
  type: { type: 'string' },
  key: { type: 'string' },
  'signing-algorithm': { type: 'string' },
  'encryption-key': { type: 'string' },
  seed: { type: 'string' },
  report: { type: 'string' },
  'timeout-ms': { type: 'string' },
  'no-debug-headers': { type: 'boolean' },
  negative: { type: 'string' },
  'enforce-signature': { type: 'boolean' },
  'check-url': { type: 'string' },
  list: { type: 'boolean' },
  quiet: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

function intOption(name: string, raw: string | undefined, min: number, max: number): number | undefined {
  return raw === undefined ? undefined : parseInteger(`--${name}`, raw, min, max);
}

function checkTarget(url: string | undefined): string {
  if (url === undefined) throw new UsageError('--target <url> is required');
  return parseHttpUrl('--target', url);
}

function resultLine(r: VariantResult): string {
  const what = r.status !== undefined ? String(r.status) : (r.error ?? '');
  return `  ${r.accepted ? 'ok  ' : 'FAIL'}  ${what.padEnd(7)} ${`${r.latencyMs} ms`.padStart(8)}  ${r.name}`;
}

function rejectionText(report: VerifyReport): string {
  const lines = ['', 'Rejected variants (each one is valid against its schema):'];
  for (const r of report.results) {
    if (r.accepted) continue;
    const why = r.status !== undefined ? `HTTP ${r.status}` : `${r.error}: ${r.message ?? ''}`;
    lines.push(`  ${r.name}: ${why} after ${r.latencyMs} ms`);
    lines.push(`    tricky: ${r.tricky}`);
    lines.push(`    valid:  ${r.valid}`);
    if (r.response !== undefined && r.response !== '')
      lines.push(`    answer: ${r.response.replace(/\s+/g, ' ')}`);
  }
  return `${lines.join('\n')}\n`;
}

const OUTCOME_LABEL = { pass: 'ok   ', fail: 'FAIL ', skipped: 'skip ', unchecked: 'check' };

function negativeLine(r: NegativeResult): string {
  return `  ${OUTCOME_LABEL[r.outcome]}  ${r.name}: ${r.detail}`;
}

function negativeText(report: NegativeReport): string {
  const lines = ['', 'Negative cases (a hardened receiver refuses or absorbs these):'];
  for (const r of report.results) lines.push(negativeLine(r));
  const s = report.summary;
  lines.push(`${s.pass} passed, ${s.fail} failed, ${s.skipped} skipped, ${s.unchecked} unchecked`);
  return `${lines.join('\n')}\n`;
}

/** --negative and the flags that only mean something with it. */
function negativeSettings(
  str: (k: string) => string | undefined,
  enforce: boolean,
): { cases: NegativeCase[]; enforceSignature: boolean; checkUrl?: string } | undefined {
  const raw = str('negative');
  const checkUrl = str('check-url');
  if (raw === undefined) {
    if (enforce) throw new UsageError('--enforce-signature needs --negative');
    if (checkUrl !== undefined) throw new UsageError('--check-url needs --negative');
    return undefined;
  }
  let cases: NegativeCase[];
  try {
    cases = parseNegativeCases(raw);
  } catch (err) {
    throw new UsageError(`--negative: ${(err as Error).message}`);
  }
  return {
    cases,
    enforceSignature: enforce,
    ...(checkUrl !== undefined ? { checkUrl: parseHttpUrl('--check-url', checkUrl) } : {}),
  };
}

/**
 * The variants, then the negative cases: every one, marked opt-in (sent only with --negative), or
 * the ones --negative chose, marked so.
 */
function listText(variants: readonly Variant[], chosen: readonly NegativeCase[] | undefined): string {
  const lines = variants.map((v) => `${v.name}\n    ${v.tricky}\n    valid: ${v.valid}`);
  const plan = negativePlan(variants, chosen ?? NEGATIVE_CASES);
  const mark = chosen === undefined ? 'opt-in, with --negative' : 'chosen by --negative';
  const negatives = plan.map(
    (n) => `${n.name}  [${mark}]\n    from ${n.from}: ${n.expected}\n    ${n.needs}`,
  );
  return (
    `${lines.join('\n')}\n${variants.length} variants\n\n` +
    `Negative cases (${chosen === undefined ? 'opt-in: sent only with --negative <cases>' : `--negative ${chosen.join(',')}`}):\n` +
    `${negatives.join('\n')}\n${plan.length} negative case${plan.length === 1 ? '' : 's'} (${mark})\n`
  );
}

function writeReport(file: string, report: VerifyReport): void {
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
}

export async function run(argv: string[], io: CliIO = processIO()): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseCommandArgs({ args: argv, options, strict: true, allowPositionals: false }));
  } catch (err) {
    if (err instanceof UsageError) return usageFailure(io, 'verify', err.message);
    throw err;
  }
  if (values.help) {
    io.stdout.write(VERIFY_USAGE);
    return 0;
  }
  const str = (k: string) => values[k] as string | undefined;
  let variants: Variant[];
  let seed: number;
  let signing: SigningScheme | undefined;
  let timeoutMs: number;
  let target = '';
  let reportFile: string | undefined;
  let negative: ReturnType<typeof negativeSettings>;
  try {
    const type = str('type');
    if (type !== undefined && !(CALLBACK_TYPES as readonly string[]).includes(type)) {
      throw new UsageError(
        `unknown --type "${type}"${didYouMean(type, CALLBACK_TYPES)} (known: ${CALLBACK_TYPES.join(', ')})`,
      );
    }
    // In the words a scenario's delivery.signing.algorithm and delivery.encryption.key get.
    const scheme = str('signing-algorithm');
    const schemeProblem = scheme === undefined ? undefined : signingAlgorithmProblem(scheme);
    if (schemeProblem !== undefined) throw new UsageError(`--signing-algorithm ${schemeProblem}`);
    signing = scheme as SigningScheme | undefined;
    const aesKey = str('encryption-key');
    const aesProblem = aesKey === undefined ? undefined : aesKeyProblem(aesKey);
    if (aesProblem !== undefined) throw new UsageError(`--encryption-key ${aesProblem}`);
    seed = intOption('seed', str('seed'), 0, 0xffffffff) ?? DEFAULT_VERIFY_SEED;
    timeoutMs = intOption('timeout-ms', str('timeout-ms'), 1, 600_000) ?? DEFAULT_VERIFY_TIMEOUT_MS;
    if (!values.list) target = checkTarget(str('target'));
    negative = negativeSettings(str, values['enforce-signature'] === true);
    // Its folder is made before sending, so a report that cannot be written fails at once.
    if (str('report') !== undefined && !values.list) {
      reportFile = prepareOutputFile('report', str('report')!, io.cwd);
    }
    variants = buildVariants({ seed, ...(type !== undefined ? { types: [type as CallbackType] } : {}) });
  } catch (err) {
    if (err instanceof UsageError) return usageFailure(io, 'verify', err.message);
    if (err instanceof VariantBugError) {
      io.stderr.write(`airudder-emulator verify: ${err.message}\n`);
      return 2;
    }
    throw err;
  }

  if (values.list) {
    io.stdout.write(listText(variants, negative?.cases));
    return 0;
  }

  const quiet = values.quiet === true;
  io.stdout.write(
    `verify: ${variants.length} variants to ${target} (seed ${seed}, signing ${signing ?? DEFAULT_SIGNING_SCHEME}${str('encryption-key') !== undefined ? ', AES' : ''})\n`,
  );
  const report = await runVerify({
    target,
    variants,
    seed,
    ...(str('key') !== undefined ? { key: str('key') } : {}),
    ...(signing !== undefined ? { signing: { algorithm: signing } } : {}),
    ...(str('encryption-key') !== undefined ? { encryption: { key: str('encryption-key')! } } : {}),
    timeoutMs,
    debugHeaders: values['no-debug-headers'] !== true,
    ...(negative !== undefined ? { negative } : {}),
    onResult: (r) => {
      if (!quiet) io.stdout.write(`${resultLine(r)}\n`);
    },
  });
  if (reportFile !== undefined) {
    try {
      writeReport(reportFile, report);
    } catch (err) {
      io.stderr.write(`airudder-emulator verify: ${cannotWrite('report', str('report')!, err)}\n`);
      return 2;
    }
  }
  if (report.connectionError !== undefined) {
    io.stderr.write(`airudder-emulator verify: cannot reach the target: ${report.connectionError}\n`);
    return 2;
  }
  const s = report.summary;
  io.stdout.write(`${s.accepted} accepted, ${s.rejected} rejected\n`);
  if (s.rejected > 0) io.stdout.write(rejectionText(report));
  if (report.negative !== undefined) io.stdout.write(negativeText(report.negative));
  return s.rejected > 0 || (report.negative?.summary.fail ?? 0) > 0 ? 1 : 0;
}
