import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthenticatedRequest } from './auth-user.types';
import { forbidden, unauthenticated } from './jwt-claims.util';
import { routeAccess } from './route-access';

/**
 * Global, after `JwtAuthGuard`: enforces `@Roles(...)`. Deny by default: a non-public route that declares no
 * roles is a forgotten decorator, and is closed to every caller rather than open to any valid token.
 */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const { isPublic, roles: required } = routeAccess(this.reflector, context);
    if (isPublic) return true;
    if (!required?.length) throw forbidden('This route declares no roles, so no caller may use it.');
    const user = context.switchToHttp().getRequest<AuthenticatedRequest>().user;
    if (!user) throw unauthenticated('This route needs an authenticated caller.');
    if (!required.some((role) => user.roles.includes(role))) {
      throw forbidden(`This action needs one of the roles: ${required.join(', ')}.`);
    }
    return true;
  }
}
