/**
 * Sends the verification pack to an endpoint, one variant at a time, exactly as a real delivery
 * goes out: the same headers (`Content-Type: application/json`, `User-Agent: Airudder`), the same
 * signing over the exact bytes on the wire, optional vendor AES, the delivery transport (node:http
 * keep-alive agent, 10 s deadline). One attempt per variant — no retries: the question is whether
 * the endpoint accepts the payload, not whether it recovers.
 */
import { systemWall, type Wall } from '../clock/wall.ts';
import { DEFAULT_SIGNING_SCHEME, type SigningScheme } from '../core/signing.ts';
import { createHttpSender } from '../delivery/http-sender.ts';
import { describeFailure, isConnectionFailure } from '../delivery/reachability.ts';
import type { AttemptError, Send } from '../delivery/types.ts';
import type { CallbackType } from '../contract/callbacks.ts';
import { runNegative, type NegativeOptions, type NegativeReport } from './negative.ts';
import { requestFor, VARIANT_HEADER } from './request.ts';
import type { Variant } from './variants.ts';

export { requestFor, VARIANT_HEADER };

export const DEFAULT_VERIFY_TIMEOUT_MS = 10_000;
/** How much of each answer the report keeps. */
export const ANSWER_SNIPPET_CHARS = 300;

export interface VariantResult {
  name: string;
  type: CallbackType;
  tricky: string;
  valid: string;
  /** The endpoint answered 2xx within the deadline. */
  accepted: boolean;
  status?: number;
  error?: AttemptError;
  /** Error detail (socket error code, deadline). */
  message?: string;
  /** Real milliseconds from sending to the complete answer (or the failure). */
  latencyMs: number;
  /** The first 300 characters of the answer body. */
  response?: string;
  /** Bytes sent. */
  bytes: number;
}

export interface VerifyReport {
  target: string;
  seed: number;
  signing: SigningScheme;
  encrypted: boolean;
  types: CallbackType[];
  summary: { variants: number; sent: number; accepted: number; rejected: number };
  results: VariantResult[];
  /** Names of the rejected variants, in pack order. */
  rejected: string[];
  /** Set when the first request could not reach the target at all; nothing else was sent. */
  connectionError?: string;
  /** The negative cases (`--negative`), sent after the pack; reported apart from it. */
  negative?: NegativeReport;
}

/** What `--negative` adds; the target, transport, signing and encryption are the pack's. */
export type NegativeSettings = Pick<
  NegativeOptions,
  'cases' | 'enforceSignature' | 'checkUrl' | 'countRecords'
>;

export interface RunVerifyOptions {
  target: string;
  variants: readonly Variant[];
  /** Recorded in the report (the pack was built with it). */
  seed: number;
  /**
   * The template's KEY, as a scenario's `callbacks.<type>.key`: given, every variant is signed with
   * it; absent, only the callbacks whose vendor page has a KEY (call completion, chatbot session
   * end) are signed, with `airudder` — the rule real deliveries follow (`callbackSigningKey`).
   */
  key?: string;
  /** As a scenario's `delivery.signing` (algorithm default hmac-sha256; header X-AIRudder-Sign). */
  signing?: { algorithm?: SigningScheme; header?: string };
  /** As a scenario's `delivery.encryption`: encrypt bodies with the vendor AES scheme under `key`. */
  encryption?: { key: string };
  timeoutMs?: number;
  /** Add X-Emulator-Variant (default true). */
  debugHeaders?: boolean;
  /** Transport (default: the delivery's node:http sender). */
  send?: Send;
  wall?: Wall;
  /** Also send these negative cases after the pack (not when the target was unreachable). */
  negative?: NegativeSettings;
  /** Called after each variant, for progress output. */
  onResult?: (result: VariantResult, index: number, total: number) => void;
}

export async function runVerify(opts: RunVerifyOptions): Promise<VerifyReport> {
  const wall = opts.wall ?? systemWall;
  const sender = opts.send ? undefined : createHttpSender({ wall });
  const send = opts.send ?? sender!.send;
  const timeoutMs = opts.timeoutMs ?? DEFAULT_VERIFY_TIMEOUT_MS;
  const results: VariantResult[] = [];
  let connectionError: string | undefined;
  let negative: NegativeReport | undefined;
  try {
    for (const [i, v] of opts.variants.entries()) {
      const { body, headers } = requestFor(v, opts);
      const t0 = wall.now();
      const out = await send({ url: opts.target, headers, body, timeoutMs });
      const latencyMs = Math.round(wall.now() - t0);
      const base = {
        name: v.name,
        type: v.type,
        tricky: v.tricky,
        valid: v.valid,
        latencyMs,
        bytes: body.length,
      };
      let result: VariantResult;
      if ('status' in out) {
        const accepted = out.status >= 200 && out.status < 300;
        result = {
          ...base,
          accepted,
          status: out.status,
          ...(accepted ? {} : { error: 'non-2xx' as const }),
          response: out.response.slice(0, ANSWER_SNIPPET_CHARS),
        };
      } else {
        result = { ...base, accepted: false, error: out.error, message: out.message };
        // Nothing there at all: every other variant would fail the same way and say nothing.
        if (i === 0 && isConnectionFailure(out.error)) {
          connectionError = `${opts.target}: ${describeFailure(out.error, out.message)}`;
        }
      }
      results.push(result);
      opts.onResult?.(result, i, opts.variants.length);
      if (connectionError !== undefined) break;
    }
    if (opts.negative !== undefined && connectionError === undefined) {
      negative = await runNegative({ ...opts, ...opts.negative, timeoutMs, send });
    }
  } finally {
    sender?.close();
  }
  const rejected = results.filter((r) => !r.accepted).map((r) => r.name);
  return {
    target: opts.target,
    seed: opts.seed,
    signing: opts.signing?.algorithm ?? DEFAULT_SIGNING_SCHEME,
    encrypted: opts.encryption !== undefined,
    types: [...new Set(opts.variants.map((v) => v.type))],
    summary: {
      variants: opts.variants.length,
      sent: results.length,
      accepted: results.length - rejected.length,
      rejected: rejected.length,
    },
    results,
    rejected,
    ...(connectionError !== undefined ? { connectionError } : {}),
    ...(negative !== undefined ? { negative } : {}),
  };
}
