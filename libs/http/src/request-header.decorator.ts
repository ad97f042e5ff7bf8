import { createParamDecorator, type ExecutionContext } from '@nestjs/common';

/**
 * One request header, or undefined. Unlike Nest's `@Headers(name)` it adds nothing to the OpenAPI document,
 * where that would list a standard header (`Accept-Language`, `Last-Event-ID`) as a required parameter; a route
 * that documents one says so with `@ApiHeader`.
 */
export const RequestHeader = createParamDecorator((name: string, context: ExecutionContext): string | undefined => {
  const value = context.switchToHttp().getRequest<{ headers: Record<string, string | string[] | undefined> }>().headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
});
