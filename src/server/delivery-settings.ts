/**
 * Turns an engine message into a delivery: the template's URL (or `--target`), its KEY, and the
 * scenario's delivery settings (timeout, retry cadence, signing, encryption). Callback URLs that
 * point at a loopback built-in sink (`http://127.0.0.1:4010/__emulator/sink/...`, as the shipped
 * scenarios write them) are rewritten to this server's own address, whatever port it got.
 */
import type { RetryPolicy } from '../core/retry-policy.ts';
import { isSigningScheme, type SigningConfig } from '../core/signing.ts';
import type { DeliveryInput } from '../delivery/delivery-service.ts';
import type { OutboundMessage } from '../engine/types.ts';
import type { DeliverySpec } from '../scenario/types.ts';

const LOOPBACK_SINK = /^https?:\/\/(?:127\.0\.0\.1|localhost|\[::1\])(?::\d+)?(\/__emulator\/sink(?:\/.*)?)$/;

export function resolveCallbackUrl(url: string, baseUrl: string, target?: string): string {
  if (target) return target;
  const m = LOOPBACK_SINK.exec(url);
  return m ? `${baseUrl}${m[1]}` : url;
}

export function deliveryOverrides(spec: DeliverySpec | undefined): Partial<DeliveryInput> {
  if (!spec) return {};
  const out: Partial<DeliveryInput> = {};
  const policy: Partial<RetryPolicy> = {};
  if (spec.timeout_ms !== undefined) policy.timeoutMs = spec.timeout_ms;
  if (spec.retry_interval_ms !== undefined) policy.intervalMs = spec.retry_interval_ms;
  if (spec.max_retries !== undefined) policy.maxRetries = spec.max_retries;
  if (Object.keys(policy).length > 0) out.policy = policy;
  if (spec.signing) {
    if (spec.signing.enabled === false) out.signing = 'none';
    else if (isSigningScheme(spec.signing.algorithm)) {
      const cfg: SigningConfig = { scheme: spec.signing.algorithm };
      if (spec.signing.header) cfg.header = spec.signing.header;
      out.signing = cfg;
    }
  }
  if (spec.encryption)
    out.encryption = spec.encryption.enabled && spec.encryption.key ? { key: spec.encryption.key } : null;
  return out;
}

export function deliveryInput(
  m: OutboundMessage,
  ctx: { baseUrl: string; target?: string; delivery?: DeliverySpec },
): DeliveryInput {
  return {
    id: m.id,
    type: m.type,
    url: resolveCallbackUrl(m.url, ctx.baseUrl, ctx.target),
    key: m.key,
    payload: m.payload,
    at: m.at,
    workflowId: m.workflowId,
    ...deliveryOverrides(ctx.delivery),
  };
}
