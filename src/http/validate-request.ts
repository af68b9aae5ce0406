/**
 * Request validation against the shared schema registry. All failures are listed in one message
 * (each bad field by its JSON path); the envelope code is the vendor's where one fits: an empty
 * contact list is 10505, a malformed phone number 10510, anything else the emulator's 400.
 */
import type { MessageName, MessageOf, SchemaRegistry, ValidationIssue } from '../contract/registry.ts';
import { VendorError, type ErrorKind } from '../core/vendor-errors.ts';

/** Paths whose format errors are phone-number errors (vendor code 10510). */
const PHONE_PATH = /(^|\.)(callee|callee_number|phone|phone_number)(\[\d+\])?$/;
/** Paths whose emptiness is an empty contact list (vendor code 10505). */
const LIST_PATH = /^\$\.details$/;

function kindOf(issue: ValidationIssue): ErrorKind {
  if (LIST_PATH.test(issue.path) && /fewer than|must NOT have fewer/i.test(issue.message))
    return 'emptyContactList';
  if (
    PHONE_PATH.test(issue.path) &&
    !/is required/.test(issue.message) &&
    !/must be of type/.test(issue.message)
  ) {
    return 'badPhoneNumber';
  }
  return 'badRequest';
}

/** A row's `callee` that is not one string: most often a list of numbers. */
const ROW_CALLEE = /^\$\.details\[\d+\]\.callee$/;
const ONE_NUMBER_HINT =
  '(one E.164 number per row: the vendor publishes no form for several numbers in one uploaded ' +
  "row; multi-number rows come from a scenario's contacts)";

/** The issue, with what to do instead where the schema's words alone would not say it. */
function explained(issue: ValidationIssue): ValidationIssue {
  if (ROW_CALLEE.test(issue.path) && issue.message === 'must be of type string') {
    return { ...issue, message: `${issue.message} ${ONE_NUMBER_HINT}` };
  }
  return issue;
}

const RANK: ErrorKind[] = ['emptyContactList', 'badPhoneNumber', 'badRequest'];

/** Human text for one issue: `details[0].callee must match ...` (the `$.` prefix dropped). */
export function describeIssue(issue: ValidationIssue): string {
  const where = issue.path === '$' ? 'request' : issue.path.replace(/^\$\.?/, '');
  return `${where} ${issue.message}`;
}

/** Validate `value` against schema `name`; throw the vendor error naming every bad field. */
export function validateRequest<N extends MessageName>(
  registry: SchemaRegistry,
  name: N,
  value: unknown,
): MessageOf<N> {
  if (registry.isValid(name, value)) return value;
  // Invalid: check again for the complete error list (only the failing path pays for it).
  const result = registry.validate(name, value);
  const errors = result.ok ? [] : result.errors.map(explained);
  const kinds = new Set(errors.map(kindOf));
  const kind = RANK.find((k) => kinds.has(k)) ?? 'badRequest';
  const list = errors.map(describeIssue).join('; ');
  throw new VendorError(kind, `invalid request: ${list}`, errors);
}
