import { Controller, ExecutionContext, Get, HttpStatus } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ProblemException } from '../problem/problem.exception';
import { AuthUser } from './auth-user.types';
import { Public } from './public.decorator';
import { Role } from './role.enum';
import { Roles } from './roles.decorator';
import { RolesGuard } from './roles.guard';

@Controller()
class Routes {
  @Get() @Roles(Role.SalesManager) managers() {}
  @Get() forgotten() {}
  @Get() @Public() open() {}
}

const guard = new RolesGuard(new Reflector());
const call = (handler: keyof Routes, user?: AuthUser) =>
  guard.canActivate({
    getType: () => 'http',
    getHandler: () => Routes.prototype[handler],
    getClass: () => Routes,
    switchToHttp: () => ({ getRequest: () => ({ user, headers: {} }) }),
  } as unknown as ExecutionContext);
const statusOf = (fn: () => unknown) => {
  try {
    fn();
    return 'passed';
  } catch (error) {
    return (error as ProblemException).getStatus();
  }
};

describe('RolesGuard', () => {
  const manager: AuthUser = { sub: 'm', roles: [Role.SalesManager], team: 't' };
  const admin: AuthUser = { sub: 'a', roles: [Role.Admin] };

  it('lets in a caller with one of the named roles and refuses the others with 403', () => {
    expect(statusOf(() => call('managers', manager))).toBe('passed');
    expect(statusOf(() => call('managers', admin))).toBe(HttpStatus.FORBIDDEN);
  });

  it('closes a non-public route that names no roles to every caller, admin included', () => {
    expect(statusOf(() => call('forgotten', admin))).toBe(HttpStatus.FORBIDDEN);
    expect(statusOf(() => call('forgotten', manager))).toBe(HttpStatus.FORBIDDEN);
  });

  it('leaves a public route to its own checks', () => {
    expect(statusOf(() => call('open'))).toBe('passed');
  });
});
