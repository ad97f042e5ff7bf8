import { applyDecorators, Type } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, getSchemaPath } from '@nestjs/swagger';
import { CsvItemType } from '../export/csv-export.interceptor';

/**
 * Documents a `Page<T>` response; generics are erased at runtime, so the item class is passed in. The item's
 * documented fields are also the columns of the list's CSV export.
 */
export function ApiPageResponse(itemType: Type<unknown>, description?: string): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiExtraModels(itemType),
    CsvItemType(itemType),
    ApiOkResponse({
      description,
      schema: {
        type: 'object',
        required: ['items', 'nextCursor'],
        properties: {
          items: { type: 'array', items: { $ref: getSchemaPath(itemType) } },
          nextCursor: { type: 'string', nullable: true, description: 'Pass as `cursor` for the next page; null on the last' },
        },
      },
    }),
  );
}
