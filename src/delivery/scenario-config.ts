/**
 * A scenario's `delivery:` section → delivery service options. The library (`createEmulator({
 * delivery })`) and `serve --config` take the same settings in camelCase (`DeliverySettings`,
 * the `delivery` key of schemas/serve-config.schema.json). Errors here are the user's (exit 2):
 * each names the key as its input spells it, in the words the scenario loader uses for the same
 * mistake — `delivery.maxRetries must be <= 100` here, `file:line:col: delivery.max_retries must
 * be <= 100` from a scenario file — because both come from the same schema rules and the same
 * checks beyond them (src/scenario/delivery-check.ts).
 */
import { validate } from '../contract/registry.ts';
import { resolvePolicy, type RetryPolicy } from '../core/retry-policy.ts';
import { DEFAULT_SIGNING_SCHEME, type SigningConfig, type SigningScheme } from '../core/signing.ts';
import { deliveryProblems } from '../scenario/delivery-check.ts';
import { describeSchemaErrors, problemText, type SchemaProblem } from '../scenario/schema-issues.ts';
import type { DeliverySpec, Scenario } from '../scenario/types.ts';
import type { ChaosConfig } from './chaos.ts';
import type { EncryptionConfig } from './delivery-service.ts';

/** The vendor's documented AES test key (reference §8), used when encryption is on without a key. */
export const VENDOR_TEST_AES_KEY = 'airudderredduria';

export class RunConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RunConfigError';
  }
}

/** `delivery.signing` in camelCase. */
export interface SigningSettings {
  /** false: send no signature (the algorithm `none`). Default true. */
  enabled?: boolean;
  /** Default `hmac-sha256` (emulator-defined: the vendor does not publish its algorithm). */
  algorithm?: SigningScheme;
  /** Header carrying the signature (default `X-AIRudder-Sign`). */
  header?: string;
}

/** `delivery.encryption` in camelCase. */
export interface EncryptionSettings {
  /** true: bodies are the vendor AES scheme's Base64 ciphertext. Default false. */
  enabled?: boolean;
  /** AES key, 16, 24 or 32 bytes (default the vendor's test key `airudderredduria`). */
  key?: string;
}

/**
 * A scenario's `delivery:` section in the library's case: every key is the camelCase of the
 * scenario key (`retry_interval_ms` → `retryIntervalMs`, `chaos.duplicate_rate` →
 * `chaos.duplicateRate`). Unset keys keep the vendor's policy (10 s timeout, a retry every 60 s,
 * 5 retries), HMAC-SHA256 signing, no encryption, no chaos.
 */
export interface DeliverySettings {
  /** Real milliseconds a receiver has to answer completely (vendor: 10 000). */
  timeoutMs?: number;
  /** Clock milliseconds between the starts of two attempts (vendor: 60 000). */
  retryIntervalMs?: number;
  /** Retries after the first attempt (vendor: 5). */
  maxRetries?: number;
  signing?: SigningSettings;
  encryption?: EncryptionSettings;
  chaos?: ChaosConfig;
}

/** Delivery settings resolved and checked: what the delivery service takes. */
export interface DeliveryConfig {
  policy: RetryPolicy;
  signing: SigningConfig;
  encryption: EncryptionConfig | null;
  chaos: ChaosConfig;
}

const defined = <T extends object>(o: T): T =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

/**
 * A scenario's `delivery:` section → the same settings in camelCase. No checks: a scenario file's
 * section was checked when it was loaded (file:line:col, snake_case); deliveryConfig checks the
 * result (camelCase), which covers a scenario built in code.
 */
export function deliverySettings(spec: DeliverySpec | undefined): DeliverySettings {
  if (!spec) return {};
  return defined({
    timeoutMs: spec.timeout_ms,
    retryIntervalMs: spec.retry_interval_ms,
    maxRetries: spec.max_retries,
    signing:
      spec.signing &&
      defined({
        enabled: spec.signing.enabled,
        algorithm: spec.signing.algorithm as SigningScheme | undefined,
        header: spec.signing.header,
      }),
    encryption: spec.encryption && defined({ enabled: spec.encryption.enabled, key: spec.encryption.key }),
    chaos:
      spec.chaos &&
      defined({
        duplicateRate: spec.chaos.duplicate_rate,
        reorderRate: spec.chaos.reorder_rate,
        reorderWindowMs: spec.chaos.reorder_window_ms,
        delayMs: spec.chaos.delay_ms,
      }),
  });
}

function throwProblems(problems: SchemaProblem[]): void {
  if (problems.length > 0) throw new RunConfigError(problems.map(problemText).join('\n'));
}

/**
 * What is wrong with the library's `delivery` option (or a `serve --config` file's `delivery`
 * key): the serve-config schema's rules for it, then the checks beyond the schema, each problem
 * `delivery.<camelCase path> <message>` (an unknown key: `unknown key "x" in delivery (did you
 * mean y?)`). The transport function `send` is not checked.
 */
export function deliveryOptionProblems(options: unknown): SchemaProblem[] {
  if (options === undefined) return [];
  let value = options;
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && 'send' in value) {
    const { send: _send, ...rest } = value as Record<string, unknown>;
    value = rest;
  }
  const wrapped = { delivery: value };
  const result = validate('serve-config', wrapped);
  if (!result.ok) return describeSchemaErrors('serve-config', wrapped, result.errors);
  return deliveryProblems(value, 'camel').map((p) => ({ ...p, segments: ['delivery', ...p.segments] }));
}

/** Throws RunConfigError listing what deliveryOptionProblems finds, one problem a line. */
export function checkDeliveryOptions(options: unknown): void {
  throwProblems(deliveryOptionProblems(options));
}

/** Later layers win key by key (inside `signing`, `encryption` and `chaos` too). */
export function mergeDeliverySettings(...layers: (DeliverySettings | undefined)[]): DeliverySettings {
  const out: DeliverySettings = {};
  for (const layer of layers) {
    if (!layer) continue;
    const { signing, encryption, chaos, ...flat } = layer;
    Object.assign(out, defined(flat));
    if (signing) out.signing = { ...out.signing, ...defined(signing) };
    if (encryption) out.encryption = { ...out.encryption, ...defined(encryption) };
    if (chaos) out.chaos = { ...out.chaos, ...defined(chaos) };
  }
  return out;
}

/**
 * Check and resolve delivery settings (camelCase; the transport keys `debugHeaders`,
 * `concurrencyPerTarget` and `send` may ride along and are checked, not resolved); throws
 * RunConfigError naming the bad key.
 */
export function deliveryConfig(settings: DeliverySettings | undefined): DeliveryConfig {
  checkDeliveryOptions(settings);
  const s = settings ?? {};
  const policy = resolvePolicy(
    defined({ timeoutMs: s.timeoutMs, retryIntervalMs: s.retryIntervalMs, maxRetries: s.maxRetries }),
  );
  const signing: SigningConfig = {
    algorithm: s.signing?.enabled === false ? 'none' : (s.signing?.algorithm ?? DEFAULT_SIGNING_SCHEME),
    ...(s.signing?.header !== undefined ? { header: s.signing.header } : {}),
  };
  const encryption = s.encryption?.enabled ? { key: s.encryption.key ?? VENDOR_TEST_AES_KEY } : null;
  return { policy, signing, encryption, chaos: { ...s.chaos } };
}

/** `--clock` beats the scenario's `clock:`; the default is virtual. */
export function clockSpecFor(scenario: Scenario, flag: string | undefined): string {
  if (flag !== undefined) return flag;
  const c = scenario.clock;
  if (c?.mode === 'scaled') return `scaled:${c.scale ?? 60}`;
  return c?.mode ?? 'virtual';
}
