/**
 * Credentials and tokens (reference §2). A token lives 24 h of *clock* time; asking again while
 * it is valid pushes the same token's expiry out by another 24 h (the vendor's rule; whether the
 * vendor returns the same string is not documented, so `rotateOnReauth` switches to a new one).
 * Clients send `Authorization: Token <t>` (documented); `Bearer <t>` is accepted too because a
 * real client sends it.
 */
import { randomBytes } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Clock } from '../core/clock.ts';
import { TOKEN_LIFETIME_MS, type Account, type TokenRecord, type TokenTable } from '../core/accounts.ts';
import { VendorError } from '../core/vendor-errors.ts';

// The plain types live in an express-free module (the library's public types reach them).
export {
  DEFAULT_APP_KEY,
  DEFAULT_APP_SECRET,
  TOKEN_LIFETIME_MS,
  type Account,
  type TokenRecord,
  type TokenTable,
} from '../core/accounts.ts';

export interface AuthOptions {
  accounts: Account[];
  clock: Clock;
  tokens: TokenTable;
  rotateOnReauth?: boolean;
  /** Token generator (tests pass a deterministic one). */
  newToken?: () => string;
}

export interface AuthService {
  /** Check credentials and issue or extend a token. */
  login(appKey: unknown, appSecret: unknown): TokenRecord;
  /** Resolve an `Authorization` header value to its token record, or throw the vendor error. */
  check(header: string | undefined): TokenRecord;
  account(appKey: string): Account | undefined;
}

// 36 random bytes print as 48 Base64 characters, '+' and '/' included, like the vendor's example.
const defaultNewToken = () => randomBytes(36).toString('base64');

export function createAuthService(opts: AuthOptions): AuthService {
  const newToken = opts.newToken ?? defaultNewToken;
  const byKey = new Map(opts.accounts.map((a) => [a.appKey, a]));
  return {
    account: (appKey) => byKey.get(appKey),
    login(appKey, appSecret) {
      const account = typeof appKey === 'string' ? byKey.get(appKey) : undefined;
      if (!account) throw new VendorError('invalidAppKey', `invalid APPKey ${JSON.stringify(appKey)}`);
      if (appSecret !== account.appSecret) throw new VendorError('accountVerificationFailed');
      const now = opts.clock.now();
      const current = opts.tokens.latestToken(account.appKey);
      const keep = current && current.expiresAt > now && !opts.rotateOnReauth;
      const record: TokenRecord = {
        token: keep ? current.token : newToken(),
        appKey: account.appKey,
        expiresAt: now + TOKEN_LIFETIME_MS,
      };
      opts.tokens.saveToken(record);
      return record;
    },
    check(header) {
      if (header === undefined || header.trim() === '') throw new VendorError('tokenEmpty');
      const m = /^\s*(Token|Bearer)\s+(\S+)\s*$/i.exec(header);
      if (!m) throw new VendorError('tokenUnparsable');
      const record = opts.tokens.findToken(m[2]!);
      if (!record) throw new VendorError('tokenInvalid');
      if (record.expiresAt <= opts.clock.now()) {
        throw new VendorError(
          'tokenExpired',
          `token expired at clock time ${new Date(record.expiresAt).toISOString()}; POST /service/cloud/auth again`,
        );
      }
      return record;
    },
  };
}

/** Middleware: requires a valid token; leaves the record in `res.locals.token`. */
export function requireToken(auth: AuthService): RequestHandler {
  return (req, res, next) => {
    res.locals.token = auth.check(req.get('authorization'));
    next();
  };
}
