/**
 * Vendor endpoints are declared as data — method, path, fidelity, request schema, handler — so
 * that one mounting function applies auth, body reading and validation the same way to all of
 * them, the 405 answer knows every path, and the docs/api.md table and the tests can walk the list.
 */
import type { Request, Response } from 'express';
import type { MessageName, MessageOf } from '../contract/messages.ts';
import type { TokenRecord } from './auth.ts';

/** How sure we are that the endpoint looks like the vendor's (printed in docs/api.md). */
export type Fidelity = 'documented' | 'inferred' | 'emulator-defined';

export interface RouteInput<T> {
  /** The validated body (POST) or query (GET). */
  input: T;
  /** The caller's token (absent on routes without auth). */
  token?: TokenRecord;
  req: Request;
  res: Response;
}

export interface VendorRoute<T = unknown> {
  method: 'GET' | 'POST';
  /** Express path under the server root, e.g. `/service/cloud/workflow/createinstance`. */
  path: string;
  /** The vendor's page title (or our description when it has none). */
  summary: string;
  fidelity: Fidelity;
  /** Why this fidelity (shown in docs): what is known of the path / shape. */
  note?: string;
  /** Schema name for the body (POST) or the query string (GET). */
  request?: MessageName;
  /** Schema name of the whole success answer, envelope included (documentation and tests). */
  response?: MessageName;
  /** Defaults to true: every vendor endpoint but auth requires a token. */
  auth?: boolean;
  /** Changes state that must be journaled (auth, workflow commands): refused while it cannot be. */
  writes?: boolean;
  /**
   * Returns `data` for the success envelope. A handler that answers on its own (a WAV file)
   * returns `RAW`.
   */
  handle(ctx: RouteInput<T>): unknown;
}

/** Returned by a handler that already sent its answer. */
export const RAW = Symbol('raw-response');

/**
 * Declare a route; the table holds them type-erased. The handler's `input` is the generated type
 * of the route's `request` schema (the request is validated against it before `handle` runs), so
 * no route restates a request shape by hand.
 */
export function route<N extends MessageName>(r: VendorRoute<MessageOf<N>> & { request: N }): VendorRoute;
/** A route without a request schema: its input is the body or query as read, unchecked. */
export function route(r: VendorRoute<unknown> & { request?: undefined }): VendorRoute;
export function route(r: VendorRoute<never>): VendorRoute {
  return r as VendorRoute;
}
