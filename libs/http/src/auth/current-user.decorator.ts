import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { AuthenticatedRequest, AuthUser } from './auth-user.types';
import { unauthenticated } from './jwt-claims.util';

/** The verified caller; on a `@Public()` route there is none, and asking for one is a 401. */
export const CurrentUser = createParamDecorator((_data: unknown, context: ExecutionContext): AuthUser => {
  const user = context.switchToHttp().getRequest<AuthenticatedRequest>().user;
  if (!user) throw unauthenticated('This route needs an authenticated caller.');
  return user;
});
