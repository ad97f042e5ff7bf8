// Helpers for the API's conventions (docs/architecture.md "API conventions"): the ETag a read carries and the
// If-Match a write sends back, an Idempotency-Key per create, and cursor pagination.
import { ApiProblem, type ApiResult } from './problem';

type Answered = { response: Response } | Response;
const responseOf = (from: Answered) => (from instanceof Response ? from : from.response);

/** The ETag of an answer (`"3"`, quotes included: If-Match wants it back verbatim), if it has one. */
export function etagOf(from: Answered): string | undefined {
  return responseOf(from).headers.get('ETag') ?? undefined;
}

/**
 * The If-Match header of a write that acts on the version last read, for `params.header`:
 * `client.POST('/api/v1/leads/{id}/qualify', { params: { path: { id }, header: ifMatch(read) }, body })`.
 * A stale version is answered 412 PRECONDITION_FAILED: read again, decide again, write again.
 */
export function ifMatch(from: Answered | string | undefined): { 'If-Match': string } {
  const etag = typeof from === 'string' || from === undefined ? from : etagOf(from);
  if (!etag) throw new Error('If-Match: the answer carries no ETag (only single resources have one)');
  return { 'If-Match': etag };
}

/**
 * A new Idempotency-Key for one create, for `params.header`. Keep it for every retry of that same create: the API
 * answers a repeat from the first attempt (`Idempotent-Replayed: true`) instead of creating twice.
 */
export function idempotencyKey(): { 'Idempotency-Key': string } {
  return { 'Idempotency-Key': globalThis.crypto.randomUUID() };
}

/** Whether an answer was replayed from an earlier request with the same Idempotency-Key. */
export const wasReplayed = (from: Answered) => responseOf(from).headers.get('Idempotent-Replayed') === 'true';

/** One page of a list: the rows and the cursor of the next page (null on the last). */
export interface Page<T> {
  items: T[];
  nextCursor?: string | null;
}

/**
 * Every row of a cursor-paginated list, page by page: `page(cursor)` asks for the page after `cursor` (undefined:
 * the first). Rows added meanwhile never shift the window (keyset pagination).
 *
 *   for await (const lead of eachItem((cursor) => client.GET('/api/v1/leads', { params: { query: { cursor, limit: 200 } } })))
 */
export async function* eachItem<T>(page: (cursor: string | undefined) => Promise<ApiResult<Page<T>>>): AsyncGenerator<T> {
  let cursor: string | undefined;
  do {
    const result = await page(cursor);
    if (!result.response.ok || !result.data) throw new ApiProblem(result.response, result.error);
    yield* result.data.items;
    cursor = result.data.nextCursor ?? undefined;
  } while (cursor);
}

/** Every row of a list, all pages read (see `eachItem`). */
export async function listAll<T>(page: (cursor: string | undefined) => Promise<ApiResult<Page<T>>>): Promise<T[]> {
  const rows: T[] = [];
  for await (const row of eachItem(page)) rows.push(row);
  return rows;
}
