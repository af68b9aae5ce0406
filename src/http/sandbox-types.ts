/**
 * The types of the request log and the fault rules, apart from their express middleware, so the
 * library's public types (src/server/emulator.ts) reach nothing of express.
 */
import type { FaultRule } from '../generated/types.ts';

export type { FaultRule } from '../generated/types.ts';

/** A rule as listed: its id, and how many requests it may still fault (null: no limit). */
export interface FaultView extends FaultRule {
  id: string;
  remaining: number | null;
}

export interface LoggedRequest {
  id: string;
  /** Clock time the request arrived, epoch ms. */
  at: number;
  method: string;
  path: string;
  query: Record<string, unknown>;
  headers: Record<string, string>;
  /**
   * The body as received (UTF-8, cut to BODY_PREVIEW_CHARS); null when there was none or it was
   * never read (a request refused before its body, e.g. for its token, or a GET).
   */
  body: string | null;
  /** HTTP status of the answer; null when the connection was dropped. */
  status: number | null;
  /** `code` of the vendor envelope answered; null for a raw answer (a WAV) or none. */
  code: number | null;
  /** The answer's body (the envelope's plaintext), cut like `body`; null when there was none. */
  answer: string | null;
  /** True when `body` or `answer` was cut. */
  truncated: boolean;
  /** Clock milliseconds from arrival to the answer (0 on a virtual clock unless delayed). */
  durationMs: number;
  /** The fault rule applied to this request, if any. */
  fault: FaultView | null;
}

export interface RequestFilter {
  /** Newest `limit` matches. */
  limit?: number;
  /** `401`, or a class: `4xx`, `5xx`. `dropped` for connections a fault dropped. */
  status?: string;
  /** Part of the path, e.g. `createinstance`. */
  path?: string;
}
