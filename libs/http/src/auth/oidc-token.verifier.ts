import { HttpStatus, Logger } from '@nestjs/common';
import { createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { HttpProblemCode } from '../problem/problem-code.enum';
import { ProblemException } from '../problem/problem.exception';
import { AuthUser } from './auth-user.types';
import { authUserFromProviderClaims } from './claim-mapping';
import { unauthenticated } from './jwt-claims.util';
import { DEFAULT_CLOCK_TOLERANCE_SECONDS, DEFAULT_JWKS_COOLDOWN_SECONDS, OIDC_ALGORITHMS, type OidcOptions } from './oidc.options';

const FETCH_TIMEOUT_MS = 5_000;

/** The provider could not be asked for its keys: not the caller's fault, so 503 rather than 401. */
class ProviderUnreachable extends Error {}

/**
 * Verifies an identity provider's tokens against its published keys. jose's remote key set keeps the keys
 * (10 minutes) and fetches again when a token names a key id it does not hold, at most once per cooldown:
 * a rotated key works at once, a retired one is refused once the provider stops publishing it.
 */
export class OidcTokenVerifier {
  private readonly logger = new Logger('OidcTokenVerifier');
  private keys?: Promise<JWTVerifyGetKey>;

  constructor(private readonly options: OidcOptions) {}

  get issuer(): string {
    return this.options.issuer;
  }

  async verify(token: string): Promise<AuthUser> {
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, await this.keySet(), {
        issuer: this.options.issuer,
        audience: this.options.audience,
        algorithms: [...OIDC_ALGORITHMS],
        clockTolerance: this.options.clockToleranceSeconds ?? DEFAULT_CLOCK_TOLERANCE_SECONDS,
        requiredClaims: ['exp'],
      }));
    } catch (error) {
      throw this.refusal(error);
    }
    return authUserFromProviderClaims(payload, this.options.claims);
  }

  /** Resolved once; a failed discovery is retried by the next token rather than remembered. */
  private keySet(): Promise<JWTVerifyGetKey> {
    if (!this.keys) {
      const keys = this.jwksUrl().then((url) => this.remoteKeySet(url));
      keys.catch(() => {
        if (this.keys === keys) this.keys = undefined;
      });
      this.keys = keys;
    }
    return this.keys;
  }

  private remoteKeySet(url: URL): JWTVerifyGetKey {
    const remote = createRemoteJWKSet(url, {
      timeoutDuration: FETCH_TIMEOUT_MS,
      cooldownDuration: (this.options.jwksCooldownSeconds ?? DEFAULT_JWKS_COOLDOWN_SECONDS) * 1000,
    });
    return async (header, token) => {
      try {
        return await remote(header, token);
      } catch (error) {
        throw isKeySelectionError(error) ? error : new ProviderUnreachable(`key set ${url.href}: ${describe(error)}`);
      }
    };
  }

  /** OIDC_JWKS_URL, else `jwks_uri` of the discovery document, which must name the same issuer (OIDC Discovery §4.3). */
  private async jwksUrl(): Promise<URL> {
    if (this.options.jwksUrl) return new URL(this.options.jwksUrl);
    const where = `${this.options.issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
    let document: { issuer?: unknown; jwks_uri?: unknown };
    try {
      const response = await fetch(where, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), headers: { accept: 'application/json' } });
      if (response.status !== 200) throw new Error(`answered ${response.status}`);
      document = (await response.json()) as typeof document;
    } catch (error) {
      throw new ProviderUnreachable(`discovery ${where}: ${describe(error)}`);
    }
    if (document?.issuer !== this.options.issuer) {
      throw new ProviderUnreachable(`discovery ${where} names another issuer (${String(document?.issuer)}); OIDC_ISSUER must match it exactly`);
    }
    const jwksUri = typeof document.jwks_uri === 'string' ? URL.parse(document.jwks_uri) : null;
    // Keys must come over a channel at least as safe as the one the issuer was named on.
    if (!jwksUri || !['https:', 'http:'].includes(jwksUri.protocol) || (where.startsWith('https:') && jwksUri.protocol !== 'https:')) {
      throw new ProviderUnreachable(`discovery ${where} has no usable jwks_uri`);
    }
    return jwksUri;
  }

  /** A 401 that says what is wrong with the token, never which key was tried; a 503 when the provider is away. */
  private refusal(error: unknown): ProblemException {
    if (error instanceof ProblemException) return error;
    if (error instanceof ProviderUnreachable) {
      this.logger.warn(`identity provider ${this.options.issuer} unreachable: ${error.message}`);
      return new ProblemException({
        status: HttpStatus.SERVICE_UNAVAILABLE,
        code: HttpProblemCode.IdentityProviderUnavailable,
        detail: "The identity provider's signing keys could not be fetched; retry later.",
      });
    }
    if (error instanceof errors.JWTExpired) return unauthenticated('The token has expired.');
    if (error instanceof errors.JWTClaimValidationFailed) return unauthenticated(claimDetail(error));
    if (error instanceof errors.JWKSNoMatchingKey) {
      return unauthenticated('The token is signed with a key the identity provider does not publish (retired or unknown).');
    }
    if (error instanceof errors.JWKSMultipleMatchingKeys)
      return unauthenticated('The token names no key id, and the identity provider publishes several keys.');
    if (error instanceof errors.JWSSignatureVerificationFailed) return unauthenticated("The token's signature is invalid.");
    return unauthenticated('The token is invalid.');
  }
}

const CLAIM_DETAIL: Record<string, string> = {
  iss: "The token's issuer is not trusted here.",
  aud: 'The token is not meant for this API (its audience does not match).',
  nbf: 'The token is not valid yet.',
};

function claimDetail({ claim, reason }: errors.JWTClaimValidationFailed): string {
  if (claim === 'exp' && reason === 'missing') return 'The token has no expiry.';
  // jose names only the registered claims it checks (exp, nbf, iat …), never a value of the token.
  if (reason === 'invalid') return `The token's "${claim}" claim is malformed.`;
  return CLAIM_DETAIL[claim] ?? 'The token has invalid claims.';
}

/** The token's own fault: no key of the provider's set fits it. Anything else means the set was not had. */
function isKeySelectionError(error: unknown): boolean {
  return error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys || error instanceof errors.JOSENotSupported;
}

function describe(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? ` (${error.cause.message})` : '';
  return error instanceof Error ? `${error.message}${cause}` : String(error);
}
