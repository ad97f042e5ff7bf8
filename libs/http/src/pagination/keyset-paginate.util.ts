import { EntityMetadata, ObjectLiteral, QueryFailedError, SelectQueryBuilder } from 'typeorm';
import { decodeCursor, encodeCursor, invalidCursorProblem } from './cursor-codec.util';
import { Page } from './page.types';

export type SortDirection = 'ASC' | 'DESC';

export interface PaginateOptions {
  /**
   * `alias.property` (or a property of the main alias). NULLs fall out of a row comparison, so a nullable column
   * names `nullsAs`, the value its NULLs sort as (`COALESCE(column, nullsAs)`; an index on that expression serves it).
   */
  sort: { column: string; direction: SortDirection; nullsAs?: string | number };
  /** Unique property of the main alias that makes the order total. */
  tieBreaker?: string;
  limit: number;
  cursor?: string | null;
}

// Read back as text so the cursor keeps the database's precision (timestamptz has microseconds, a JS Date has not).
const SORT_ALIAS = 'page_sort_value';
const TIE_ALIAS = 'page_tie_value';

/**
 * Keyset pagination: `WHERE (sort, id) > (:sort, :id) ORDER BY sort, id LIMIT limit + 1`. Rows inserted or
 * deleted between pages never shift the window, unlike OFFSET. The caller's builder is cloned, not changed.
 */
export async function paginate<T extends ObjectLiteral>(queryBuilder: SelectQueryBuilder<T>, options: PaginateOptions): Promise<Page<T>> {
  const { sort, limit } = options;
  if (!Number.isInteger(limit) || limit < 1) throw new Error(`paginate: limit must be a positive integer, got ${limit}`);
  assertNoRowMultiplyingJoins(queryBuilder);
  const sortColumn = withNullsAs(resolveColumn(queryBuilder, sort.column), sort.nullsAs);
  const tieColumn = resolveColumn(queryBuilder, options.tieBreaker ?? 'id', true);
  // A cursor names the order it belongs to, so one taken from another sort is refused instead of misread.
  const sortKey = `${sort.column}:${sort.direction}`;

  const query = queryBuilder
    .clone()
    .addSelect(`CAST(${sortColumn.sql} AS text)`, SORT_ALIAS)
    .addSelect(`CAST(${tieColumn.sql} AS text)`, TIE_ALIAS)
    .orderBy(sortColumn.sql, sort.direction)
    .addOrderBy(tieColumn.sql, sort.direction)
    .limit(limit + 1);
  if (options.cursor) {
    const [key, sortValue, tieValue] = decodeCursor(options.cursor);
    if (key !== sortKey || typeof sortValue !== 'string' || typeof tieValue !== 'string') {
      throw invalidCursorProblem('cursor belongs to another sort order');
    }
    const operator = sort.direction === 'ASC' ? '>' : '<';
    query.andWhere(`(${sortColumn.sql}, ${tieColumn.sql}) ${operator} (:pageSortValue, :pageTieValue)`, {
      pageSortValue: sortValue,
      pageTieValue: tieValue,
    });
  }

  const { entities, raw } = await run(query, Boolean(options.cursor));
  if (entities.length <= limit) return { items: entities, nextCursor: null };
  const items = entities.slice(0, limit);
  const last = raw[limit - 1] as Record<string, string | null>;
  if (last[SORT_ALIAS] === null) {
    throw new Error(`paginate: ${sort.column} is NULL on a row; keyset pagination needs a NOT NULL sort column`);
  }
  if (last[TIE_ALIAS] !== String(tieColumn.metadata.getEntityValue(items[limit - 1]))) {
    throw new Error('paginate: raw rows and entities are out of step (a join multiplies rows?)');
  }
  return { items, nextCursor: encodeCursor([sortKey, last[SORT_ALIAS], last[TIE_ALIAS]]) };
}

async function run<T extends ObjectLiteral>(query: SelectQueryBuilder<T>, hasCursor: boolean) {
  try {
    return await query.getRawAndEntities();
  } catch (error) {
    // Class 22 (data exception): the cursor's values do not cast to the columns' types — it was tampered with.
    const code = error instanceof QueryFailedError ? (error.driverError as { code?: string }).code : undefined;
    if (hasCursor && code?.startsWith('22')) throw invalidCursorProblem();
    throw error;
  }
}

// LIMIT counts SQL rows: a to-many join would make a page hold fewer entities than asked and break the keyset.
function assertNoRowMultiplyingJoins<T extends ObjectLiteral>(queryBuilder: SelectQueryBuilder<T>): void {
  const join = queryBuilder.expressionMap.joinAttributes.find((attribute) => attribute.isMany);
  if (join) throw new Error(`paginate: to-many join "${join.alias.name}" is not supported; load children separately`);
}

// The value comes from the repository's code, never from input; rendered as a literal so that the
// expression matches an index on `COALESCE(column, literal)`.
function withNullsAs(column: ResolvedColumn, nullsAs: string | number | undefined): ResolvedColumn {
  if (nullsAs === undefined) return column;
  if (typeof nullsAs === 'number' && !Number.isFinite(nullsAs)) throw new Error(`paginate: nullsAs must be finite, got ${nullsAs}`);
  const literal = typeof nullsAs === 'number' ? String(nullsAs) : `'${nullsAs.replace(/'/g, "''")}'`;
  return { ...column, sql: `COALESCE(${column.sql}, ${literal})` };
}

interface ResolvedColumn {
  sql: string;
  metadata: EntityMetadata['columns'][number];
}

// Resolved through entity metadata, never pasted from input: this is what keeps the sort column out of SQL injection.
function resolveColumn<T extends ObjectLiteral>(queryBuilder: SelectQueryBuilder<T>, path: string, mainOnly = false): ResolvedColumn {
  const map = queryBuilder.expressionMap;
  const dot = path.indexOf('.');
  const aliasName = dot > 0 ? path.slice(0, dot) : map.mainAlias?.name;
  const property = dot > 0 ? path.slice(dot + 1) : path;
  const alias = map.aliases.find((candidate) => candidate.name === aliasName);
  if (!alias?.hasMetadata || (mainOnly && alias !== map.mainAlias)) {
    throw new Error(`paginate: "${path}" is not a column of ${mainOnly ? 'the main alias' : 'a selected entity'}`);
  }
  const metadata = alias.metadata.findColumnWithPropertyPath(property);
  if (!metadata) throw new Error(`paginate: "${property}" is not a column of ${alias.metadata.name}`);
  return { sql: `${queryBuilder.escape(alias.name)}.${queryBuilder.escape(metadata.databaseName)}`, metadata };
}
