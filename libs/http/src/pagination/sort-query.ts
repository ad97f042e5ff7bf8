import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import type { PaginateOptions } from './keyset-paginate.util';

/**
 * A list's sortable columns: the `sort` key a client sends → the entity column (`lead.createdAt`), and for a
 * nullable column the value its NULLs sort as (`{ column: 'lead.score', nullsAs: -1 }`), since keyset
 * pagination needs a value on every row.
 */
export type SortColumns = Record<string, string | { column: string; nullsAs: string | number }>;

/** `['createdAt', '-createdAt', …]`: each key ascending, and descending with a leading `-`. */
export function sortValues(keys: readonly string[]): string[] {
  return keys.flatMap((key) => [key, `-${key}`]);
}

/**
 * `sort` of a list query: one column, `-` for descending, from the list's allow-list (documented as an enum;
 * anything else is a 400 on `sort` naming the allowed values).
 */
export function SortQuery(keys: readonly string[], defaultSort: string, description?: string): PropertyDecorator {
  const values = sortValues(keys);
  return applyDecorators(
    ApiPropertyOptional({ enum: values, default: defaultSort, description: description ?? 'one column; a leading `-` sorts descending' }),
    IsOptional(),
    IsIn(values, { message: `sort must be one of: ${values.join(', ')}` }),
  );
}

/** The `paginate` sort of a validated `sort` value (or the default). */
export function sortBy(sort: string | undefined, columns: SortColumns, defaultSort: string): PaginateOptions['sort'] {
  const value = sort ?? defaultSort;
  const spec = columns[value.replace(/^-/, '')];
  if (!spec) throw new Error(`sortBy: "${value}" is not one of the list's sort columns`);
  const direction = value.startsWith('-') ? 'DESC' : 'ASC';
  return typeof spec === 'string' ? { column: spec, direction } : { column: spec.column, nullsAs: spec.nullsAs, direction };
}
