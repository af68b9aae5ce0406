/**
 * The one error middleware: every failure of the vendor API is rendered here in the vendor's
 * envelope. VendorErrors carry their own answer; errors raised by express / body-parser for bad
 * input (size, encoding, malformed URL) are 4xx by construction; anything else is an emulator bug,
 * answered 500 with code 10201 and logged, never dressed up as the client's fault.
 */
import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import { failure, sendEnvelope } from './envelope.ts';
import {
  VENDOR_ERRORS,
  VendorError,
  type ErrorLogger,
  type ErrorSpec,
  type FieldIssue,
} from '../core/vendor-errors.ts';

export type { ErrorLogger } from '../core/vendor-errors.ts';

interface HttpishError {
  type?: string;
  status?: number;
  statusCode?: number;
  expose?: boolean;
  limit?: number;
  length?: number;
  message?: string;
}

/** Map a thrown value to the answer: a spec and a message. */
export function classify(err: unknown): {
  spec: ErrorSpec;
  message: string;
  bug: boolean;
  issues?: FieldIssue[];
} {
  if (err instanceof VendorError)
    return { spec: err.spec, message: err.message, bug: false, issues: err.issues };
  const e = (err ?? {}) as HttpishError;
  switch (e.type) {
    case 'entity.too.large':
      return {
        spec: VENDOR_ERRORS.payloadTooLarge,
        message: `request body is ${e.length ?? 'too many'} bytes; the limit is ${e.limit} bytes`,
        bug: false,
      };
    case 'entity.parse.failed':
      return {
        spec: VENDOR_ERRORS.malformedJson,
        message: `request body is not valid JSON: ${e.message}`,
        bug: false,
      };
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return {
        spec: VENDOR_ERRORS.unsupportedMediaType,
        message: e.message ?? 'unsupported encoding',
        bug: false,
      };
  }
  const status = e.status ?? e.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return { spec: VENDOR_ERRORS.badRequest, message: e.message ?? 'invalid request', bug: false };
  }
  return { spec: VENDOR_ERRORS.internal, message: VENDOR_ERRORS.internal.message, bug: true };
}

export function errorMiddleware(logger: ErrorLogger): ErrorRequestHandler {
  return (err, req, res, next) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    const { spec, message, bug, issues } = classify(err);
    if (bug) logger.error(`${req.method} ${req.originalUrl} failed`, err);
    sendEnvelope(res, spec.http, failure(spec, message, issues));
  };
}

/** Vendor-style 404 for any path no route claimed. */
export function notFoundHandler(): RequestHandler {
  return (req: Request) => {
    throw new VendorError('notFound', `no endpoint ${req.method} ${req.path}`);
  };
}
