/**
 * Reads a vendor-API request body: raw bytes with a size limit, then (optionally) the vendor's
 * AES scheme, then JSON. Parsing is done here rather than by express.json() so that the encrypted
 * and the plain path share one parser, and every failure becomes a VendorError with a clear
 * message (413 for size, 415 for content type, -1 for malformed JSON, 400 for absurd nesting).
 */
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { VendorError } from '../core/vendor-errors.ts';
import type { AesCodec } from './aes-codec.ts';

export interface BodyOptions {
  /** Largest accepted body, in bytes. */
  limitBytes: number;
  /** Deepest accepted object/array nesting. */
  maxDepth: number;
  /** The account's AES codec, when the vendor's encryption scheme is enabled for it. */
  aes?: AesCodec;
}

/** Depth of nested objects/arrays, computed without recursion (a hostile body cannot blow the stack). */
export function nestingDepth(value: unknown, stopAt: number): number {
  let max = 0;
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    const depth = d + 1;
    if (depth > max) max = depth;
    if (max > stopAt) return max;
    for (const child of Object.values(v as Record<string, unknown>)) stack.push([child, depth]);
  }
  return max;
}

export function parseJson(text: string, maxDepth: number): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new VendorError('malformedJson', `request body is not valid JSON: ${(err as Error).message}`);
  }
  if (nestingDepth(value, maxDepth) > maxDepth) {
    throw new VendorError('badRequest', `request body is nested deeper than ${maxDepth} levels`);
  }
  return value;
}

function isJsonType(req: Request): boolean {
  // The usual header, without type-is parsing it.
  if (req.headers['content-type'] === 'application/json') return true;
  return typeof req.is(['application/json', 'application/*+json']) === 'string';
}

/** True when the client asked for the vendor's AES scheme (`Is-Encrypted: 1`). */
export function wantsEncryption(req: Request): boolean {
  return req.get('is-encrypted')?.trim() === '1';
}

function requireAes(aes: AesCodec | undefined): AesCodec {
  if (!aes)
    throw new VendorError('badRequest', 'Is-Encrypted: 1 was sent, but AES is not enabled for this account');
  return aes;
}

/**
 * First middleware of the vendor API: when the client uses the AES scheme, every answer (errors
 * included) is encrypted in kind; a GET's encrypted query string is decrypted into
 * `res.locals.query`.
 */
export function aesResponder(aes: AesCodec | undefined): RequestHandler {
  return (req, res, next) => {
    // Only a GET route reads its query (HEAD is routed as GET): express parses it on each read.
    if (req.method === 'GET' || req.method === 'HEAD') res.locals.query = plainQuery(req);
    if (!wantsEncryption(req)) {
      next();
      return;
    }
    const codec = requireAes(aes);
    res.locals.encodeResponse = codec.encodeResponse;
    if (req.method === 'GET') {
      const rawQuery = req.originalUrl.includes('?')
        ? req.originalUrl.slice(req.originalUrl.indexOf('?') + 1)
        : '';
      // The vendor's example does not URL-encode the Base64 text, so '+' must stay '+'.
      const plaintext = codec.decryptRequest(decodeURIComponentSafe(rawQuery), req.get('signed'));
      res.locals.query = Object.fromEntries(new URLSearchParams(plaintext));
    }
    next();
  };
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, '%2B'));
  } catch {
    return text;
  }
}

/** The query string as a flat string map (first value wins when a key repeats). */
function plainQuery(req: Request): Record<string, string> {
  const out: Record<string, string> = {};
  const q = req.query as Record<string, unknown>;
  for (const [k, v] of Object.entries(q)) {
    const first = Array.isArray(v) ? v[0] : v;
    if (typeof first === 'string') out[k] = first;
  }
  return out;
}

/**
 * Middleware pair: the raw reader (size limit) and the decoder. Leaves the parsed JSON in
 * `res.locals.body` (an empty body reads as `{}` so schema errors name the missing fields).
 */
export function readBody(opts: BodyOptions): RequestHandler[] {
  const raw = express.raw({ type: () => true, limit: opts.limitBytes });
  const decode: RequestHandler = (req: Request, res: Response, next: NextFunction) => {
    const buf = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    if (wantsEncryption(req)) {
      const plaintext = requireAes(opts.aes).decryptRequest(buf.toString('utf8').trim(), req.get('signed'));
      res.locals.body = plaintext === '' ? {} : parseJson(plaintext, opts.maxDepth);
      next();
      return;
    }
    if (buf.length === 0) {
      res.locals.body = {};
      next();
      return;
    }
    if (!isJsonType(req)) {
      const got = req.get('content-type');
      throw new VendorError(
        'unsupportedMediaType',
        `Content-Type must be application/json (got ${got ? `"${got}"` : 'none'})`,
      );
    }
    res.locals.body = parseJson(buf.toString('utf8'), opts.maxDepth);
    next();
  };
  return [raw, decode];
}
