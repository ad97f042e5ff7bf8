import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { setCurrentUser } from '@crm/observability';
import { AuthenticatedRequest } from './auth-user.types';
import { unauthenticated } from './jwt-claims.util';
import { routeAccess } from './route-access';
import { TokenVerifier } from './token-verifier';

/**
 * Global: every HTTP route needs a valid bearer token unless it is `@Public()`: a local HS256 token, or one
 * of the configured identity provider's (`TokenVerifier` says which and checks it).
 */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(
    private readonly verifier: TokenVerifier,
    private readonly reflector: Reflector,
  ) {}

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    // Kafka handlers of a hybrid app authenticate nothing here; their trust comes from the broker.
    if (context.getType() !== 'http') return true;
    if (routeAccess(this.reflector, context).isPublic) return true;

    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const token = bearerToken(request.headers.authorization);
    if (!token) throw unauthenticated('A bearer token is required.');
    const user = this.verifier.verify(token);
    // A local token is checked synchronously; only a provider's needs a promise (its keys may be fetched).
    if (user instanceof Promise) {
      return user.then((verified) => {
        request.user = verified;
        setCurrentUser(verified);
        return true;
      });
    }
    request.user = user;
    setCurrentUser(user);
    return true;
  }
}

function bearerToken(header: string | string[] | undefined): string | undefined {
  const match = typeof header === 'string' ? /^Bearer ([^\s]+)$/i.exec(header.trim()) : null;
  return match?.[1];
}
