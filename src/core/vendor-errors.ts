/**
 * The one table of error answers the mock API gives. Codes from the vendor's table
 * (reference §3, carried by a production client) are used where one fits; the rest are the
 * emulator's own, numbered after the HTTP status so a client can never mistake them for a vendor
 * code. `fidelity` says which is which (docs/api.md's error table, generated from this one,
 * prints it: `npm run gen:docs`).
 */
export interface ErrorSpec {
  /** `code` in the envelope body. */
  code: number;
  /** HTTP status of the answer. */
  http: number;
  /** `status` in the envelope body (short text). */
  status: string;
  /** Default message when the thrower gives none. */
  message: string;
  fidelity: 'vendor-code' | 'emulator-defined';
}

export const VENDOR_ERRORS = {
  // Request shape: the emulator's own codes (the vendor's table has no generic "bad parameter").
  badRequest: {
    code: 400,
    http: 400,
    status: 'Bad Request',
    message: 'invalid request',
    fidelity: 'emulator-defined',
  },
  // -1 is the vendor's "request marshal error": the body could not be read as JSON.
  malformedJson: {
    code: -1,
    http: 400,
    status: 'Bad Request',
    message: 'request body is not valid JSON',
    fidelity: 'vendor-code',
  },
  unsupportedMediaType: {
    code: 415,
    http: 415,
    status: 'Unsupported Media Type',
    message: 'Content-Type must be application/json',
    fidelity: 'emulator-defined',
  },
  payloadTooLarge: {
    code: 413,
    http: 413,
    status: 'Payload Too Large',
    message: 'request body is too large',
    fidelity: 'emulator-defined',
  },
  notFound: {
    code: 404,
    http: 404,
    status: 'Not Found',
    message: 'no such endpoint',
    fidelity: 'emulator-defined',
  },
  methodNotAllowed: {
    code: 405,
    http: 405,
    status: 'Method Not Allowed',
    message: 'method not allowed on this endpoint',
    fidelity: 'emulator-defined',
  },
  forbidden: {
    code: 403,
    http: 403,
    status: 'Forbidden',
    message: 'this request is refused',
    fidelity: 'emulator-defined',
  },
  conflict: {
    code: 409,
    http: 409,
    status: 'Conflict',
    message: 'not possible in the current state',
    fidelity: 'emulator-defined',
  },
  // The one 5xx: a server-side storage failure (never bad input). Nothing was changed.
  storageUnavailable: {
    code: 503,
    http: 503,
    status: 'Service Unavailable',
    message: 'the emulator cannot write its journal; retry later',
    fidelity: 'emulator-defined',
  },
  badSignature: {
    code: 400,
    http: 400,
    status: 'Bad Request',
    message: 'encrypted request could not be decrypted or its Signed header does not match',
    fidelity: 'emulator-defined',
  },

  // Credentials and token (vendor codes 10301/10302 and 10810–10813).
  invalidAppKey: {
    code: 10301,
    http: 403,
    status: 'Forbidden',
    message: 'invalid APPKey',
    fidelity: 'vendor-code',
  },
  accountVerificationFailed: {
    code: 10302,
    http: 403,
    status: 'Forbidden',
    message: 'account verification failed (APPKey / APPSecret do not match)',
    fidelity: 'vendor-code',
  },
  tokenEmpty: {
    code: 10810,
    http: 401,
    status: 'Unauthorized',
    message: 'missing Authorization header (expected "Token <token>")',
    fidelity: 'vendor-code',
  },
  tokenUnparsable: {
    code: 10811,
    http: 401,
    status: 'Unauthorized',
    message: 'Authorization header must be "Token <token>" (or "Bearer <token>")',
    fidelity: 'vendor-code',
  },
  tokenInvalid: {
    code: 10812,
    http: 401,
    status: 'Unauthorized',
    message: 'token is not valid',
    fidelity: 'vendor-code',
  },
  tokenExpired: {
    code: 10813,
    http: 401,
    status: 'Unauthorized',
    message: 'token has expired; POST /service/cloud/auth again',
    fidelity: 'vendor-code',
  },

  // Workflow and list rows.
  createFailed: {
    code: 10501,
    http: 400,
    status: 'Bad Request',
    message: 'workflow creation failed',
    fidelity: 'vendor-code',
  },
  emptyContactList: {
    code: 10505,
    http: 400,
    status: 'Bad Request',
    message: 'contact list is empty',
    fidelity: 'vendor-code',
  },
  workflowNotFound: {
    code: 10506,
    http: 404,
    status: 'Not Found',
    message: 'workflow not found',
    fidelity: 'vendor-code',
  },
  workflowFinished: {
    code: 10513,
    http: 400,
    status: 'Bad Request',
    message: 'workflow has finished',
    fidelity: 'vendor-code',
  },
  badPhoneNumber: {
    code: 10510,
    http: 400,
    status: 'Bad Request',
    message: 'bad phone number format (must start with "+" and have at most 14 digits)',
    fidelity: 'vendor-code',
  },
  noRecordings: {
    code: 10516,
    http: 404,
    status: 'Not Found',
    message: 'no recordings',
    fidelity: 'vendor-code',
  },
  callIdEmpty: {
    code: 10608,
    http: 400,
    status: 'Bad Request',
    message: 'call_id is empty',
    fidelity: 'vendor-code',
  },
  callIdInvalid: {
    code: 10609,
    http: 404,
    status: 'Not Found',
    message: 'call_id is not valid (no such call)',
    fidelity: 'vendor-code',
  },
  queryOverLimit: {
    code: 10705,
    http: 400,
    status: 'Bad Request',
    message: 'query count over limit',
    fidelity: 'vendor-code',
  },
  fileNotFound: {
    code: 10820,
    http: 404,
    status: 'Not Found',
    message: 'file does not exist',
    fidelity: 'vendor-code',
  },

  // Emulator bugs: never dressed up as a vendor error, never caused by bad input.
  internal: {
    code: 10201,
    http: 500,
    status: 'Internal Server Error',
    message: 'internal service error',
    fidelity: 'vendor-code',
  },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorKind = keyof typeof VENDOR_ERRORS;

/** An error answer the API means to give (bad input, missing token, unknown id...). */
export interface FieldIssue {
  /** JSON path of the bad field, e.g. `$.details[0].callee`. */
  path: string;
  message: string;
}

export class VendorError extends Error {
  readonly kind: ErrorKind;
  readonly spec: ErrorSpec;
  /** Field-level problems, rendered as `errors[]` in the envelope (the emulator's addition). */
  readonly issues?: FieldIssue[];
  constructor(kind: ErrorKind, message?: string, issues?: FieldIssue[]) {
    const spec = VENDOR_ERRORS[kind];
    super(message ?? spec.message);
    this.name = 'VendorError';
    this.kind = kind;
    this.spec = spec;
    if (issues) this.issues = issues;
  }
}

/** Where the server reports emulator bugs (an error answered 500); default: the console. */
export interface ErrorLogger {
  error(message: string, err: unknown): void;
}
