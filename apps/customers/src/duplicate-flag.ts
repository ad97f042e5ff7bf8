import { ParseBoolPipe, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiQuery } from '@nestjs/swagger';
import { applyDecorators } from '@nestjs/common';

/** `?allowDuplicate=true`: save although a "warn" duplicate rule matched (same as the body field). */
export const AllowDuplicate = () => Query('allowDuplicate', new ParseBoolPipe({ optional: true }));

export const AllowDuplicateDoc = () =>
  applyDecorators(
    ApiQuery({
      name: 'allowDuplicate',
      required: false,
      type: Boolean,
      description: 'true saves although a "warn" duplicate rule matched (409 DUPLICATE_WARNING); a "block" rule (409 DUPLICATE_BLOCKED) still refuses',
    }),
    ApiConflictResponse({
      description:
        'DUPLICATE_WARNING: a "warn" rule matched another record (send allowDuplicate=true to save anyway); DUPLICATE_BLOCKED: a "block" rule matched',
    }),
  );
