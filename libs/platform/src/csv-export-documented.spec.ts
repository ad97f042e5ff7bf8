import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CSV_EXPORT_DESCRIPTION, documentCsvExports } from '@crm/http';
import type { OpenAPIObject } from '@nestjs/swagger';

type Operation = { operationId?: string; parameters?: { name: string; in: string }[]; responses: Record<string, { content?: Record<string, unknown> }> };

/** The merged document of every service (docs/api/openapi.json, checked current in CI by `npm run docs:api -- --check`). */
const merged = JSON.parse(readFileSync(join(__dirname, '../../../docs/api/openapi.json'), 'utf8')) as { paths: Record<string, Record<string, Operation>> };

describe('CSV export in the API documents', () => {
  const lists = Object.entries(merged.paths).flatMap(([path, operations]) =>
    Object.entries(operations)
      .filter(([method, op]) => method === 'get' && op.parameters?.some((p) => p.in === 'query' && p.name === 'cursor'))
      .map(([, op]) => [path, op] as const),
  );

  it('finds the paginated lists of every service', () => {
    expect(lists.length).toBeGreaterThanOrEqual(20);
    for (const path of [
      '/api/v1/leads',
      '/api/v1/opportunities',
      '/api/v1/orders',
      '/api/v1/receivables',
      '/api/v1/items',
      '/api/v1/accounts',
      '/api/v1/notifications',
    ]) {
      expect(lists.map(([p]) => p)).toContain(path);
    }
  });

  it('offers text/csv beside the JSON page on every paginated list, so no new list can forget it', () => {
    const missing = lists
      .filter(([, op]) => !op.responses['200']?.content?.['text/csv'] || !op.responses['200']?.content?.['application/json'])
      .map(([path]) => path);
    expect(missing).toEqual([]);
  });

  it('adds it to a GET with a cursor and to nothing else', () => {
    const doc = {
      paths: {
        '/list': { get: { parameters: [{ name: 'cursor', in: 'query' }], responses: { 200: { description: 'Newest first' } } } },
        '/one': { get: { parameters: [{ name: 'id', in: 'path' }], responses: { 200: { description: '' } } } },
      },
    } as unknown as OpenAPIObject;
    const out = documentCsvExports(doc) as unknown as {
      paths: Record<string, { get: { responses: Record<string, { description: string; content?: object }> } }>;
    };
    expect(Object.keys(out.paths['/list'].get.responses['200'].content ?? {})).toEqual(['application/json', 'text/csv']);
    expect(out.paths['/list'].get.responses['200'].description).toContain(CSV_EXPORT_DESCRIPTION);
    expect(out.paths['/one'].get.responses['200'].content).toBeUndefined();
  });
});
