import { CallHandler, ExecutionContext, Inject, Injectable, Logger, NestInterceptor, SetMetadata, type Type } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { stringify } from 'csv-stringify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Readable, pipeline } from 'node:stream';
import { from, lastValueFrom, type Observable } from 'rxjs';
import { API_CONVENTIONS_OPTIONS, type ApiConventionsOptions } from '../api-conventions.options';
import { MAX_PAGE_LIMIT, PageQueryDto } from '../pagination/page-query.dto';
import type { Page } from '../pagination/page.types';
import { asJson, csvCells, csvColumns, documentedColumns, exportFilename, wantsCsv } from './csv-rows';

export const DEFAULT_CSV_EXPORT_MAX_ROWS = 100_000;
export const EXPORT_ROW_LIMIT_HEADER = 'X-Export-Row-Limit';
export const EXPORT_TRUNCATED_TRAILER = 'X-Export-Truncated';
export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8; header=present';

const CSV_ITEM_TYPE = 'crm:csvItemType';
/** Set by `@ApiPageResponse(Item)`: the export's columns are the item's documented fields. */
export const CsvItemType = (itemType: Type<unknown>) => SetMetadata(CSV_ITEM_TYPE, itemType);

const isPage = (value: unknown): value is Page<unknown> =>
  !!value && typeof value === 'object' && Array.isArray((value as Page<unknown>).items) && 'nextCursor' in value;

/**
 * Streamed CSV of any list: a GET whose query is a `PageQueryDto` answers `Accept: text/csv` with every page
 * of the same query (same filters, same access scope, same sort), fetched one page at a time through the
 * route's own handler as the client reads — never the whole result in memory. Errors before the first byte
 * are the usual problem+json; a failure after it aborts the connection, so a cut file never looks whole.
 * At most `maxRows` rows: `X-Export-Row-Limit` says the cap up front, the trailer `X-Export-Truncated` whether
 * it cut the list.
 */
@Injectable()
export class CsvExportInterceptor implements NestInterceptor {
  private readonly logger = new Logger('CsvExport');
  private readonly maxRows: number;

  constructor(
    @Inject(API_CONVENTIONS_OPTIONS) options: ApiConventionsOptions,
    private readonly reflector: Reflector,
  ) {
    this.maxRows = options.csvExport?.maxRows ?? DEFAULT_CSV_EXPORT_MAX_ROWS;
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (request.method !== 'GET' || !wantsCsv(request.headers.accept) || !isListHandler(context.getClass(), context.getHandler().name)) return next.handle();
    return from(this.export(context, next, request, context.switchToHttp().getResponse<FastifyReply>()));
  }

  private async export(context: ExecutionContext, next: CallHandler, request: FastifyRequest, reply: FastifyReply): Promise<unknown> {
    // Each page runs the handler again, pipes and all, with the next cursor in the query it reads.
    const query = request.query as Record<string, unknown>;
    query.limit = String(Math.min(MAX_PAGE_LIMIT, this.maxRows));
    const fetchPage = async (cursor?: string): Promise<unknown> => {
      if (cursor) query.cursor = cursor;
      return lastValueFrom(next.handle());
    };
    const answer = await fetchPage();
    if (!isPage(answer)) return answer;
    const first: Page<unknown> = answer;

    const firstItems = first.items.map(asJson);
    const itemType = this.reflector.get<Type<unknown> | undefined>(CSV_ITEM_TYPE, context.getHandler());
    const documented = itemType ? documentedColumns(itemType) : [];
    const columns = documented.length ? documented : csvColumns(firstItems);
    let truncated = false;
    const maxRows = this.maxRows;
    async function* records(): AsyncGenerator<string[]> {
      let items = firstItems;
      let nextCursor = first.nextCursor;
      let sent = 0;
      for (;;) {
        for (const item of items) {
          if (sent === maxRows) {
            truncated = true;
            return;
          }
          sent++;
          yield csvCells(item, columns);
        }
        if (!nextCursor) return;
        const page = await fetchPage(nextCursor);
        if (!isPage(page)) throw new Error('csv export: a later page is not a page');
        items = page.items.map(asJson);
        nextCursor = page.nextCursor;
      }
    }

    // RFC 4180: CRLF records, fields quoted when they hold a comma, quote or line break. The BOM makes Excel read UTF-8 (Chinese) text.
    const csv = stringify({ bom: true, header: true, columns, record_delimiter: 'windows' });
    pipeline(Readable.from(records()), csv, (error) => {
      if (error) this.logger.error(`export of ${request.url.split('?')[0]} failed after the first byte; connection aborted: ${String(error)}`);
    });
    const path = (request.routeOptions?.url ?? request.url.split('?')[0]) as string;
    reply
      .header('Content-Type', CSV_CONTENT_TYPE)
      .header('Content-Disposition', `attachment; filename="${exportFilename(path, new Date())}"`)
      .header('Cache-Control', 'no-store')
      .header(EXPORT_ROW_LIMIT_HEADER, String(maxRows))
      .trailer(EXPORT_TRUNCATED_TRAILER, (_reply: FastifyReply, _payload: unknown, done: (error: Error | null, value?: string) => void) =>
        done(null, String(truncated)),
      );
    return csv;
  }
}

// A paginated list is a handler taking a PageQueryDto; its type is known before the handler runs, so a
// route that is not a list answers its JSON untouched.
export function isListHandler(controller: Type<unknown>, methodName: string): boolean {
  const types = (Reflect.getMetadata('design:paramtypes', controller.prototype, methodName) ?? []) as unknown[];
  return types.some((type) => typeof type === 'function' && (type === PageQueryDto || type.prototype instanceof PageQueryDto));
}
