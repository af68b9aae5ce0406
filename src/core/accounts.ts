/**
 * Credentials and tokens as plain data (no express): what the library's options and the store
 * hold. The auth service itself is src/http/auth.ts.
 */

/** How long a token lives, in clock milliseconds (24 h). */
export const TOKEN_LIFETIME_MS = 24 * 60 * 60 * 1000;

/** The documented default credentials (like LocalStack's test/test). */
export const DEFAULT_APP_KEY = 'test-app-key';
export const DEFAULT_APP_SECRET = 'test-app-secret';

export interface Account {
  appKey: string;
  appSecret: string;
}

export interface TokenRecord {
  token: string;
  appKey: string;
  /** Clock time the token expires, epoch ms. */
  expiresAt: number;
}

/** Where tokens are kept (the store, so they survive a restart with --data-dir). */
export interface TokenTable {
  findToken(token: string): TokenRecord | undefined;
  /** The newest token issued to `appKey`, if any. */
  latestToken(appKey: string): TokenRecord | undefined;
  saveToken(record: TokenRecord): void;
}
