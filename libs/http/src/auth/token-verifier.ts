import { createSecretKey } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { JwtService, TokenExpiredError } from '@nestjs/jwt';
import { API_CONVENTIONS_OPTIONS, type ApiConventionsOptions } from '../api-conventions.options';
import { AuthUser } from './auth-user.types';
import { authUserFromClaims, unauthenticated } from './jwt-claims.util';
import { OidcTokenVerifier } from './oidc-token.verifier';
import { OIDC_ALGORITHMS } from './oidc.options';

const PROVIDER_ALGORITHMS: ReadonlySet<string> = new Set(OIDC_ALGORITHMS);

/** Local tokens remembered as verified: a client sends the same one on every request until it expires. */
const VERIFIED_TOKENS_KEPT = 10_000;

/**
 * The one place a bearer token is verified (the guard, and so the live stream's `?access_token=`, go
 * through it). The token's `alg` picks the verifier, and each verifier pins its algorithms: HS256 only
 * with the local secret, RS256/ES256/PS256 only with the provider's published keys. So an `alg: none`
 * token, or an HS256 token "signed" with the provider's public key (algorithm confusion), has no verifier
 * that would take it. Local tokens stay synchronous: the hot path pays no promise for them.
 */
@Injectable()
export class TokenVerifier {
  private readonly local?: JwtService;
  private readonly provider?: OidcTokenVerifier;
  // Checking the HMAC and parsing the claims again cost about as much as the rest of a cheap authenticated GET.
  // Keyed by the whole token, signature included, so only the very bytes once verified are taken on trust.
  private readonly verified = new Map<string, { user: AuthUser; exp: number }>();

  constructor(@Inject(API_CONVENTIONS_OPTIONS) options: ApiConventionsOptions) {
    if (options.jwtSecret !== undefined) {
      // A KeyObject, not the string: given a string, jsonwebtoken first tries it as a PEM public key on
      // every verify (~0.7 ms).
      const secret = createSecretKey(Buffer.from(options.jwtSecret));
      this.local = new JwtService({ secret, verifyOptions: { algorithms: ['HS256'] } });
    }
    if (options.oidc) this.provider = new OidcTokenVerifier(options.oidc);
  }

  /** The caller the token names, or a 401 problem saying what is wrong with it (503 if the provider is away). */
  verify(token: string): AuthUser | Promise<AuthUser> {
    const known = this.verified.get(token);
    if (known) {
      // jsonwebtoken's expiry rule: expired from the second `exp` names.
      if (Math.floor(Date.now() / 1000) < known.exp) return { ...known.user, roles: [...known.user.roles] };
      this.verified.delete(token); // verified again below, which says it has expired
    }
    const alg = headerAlgorithm(token);
    if (alg === 'HS256' && this.local) return this.verifyLocal(token);
    if (alg !== undefined && PROVIDER_ALGORITHMS.has(alg) && this.provider) {
      if (unverifiedIssuer(token) !== this.provider.issuer) throw unauthenticated("The token's issuer is not trusted here.");
      return this.provider.verify(token);
    }
    if (alg === undefined) throw unauthenticated('The token is invalid.');
    if (alg === 'none') throw unauthenticated('An unsigned token (alg "none") is never accepted.');
    throw unauthenticated(this.acceptedAlgorithms());
  }

  private verifyLocal(token: string): AuthUser {
    let claims: Record<string, unknown>;
    try {
      claims = this.local!.verify<Record<string, unknown>>(token);
    } catch (error) {
      if (error instanceof TokenExpiredError) throw unauthenticated('The token has expired.');
      // The provider's issuer on an HS256 token: someone signed it with a key they could get (its public key).
      if (this.provider && unverifiedIssuer(token) === this.provider.issuer) {
        throw unauthenticated(`Tokens of the identity provider must be signed with ${OIDC_ALGORITHMS.join(', ')}.`);
      }
      throw unauthenticated('The token is invalid.');
    }
    const user = authUserFromClaims(claims);
    if (this.verified.size >= VERIFIED_TOKENS_KEPT) this.verified.delete(this.verified.keys().next().value!);
    this.verified.set(token, { user: { ...user, roles: [...user.roles] }, exp: claims.exp as number });
    return user;
  }

  private acceptedAlgorithms(): string {
    const accepted = [...(this.local ? ['HS256 (local tokens)'] : []), ...(this.provider ? [`${OIDC_ALGORITHMS.join(', ')} (identity provider)`] : [])];
    return `The token's signing algorithm is not accepted; accepted: ${accepted.join(' and ')}.`;
  }
}

/** The header's `alg`, or undefined for anything that is not a JWS compact token. */
function headerAlgorithm(token: string): string | undefined {
  const dot = token.indexOf('.');
  if (dot <= 0) return undefined;
  try {
    const alg: unknown = JSON.parse(Buffer.from(token.slice(0, dot), 'base64url').toString('utf8'))?.alg;
    return typeof alg === 'string' ? alg : undefined;
  } catch {
    return undefined;
  }
}

/** `iss` before verification: it only chooses the verifier, which checks it again with the signature. */
function unverifiedIssuer(token: string): unknown {
  const [, payload] = token.split('.');
  try {
    return payload ? JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'))?.iss : undefined;
  } catch {
    return undefined;
  }
}
