/**
 * The vendor's response envelope: `{"code":200,"status":"OK","data":...}` on success and
 * `{"code":<n>,"status":"<text>","message":"<text>","data":null}` on failure (the shape the known
 * clients read: `code` and `message`). Every vendor-API answer goes through `sendEnvelope`, so
 * the AES scheme can answer in kind in one place.
 */
import type { Response } from 'express';
import type { ErrorSpec, FieldIssue } from '../core/vendor-errors.ts';

export interface SuccessEnvelope<T = unknown> {
  code: 200;
  status: 'OK';
  data: T;
}

export interface ErrorEnvelope {
  code: number;
  status: string;
  message: string;
  data: null;
  /** Each bad field (emulator addition, see schemas/envelope-error.schema.json). */
  errors?: FieldIssue[];
}

export function success<T>(data: T): SuccessEnvelope<T> {
  return { code: 200, status: 'OK', data };
}

export function failure(spec: ErrorSpec, message: string, errors?: FieldIssue[]): ErrorEnvelope {
  const body: ErrorEnvelope = { code: spec.code, status: spec.status, message, data: null };
  if (errors && errors.length > 0) body.errors = errors;
  return body;
}

/**
 * Set by the body reader when the request used the vendor's AES scheme: the answer is then
 * encrypted with the same key and carries `Is-Encrypted: 1` + `Signed`.
 */
export interface ResponseEncoder {
  (plaintext: string): { body: string; headers: Record<string, string> };
}

export function sendEnvelope(res: Response, httpStatus: number, body: SuccessEnvelope | ErrorEnvelope): void {
  const text = JSON.stringify(body);
  // For the request log: the plaintext answer and its code, by reference (no copy).
  res.locals.answerText = text;
  res.locals.answerCode = body.code;
  const encode = res.locals.encodeResponse as ResponseEncoder | undefined;
  res.status(httpStatus);
  if (encode) {
    const out = encode(text);
    for (const [k, v] of Object.entries(out.headers)) res.setHeader(k, v);
    res.type('text/plain').send(out.body);
    return;
  }
  res.type('application/json').send(text);
}
