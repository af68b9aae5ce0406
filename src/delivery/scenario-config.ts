/**
 * A scenario's `delivery:` section (and the run flags) → delivery service options. The library takes
 * the same settings in camelCase (`DeliverySettings`). Errors here are the user's (exit 2), so they
 * name the key.
 */
import { resolvePolicy, type RetryPolicy } from '../core/retry-policy.ts';
import {
  DEFAULT_SIGNING_SCHEME,
  isSigningScheme,
  SIGNING_SCHEMES,
  type SigningConfig,
  type SigningScheme,
} from '../core/signing.ts';
import type { DeliverySpec, Scenario } from '../scenario/types.ts';
import { createChaos, type ChaosConfig } from './chaos.ts';
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

/** A scenario's `delivery:` section → the same settings in camelCase (no checks: see deliveryConfig). */
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
        delayMs: spec.chaos.delay_ms,
      }),
  });
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

/** Check and resolve delivery settings; throws RunConfigError naming the bad key. */
export function deliveryConfig(settings: DeliverySettings | undefined): DeliveryConfig {
  const s = settings ?? {};
  let policy: RetryPolicy;
  try {
    policy = resolvePolicy(
      defined({ timeoutMs: s.timeoutMs, retryIntervalMs: s.retryIntervalMs, maxRetries: s.maxRetries }),
    );
  } catch (err) {
    throw new RunConfigError(`delivery: ${(err as Error).message}`);
  }
  const algorithm = s.signing?.algorithm ?? DEFAULT_SIGNING_SCHEME;
  if (!isSigningScheme(algorithm)) {
    throw new RunConfigError(
      `delivery.signing.algorithm: unknown "${String(algorithm)}" (known: ${SIGNING_SCHEMES.join(', ')})`,
    );
  }
  const signing: SigningConfig = {
    algorithm: s.signing?.enabled === false ? 'none' : algorithm,
    ...(s.signing?.header !== undefined ? { header: s.signing.header } : {}),
  };
  const encryption = s.encryption?.enabled ? { key: s.encryption.key ?? VENDOR_TEST_AES_KEY } : null;
  if (encryption && ![16, 24, 32].includes(Buffer.byteLength(encryption.key))) {
    throw new RunConfigError('delivery.encryption.key: must be 16, 24 or 32 bytes (the vendor issues 16)');
  }
  const chaos: ChaosConfig = { ...s.chaos };
  try {
    createChaos(chaos, 0);
  } catch (err) {
    throw new RunConfigError(`delivery.${(err as Error).message}`);
  }
  return { policy, signing, encryption, chaos };
}

/** `--clock` beats the scenario's `clock:`; the default is virtual. */
export function clockSpecFor(scenario: Scenario, flag: string | undefined): string {
  if (flag !== undefined) return flag;
  const c = scenario.clock;
  if (c?.mode === 'scaled') return `scaled:${c.scale ?? 60}`;
  return c?.mode ?? 'virtual';
}
