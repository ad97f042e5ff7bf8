import type { OpenAPIObject } from '@nestjs/swagger';
import { CSV_CONTENT_TYPE, EXPORT_ROW_LIMIT_HEADER, EXPORT_TRUNCATED_TRAILER } from './csv-export.interceptor';

type Operation = {
  parameters?: { name?: string; in?: string }[];
  responses?: Record<string, { description?: string; content?: Record<string, unknown>; headers?: Record<string, unknown> }>;
};

export const CSV_EXPORT_DESCRIPTION =
  `With \`Accept: text/csv\`: every page of this list (same filters, scope and sort) as one streamed CSV file ` +
  `(UTF-8 with BOM, RFC 4180, a header row, nested fields as dotted columns, formula cells prefixed with \`'\`), ` +
  `at most ${EXPORT_ROW_LIMIT_HEADER} rows; the trailer ${EXPORT_TRUNCATED_TRAILER} says whether the cap cut it.`;

const PAGE_SCHEMA = {
  type: 'object',
  required: ['items', 'nextCursor'],
  properties: {
    items: { type: 'array', items: { type: 'object' } },
    nextCursor: { type: 'string', nullable: true, description: 'Pass as `cursor` for the next page; null on the last' },
  },
};

/**
 * Documents the CSV export on every paginated list of a document: a GET with a `cursor` query parameter gets
 * `text/csv` beside its JSON 200. Run over the whole document, so no list can forget it.
 */
export function documentCsvExports(document: OpenAPIObject): OpenAPIObject {
  for (const path of Object.values(document.paths ?? {})) {
    const get = (path as { get?: Operation }).get;
    if (!get?.parameters?.some((p) => p.in === 'query' && p.name === 'cursor')) continue;
    get.responses ??= {};
    const ok = (get.responses['200'] ??= { description: '' });
    ok.description = [ok.description, CSV_EXPORT_DESCRIPTION].filter(Boolean).join('\n\n');
    ok.content = {
      // A list that documents no item type still says it answers a page.
      'application/json': { schema: PAGE_SCHEMA },
      ...ok.content,
      'text/csv': { schema: { type: 'string', description: 'CSV, UTF-8 with BOM, CRLF line ends' } },
    };
    ok.headers = {
      ...ok.headers,
      'Content-Disposition': { description: 'CSV only: `attachment; filename="<list>-<UTC time>.csv"`', schema: { type: 'string' } },
      [EXPORT_ROW_LIMIT_HEADER]: { description: 'CSV only: the most rows one export holds (CSV_EXPORT_MAX_ROWS)', schema: { type: 'integer' } },
    };
  }
  return document;
}
