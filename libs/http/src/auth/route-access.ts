import type { ExecutionContext } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';
import { IS_PUBLIC_KEY } from './public.decorator';
import type { Role } from './role.enum';
import { ROLES_KEY } from './roles.decorator';

/** What a route's decorators say about who may call it: `@Public()`, and the roles `@Roles(...)` names. */
export interface RouteAccess {
  readonly isPublic: boolean;
  readonly roles?: readonly Role[];
}

// Decorators are fixed once the class is defined, so each route is read once, not on every request (a handler
// inherited by two controllers is keyed by both).
const cache = new WeakMap<object, WeakMap<object, RouteAccess>>();

export function routeAccess(reflector: Reflector, context: ExecutionContext): RouteAccess {
  const handler = context.getHandler();
  const controller = context.getClass();
  let byController = cache.get(handler);
  let access = byController?.get(controller);
  if (access) return access;
  const targets = [handler, controller];
  access = {
    isPublic: Boolean(reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC_KEY, targets)),
    roles: reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets),
  };
  if (!byController) cache.set(handler, (byController = new WeakMap()));
  byController.set(controller, access);
  return access;
}
