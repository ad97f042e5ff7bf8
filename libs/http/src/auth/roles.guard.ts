import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthenticatedRequest } from './auth-user.types';
import { forbidden, unauthenticated } from './jwt-claims.util';
import { Role } from './role.enum';
import { ROLES_KEY } from './roles.decorator';

/** Global, after `JwtAuthGuard`: enforces `@Roles(...)` where a route declares it. */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const required = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, [context.getHandler(), context.getClass()]);
    if (!required?.length) return true;
    const user = context.switchToHttp().getRequest<AuthenticatedRequest>().user;
    if (!user) throw unauthenticated('This route needs an authenticated caller.');
    if (!required.some((role) => user.roles.includes(role))) {
      throw forbidden(`This action needs one of the roles: ${required.join(', ')}.`);
    }
    return true;
  }
}
