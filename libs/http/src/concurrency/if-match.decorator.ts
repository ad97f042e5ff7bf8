import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import { parseIfMatch } from './etag.util';

const readIfMatch = createParamDecorator((optional: boolean, context: ExecutionContext): number | undefined => {
  const header = context.switchToHttp().getRequest<{ headers: Record<string, string | string[] | undefined> }>().headers['if-match'];
  return optional && (header === undefined || header === '') ? undefined : parseIfMatch(header);
});

/**
 * The entity version the client edited, from the `If-Match` header; pass it to `assertVersion`. Required by
 * default; `{ optional: true }` for a create-or-replace PUT, where no header means "create" (undefined), or for an
 * action whose version check the client may add (say so in `description`).
 */
export function IfMatch(options: { optional?: boolean; description?: string } = {}): ParameterDecorator {
  const optional = options.optional ?? false;
  return (target, propertyKey, parameterIndex) => {
    readIfMatch(optional)(target, propertyKey, parameterIndex);
    if (propertyKey !== undefined) {
      const descriptor = Object.getOwnPropertyDescriptor(target, propertyKey);
      if (descriptor) {
        const description =
          options.description ??
          (optional ? 'ETag of the version being replaced, e.g. "3"; leave out to create' : 'ETag of the version being edited, e.g. "3"');
        ApiHeader({ name: 'If-Match', required: !optional, description })(target, propertyKey, descriptor);
      }
    }
  };
}
