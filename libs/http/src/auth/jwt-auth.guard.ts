import { createSecretKey } from 'node:crypto';
import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService, TokenExpiredError } from '@nestjs/jwt';
import { API_CONVENTIONS_OPTIONS, ApiConventionsOptions } from '../api-conventions.options';
import { AuthenticatedRequest } from './auth-user.types';
import { authUserFromClaims, unauthenticated } from './jwt-claims.util';
import { IS_PUBLIC_KEY } from './public.decorator';

/** Global: every HTTP route needs a valid HS256 bearer token unless it is `@Public()`. */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  private readonly jwt: JwtService;

  constructor(
    @Inject(API_CONVENTIONS_OPTIONS) options: ApiConventionsOptions,
    private readonly reflector: Reflector,
  ) {
    // Pinning the algorithm is what stops `alg: none` and algorithm-confusion tokens. A KeyObject, not the
    // string: given a string, jsonwebtoken first tries it as a PEM public key on every verify (~0.7 ms).
    const secret = typeof options.jwtSecret === 'string' ? createSecretKey(Buffer.from(options.jwtSecret)) : options.jwtSecret;
    this.jwt = new JwtService({ secret, verifyOptions: { algorithms: ['HS256'] } });
  }

  canActivate(context: ExecutionContext): boolean {
    // Kafka handlers of a hybrid app authenticate nothing here; their trust comes from the broker.
    if (context.getType() !== 'http') return true;
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, [context.getHandler(), context.getClass()])) return true;

    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const token = bearerToken(request.headers.authorization);
    if (!token) throw unauthenticated('A bearer token is required.');
    let claims: Record<string, unknown>;
    try {
      claims = this.jwt.verify<Record<string, unknown>>(token);
    } catch (error) {
      throw unauthenticated(error instanceof TokenExpiredError ? 'The token has expired.' : 'The token is invalid.');
    }
    request.user = authUserFromClaims(claims);
    return true;
  }
}

function bearerToken(header: string | string[] | undefined): string | undefined {
  const match = typeof header === 'string' ? /^Bearer ([^\s]+)$/i.exec(header.trim()) : null;
  return match?.[1];
}
