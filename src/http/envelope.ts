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

/**
 * A success answer serialised once, for a handler that answers the same bytes to many requests
 * (GET templates): `runRoute` sends it as is instead of serialising `data` again.
 */
export class PreparedAnswer {
  readonly text: string;
  readonly bytes: Buffer;
  constructor(data: unknown) {
    this.text = JSON.stringify(success(data));
    this.bytes = Buffer.from(this.text, 'utf8');
  }
}

const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * What `res.type('application/json').send(body)` answers with a 200 when ETags are off (createApp
 * turns them off), without express re-parsing the Content-Type on every call. A conditional
 * request (whose 304 rules express applies) and an encrypted one take the general path.
 */
function sendPlainJson(res: Response, text: string, bytes?: Buffer): boolean {
  const h = res.req.headers;
  if (res.locals.encodeResponse || h['if-none-match'] !== undefined || h['if-modified-since'] !== undefined)
    return false;
  res.statusCode = 200;
  res.setHeader('Content-Type', JSON_TYPE);
  res.setHeader('Content-Length', String(bytes ? bytes.length : Buffer.byteLength(text, 'utf8')));
  if (res.req.method === 'HEAD') res.end();
  else res.end(bytes ?? text, 'utf8');
  return true;
}

/** A success answer (the status code is 200); `data` a PreparedAnswer or what the envelope carries. */
export function sendSuccess(res: Response, data: unknown): void {
  if (data instanceof PreparedAnswer) sendText(res, 200, data.text, 200, data.bytes);
  else sendEnvelope(res, 200, success(data));
}

export function sendEnvelope(res: Response, httpStatus: number, body: SuccessEnvelope | ErrorEnvelope): void {
  sendText(res, httpStatus, JSON.stringify(body), body.code);
}

/** `bytes`: the text already encoded (a PreparedAnswer's). */
function sendText(res: Response, httpStatus: number, text: string, code: number, bytes?: Buffer): void {
  // For the request log: the plaintext answer and its code, by reference (no copy).
  res.locals.answerText = text;
  res.locals.answerCode = code;
  if (httpStatus === 200 && sendPlainJson(res, text, bytes)) return;
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
