import { parse } from 'csv-parse/sync';
import type request from 'supertest';

type Get = (url: string) => request.Test;

/** Every item of a list, page after page through `nextCursor`, with the page size given in `url` (or the default). */
export async function allPages<T = Record<string, unknown>>(get: Get, url: string): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  do {
    const separator = url.includes('?') ? '&' : '?';
    const res = await get(cursor ? `${url}${separator}cursor=${encodeURIComponent(cursor)}` : url).expect(200);
    items.push(...(res.body.items as T[]));
    cursor = res.body.nextCursor as string | null;
  } while (cursor);
  return items;
}

export interface CsvExport {
  status: number;
  headers: Record<string, string>;
  /** The body as sent, BOM included. */
  raw: Buffer;
  /** The records after the BOM: the header row first. */
  records: string[][];
  /** The records as objects keyed by the header row. */
  rows: Record<string, string>[];
}

/** A list's CSV export (`Accept: text/csv`), read whole and parsed. */
export async function exportCsv(get: Get, url: string): Promise<CsvExport> {
  const res = await get(url)
    .set('accept', 'text/csv')
    .buffer(true)
    .parse((stream, done) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => done(null, Buffer.concat(chunks)));
    });
  const raw = res.body as Buffer;
  const records = res.status === 200 ? (parse(raw, { bom: true }) as string[][]) : [];
  const [header = [], ...data] = records;
  return {
    status: res.status,
    headers: res.headers as Record<string, string>,
    raw,
    records,
    rows: data.map((cells) => Object.fromEntries(header.map((name, i) => [name, cells[i]]))),
  };
}
