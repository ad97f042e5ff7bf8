import { oidcOptionsProblems, type OidcOptions } from './auth/oidc.options';
import type { RateLimitOptions } from './limits/rate-limit';

export const API_CONVENTIONS_OPTIONS = Symbol('API_CONVENTIONS_OPTIONS');

export interface ApiConventionsOptions {
  /**
   * HS256 key of locally signed tokens (development, tests, `npm run token`); at least 32 characters
   * (RFC 7518 §3.2: ≥ 256 bits). Unset: no local token is accepted, only the provider's (`oidc`).
   */
  jwtSecret?: string;
  /** An OpenID Connect provider whose RS256/ES256/PS256 tokens are accepted too (ADR 0021). */
  oidc?: OidcOptions;
  idempotency?: {
    /**
     * How long a claimed key may stay in flight before another request may take it over. It only matters
     * after a crash mid-request; until then the client gets 409. Default 120 000 ms.
     */
    inFlightTimeoutMs?: number;
    /** How long a key (and its answer) is kept: the retry window a client is promised. Default 24 h. */
    retentionMs?: number;
    /** How often expired keys are purged (`IdempotencyKeyPurge`, in every replica). Default 15 min. */
    purgeIntervalMs?: number;
  };
  /** Requests per client (JWT `sub`, else address) per window; default DEFAULT_RATE_LIMIT, `limit: 0` = off. */
  rateLimit?: RateLimitOptions;
  /**
   * Errors that mean a dependency is unreachable (a database restarting, a pool that cannot connect): answered
   * 503 with Retry-After, since the client did nothing wrong and should retry. Default: none.
   */
  isUnavailable?: (error: unknown) => boolean;
  /** Streamed CSV exports of lists (`Accept: text/csv`): the most rows one export holds. Default 100 000. */
  csvExport?: { maxRows?: number };
}

export const MIN_JWT_SECRET_LENGTH = 32;
export const DEFAULT_IN_FLIGHT_TIMEOUT_MS = 120_000;

/** Fails at boot, not on the first request, when the service is misconfigured. */
export function assertApiConventionsOptions(options: ApiConventionsOptions): ApiConventionsOptions {
  const secret = options?.jwtSecret;
  if ((secret === undefined && !options?.oidc) || (secret !== undefined && (typeof secret !== 'string' || secret.length < MIN_JWT_SECRET_LENGTH))) {
    throw new Error(`ApiConventionsModule: jwtSecret must be a string of at least ${MIN_JWT_SECRET_LENGTH} characters (or unset, with oidc)`);
  }
  const oidcProblems = options.oidc ? oidcOptionsProblems(options.oidc) : [];
  if (oidcProblems.length) throw new Error(`ApiConventionsModule: ${oidcProblems.join('; ')}`);
  for (const name of ['inFlightTimeoutMs', 'retentionMs', 'purgeIntervalMs'] as const) {
    const value = options.idempotency?.[name];
    if (value !== undefined && (!Number.isInteger(value) || value < 1)) {
      throw new Error(`ApiConventionsModule: idempotency.${name} must be a positive integer`);
    }
  }
  const maxRows = options.csvExport?.maxRows;
  if (maxRows !== undefined && (!Number.isInteger(maxRows) || maxRows < 1))
    throw new Error('ApiConventionsModule: csvExport.maxRows must be a positive integer');
  return options;
}
