import { RequestMethod, SetMetadata, type INestApplicationContext, type Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { MetadataScanner, ModulesContainer, Reflector } from '@nestjs/core';
import { IS_PUBLIC_KEY } from '../auth/public.decorator';
import { ROLES_KEY } from '../auth/roles.decorator';

/** What the contract rules read from a route's own metadata, the same metadata the guards act on. */
export interface RouteFacts {
  /** Lower case, as in an OpenAPI path item: `get`, `post`. */
  method: string;
  /** As in the OpenAPI document: `/api/v1/orders/{id}`. */
  path: string;
  controller: string;
  handler: string;
  public: boolean;
  roles: string[];
  /** Derived error statuses this route cannot answer (`@ApiOmitProblems`). */
  omitProblems: number[];
}

const OMIT_PROBLEMS_KEY = 'crm:http:openapi:omit-problems';

/**
 * Leaves derived error responses out of a route's documentation where the rule is wrong for it, e.g.
 * `@ApiOmitProblems(404)` on a create-or-replace PUT whose id is the client's. Additions need no decorator of
 * ours: `@ApiConflictResponse({ description: 'CODE: why' })` is documented as problem+json like the rest.
 */
export const ApiOmitProblems = (...statuses: number[]) => SetMetadata(OMIT_PROBLEMS_KEY, statuses);

const asList = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : [value === undefined ? '' : String(value)]);

/** `api/v1/orders` + `:id/submit` → `/api/v1/orders/{id}/submit`. */
export function openApiPath(controllerPath: string, methodPath: string): string {
  const joined = `/${controllerPath}/${methodPath}`.replace(/\/+/g, '/').replace(/\/$/, '');
  return (joined || '/').replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

/** Every HTTP route of the application with its facts, keyed `method path`. */
export function collectRouteFacts(app: INestApplicationContext): Map<string, RouteFacts> {
  const reflector = new Reflector();
  const scanner = new MetadataScanner();
  const routes = new Map<string, RouteFacts>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Type<unknown> | undefined;
      if (!controller?.prototype) continue;
      const controllerPaths = asList(Reflect.getMetadata(PATH_METADATA, controller));
      for (const name of scanner.getAllMethodNames(controller.prototype)) {
        const handler = (controller.prototype as Record<string, unknown>)[name] as (...args: unknown[]) => unknown;
        const methodPath: unknown = Reflect.getMetadata(PATH_METADATA, handler);
        if (methodPath === undefined) continue; // an event handler or a helper, not a route
        const requestMethod = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod;
        const targets = [handler, controller];
        const facts = {
          method: RequestMethod[requestMethod].toLowerCase(),
          controller: controller.name,
          handler: name,
          public: reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC_KEY, targets) === true,
          roles: reflector.getAllAndOverride<string[] | undefined>(ROLES_KEY, targets) ?? [],
          omitProblems: reflector.getAllAndMerge<number[]>(OMIT_PROBLEMS_KEY, targets),
        };
        for (const base of controllerPaths) {
          for (const own of asList(methodPath)) {
            const path = openApiPath(base, own);
            routes.set(`${facts.method} ${path}`, { ...facts, path });
          }
        }
      }
    }
  }
  return routes;
}
