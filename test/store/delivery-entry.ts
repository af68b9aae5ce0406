/** A `delivery` journal entry for store tests: a call-completion of workflow `wf`, due at 1000. */
import { DEFAULT_RETRY_POLICY } from '../../src/core/retry-policy.ts';
import type { DeliveryCreatedEntry } from '../../src/store/entries.ts';

export function deliveryEntry(id: string, extra: Partial<DeliveryCreatedEntry> = {}): DeliveryCreatedEntry {
  return {
    k: 'delivery',
    id,
    type: 'call-completion',
    url: 'http://127.0.0.1:9/x',
    workflowId: 'wf',
    policy: { ...DEFAULT_RETRY_POLICY },
    signing: 'hmac-sha256',
    encrypted: false,
    firstAt: 1000,
    nextAttemptAt: 1000,
    ...extra,
  };
}
