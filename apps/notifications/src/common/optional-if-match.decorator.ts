import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import { parseIfMatch } from '@crm/http';

const readOptionalIfMatch = createParamDecorator((_data: unknown, context: ExecutionContext): number | undefined => {
  const header = context.switchToHttp().getRequest<{ headers: Record<string, string | string[] | undefined> }>().headers['if-match'];
  return header === undefined || header === '' ? undefined : parseIfMatch(header);
});

/** The version a create-or-replace PUT edits: none (create) or the `If-Match` ETag (replace that version). */
export function OptionalIfMatch(): ParameterDecorator {
  return (target, propertyKey, parameterIndex) => {
    readOptionalIfMatch()(target, propertyKey, parameterIndex);
    if (propertyKey === undefined) return;
    const descriptor = Object.getOwnPropertyDescriptor(target, propertyKey);
    if (descriptor) {
      ApiHeader({ name: 'If-Match', required: false, description: 'ETag of the version being replaced, e.g. "3"; leave out to create' })(
        target,
        propertyKey,
        descriptor,
      );
    }
  };
}
