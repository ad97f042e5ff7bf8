import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import { parseIfMatch } from './etag.util';

const readIfMatch = createParamDecorator((_data: unknown, context: ExecutionContext): number => {
  const request = context.switchToHttp().getRequest<{ headers: Record<string, string | string[] | undefined> }>();
  return parseIfMatch(request.headers['if-match']);
});

/** The entity version the client edited, from a required `If-Match` header; pass it to `assertVersion`. */
export function IfMatch(): ParameterDecorator {
  return (target, propertyKey, parameterIndex) => {
    readIfMatch()(target, propertyKey, parameterIndex);
    if (propertyKey !== undefined) {
      const descriptor = Object.getOwnPropertyDescriptor(target, propertyKey);
      if (descriptor) {
        ApiHeader({ name: 'If-Match', required: true, description: 'ETag of the version being edited, e.g. "3"' })(target, propertyKey, descriptor);
      }
    }
  };
}
