/**
 * A scenario's `delivery:` section (and the run flags) → delivery service options. Errors here are
 * the user's (exit 2), so they name the scenario key.
 */
import { resolvePolicy, type RetryPolicy } from '../core/retry-policy.ts';
import {
  DEFAULT_SIGNING_SCHEME,
  isSigningScheme,
  SIGNING_SCHEMES,
  type SigningConfig,
} from '../core/signing.ts';
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

export interface DeliveryConfig {
  policy: RetryPolicy;
  signing: SigningConfig;
  encryption: EncryptionConfig | null;
  chaos: ChaosConfig;
}

export function deliveryConfig(spec: DeliverySpec | undefined): DeliveryConfig {
  const s = spec ?? {};
  let policy: RetryPolicy;
  try {
    policy = resolvePolicy({
      ...(s.timeout_ms !== undefined ? { timeoutMs: s.timeout_ms } : {}),
      ...(s.retry_interval_ms !== undefined ? { intervalMs: s.retry_interval_ms } : {}),
      ...(s.max_retries !== undefined ? { maxRetries: s.max_retries } : {}),
    });
  } catch (err) {
    throw new RunConfigError(`delivery: ${(err as Error).message}`);
  }
  const algorithm = s.signing?.algorithm ?? DEFAULT_SIGNING_SCHEME;
  if (!isSigningScheme(algorithm)) {
    throw new RunConfigError(
      `delivery.signing.algorithm: unknown "${algorithm}" (known: ${SIGNING_SCHEMES.join(', ')})`,
    );
  }
  const signing: SigningConfig = {
    scheme: s.signing?.enabled === false ? 'none' : algorithm,
    ...(s.signing?.header !== undefined ? { header: s.signing.header } : {}),
  };
  const encryption = s.encryption?.enabled ? { key: s.encryption.key ?? VENDOR_TEST_AES_KEY } : null;
  if (encryption && ![16, 24, 32].includes(Buffer.byteLength(encryption.key))) {
    throw new RunConfigError('delivery.encryption.key: must be 16, 24 or 32 bytes (the vendor issues 16)');
  }
  const chaos: ChaosConfig = {
    ...(s.chaos?.duplicate_rate !== undefined ? { duplicate: s.chaos.duplicate_rate } : {}),
    ...(s.chaos?.reorder_rate !== undefined ? { reorder: s.chaos.reorder_rate } : {}),
    ...(s.chaos?.delay_ms !== undefined ? { delayMs: s.chaos.delay_ms } : {}),
  };
  return { policy, signing, encryption, chaos };
}

/** `--clock` beats the scenario's `clock:`; the default is virtual. */
export function clockSpecFor(scenario: Scenario, flag: string | undefined): string {
  if (flag !== undefined) return flag;
  const c = scenario.clock;
  if (c?.mode === 'scaled') return `scaled:${c.scale ?? 60}`;
  return c?.mode ?? 'virtual';
}
