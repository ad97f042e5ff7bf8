import { Controller, Get, INestApplication, Logger, Query } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Test } from '@nestjs/testing';
import { JwtService } from '@nestjs/jwt';
import { IsOptional, IsString } from 'class-validator';
import { parse } from 'csv-parse/sync';
import { get, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiConventionsModule, ApiPageResponse, createHttpAdapter, decodeCursor, encodeCursor, PageQueryDto, Role, Roles } from '..';
import { csvColumns, exportFilename, guardFormula, wantsCsv } from './csv-rows';

const SECRET = 'test-secret-that-is-at-least-32-characters-long';
const token = `Bearer ${new JwtService({ secret: SECRET }).sign({ sub: 'rep-1', roles: [Role.Admin] }, { expiresIn: 300 })}`;

interface Row {
  id: number;
  name: string;
  amount: string;
  at: Date;
  customer: { name: string; phone: string | null };
  tags: string[];
}

const ROWS: Row[] = Array.from({ length: 450 }, (_, i) => ({
  id: i + 1,
  name: i === 0 ? '=HYPERLINK("http://x")' : i === 1 ? 'Acme, "Ltd"\nline two' : `王伟 ${i + 1}`,
  amount: i === 2 ? '-12.50' : `${i + 1}.10`,
  at: new Date(Date.UTC(2026, 0, 1, 8, 0, 0, i)),
  customer: { name: i === 3 ? '@SUM(A1)' : `客户 ${i + 1}`, phone: i % 2 ? null : '+86 138' },
  tags: ['a', 'b'],
}));

class ListRowsQuery extends PageQueryDto {
  @IsOptional() @IsString() name?: string;
}

class CustomerView {
  @ApiProperty() name: string;
}
class RowView {
  @ApiProperty() id: number;
  @ApiProperty() name: string;
  @ApiProperty({ type: () => CustomerView }) customer: CustomerView;
}

/** A list as a service writes one: a page of `limit` rows after the cursor. */
function page(query: ListRowsQuery, rows = ROWS) {
  const matching = rows.filter((r) => !query.name || r.name.includes(query.name));
  const after = query.cursor ? Number(decodeCursor(query.cursor)[0]) : 0;
  const items = matching.filter((r) => r.id > after).slice(0, query.limit);
  const more = matching.some((r) => r.id > (items.at(-1)?.id ?? Infinity));
  return { items, nextCursor: more ? encodeCursor([items.at(-1)!.id]) : null };
}

const limits: number[] = [];

@Controller('api/v1/rows')
@Roles(Role.Admin)
class RowsController {
  @Get()
  list(@Query() query: ListRowsQuery) {
    limits.push(query.limit);
    return page(query);
  }

  @Get('documented')
  @ApiPageResponse(RowView)
  documented(@Query() query: ListRowsQuery) {
    return page(query);
  }

  /** The second page fails, once the first is on the wire. */
  @Get('failing')
  async failing(@Query() query: ListRowsQuery) {
    if (query.cursor && Number(decodeCursor(query.cursor)[0]) >= 200) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      throw new Error('the database went away');
    }
    return page(query);
  }

  @Get('single')
  single() {
    return { id: 1, name: 'not a list' };
  }
}

describe('CSV export of any list (Accept: text/csv)', () => {
  let app: INestApplication;
  let base: string;

  const fetchCsv = (path: string, accept = 'text/csv') =>
    new Promise<{ res: IncomingMessage; body: Buffer; error?: Error }>((resolve) => {
      const req = get(`${base}${path}`, { headers: { authorization: token, accept } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ res, body: Buffer.concat(chunks) }));
        res.on('error', (error) => resolve({ res, body: Buffer.concat(chunks), error }));
      });
      req.on('error', (error) => resolve({ res: undefined as never, body: Buffer.alloc(0), error }));
    });
  const records = (body: Buffer) => parse(body, { bom: true, relax_column_count: false }) as string[][];

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [ApiConventionsModule.forRoot({ jwtSecret: SECRET, csvExport: { maxRows: 300 } })],
      controllers: [RowsController],
    }).compile();
    app = moduleRef.createNestApplication(createHttpAdapter(), { logger: false });
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  });
  beforeEach(() => jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined));
  afterEach(() => jest.restoreAllMocks());
  afterAll(() => app.close());

  it('streams every page of the same query as CSV: BOM, header, RFC 4180 quoting, formula guard, exact values', async () => {
    limits.length = 0;
    const { res, body } = await fetchCsv('/api/v1/rows?name=%E7%8E%8B%E4%BC%9F%201&limit=5');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8; header=present');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="rows-\d{8}T\d{6}Z\.csv"$/);
    expect(body.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(body.toString('utf8')).toContain('\r\n');
    const [header, ...rows] = records(body);
    expect(header).toEqual(['id', 'name', 'amount', 'at', 'customer.name', 'customer.phone', 'tags']);
    // The filter applies: 王伟 1, 10–19, 100–199 (111 rows), in the list's order, over several pages of 200 at most.
    const expected = ROWS.filter((r) => r.name.includes('王伟 1'));
    expect(rows.map((r) => Number(r[0]))).toEqual(expected.map((r) => r.id));
    expect(limits.every((l) => l === 200)).toBe(true);
    expect(rows[0]).toEqual(['10', '王伟 10', '10.10', '2026-01-01T08:00:00.009Z', '客户 10', '', 'a; b']);
  });

  it('quotes commas, quotes and line breaks, guards formulas and keeps a negative amount a number', async () => {
    const { body } = await fetchCsv('/api/v1/rows?name=%3D&limit=1');
    expect(records(body)[1][1]).toBe(`'=HYPERLINK("http://x")`);
    const all = records((await fetchCsv('/api/v1/rows')).body);
    expect(all[2][1]).toBe('Acme, "Ltd"\nline two');
    expect(all[3][2]).toBe('-12.50');
    expect(all[4][4]).toBe(`'@SUM(A1)`);
    expect((await fetchCsv('/api/v1/rows')).body.toString('utf8')).toContain('"Acme, ""Ltd""\nline two"');
  });

  it('stops at the row cap and says so in its header and trailer', async () => {
    const { res, body } = await fetchCsv('/api/v1/rows');
    expect(res.headers['x-export-row-limit']).toBe('300');
    expect(records(body)).toHaveLength(301);
    expect(res.trailers['x-export-truncated']).toBe('true');
    const under = await fetchCsv('/api/v1/rows?name=%E7%8E%8B%E4%BC%9F%201');
    expect(under.res.trailers['x-export-truncated']).toBe('false');
  });

  it('takes its columns from the documented item type, also for an empty list', async () => {
    const { body } = await fetchCsv('/api/v1/rows/documented?name=nobody');
    expect(records(body)).toEqual([['id', 'name', 'customer.name']]);
    const some = records((await fetchCsv('/api/v1/rows/documented?name=%E7%8E%8B%E4%BC%9F%2011')).body);
    expect(some.slice(1, 3)).toEqual([
      ['11', '王伟 11', '客户 11'],
      ['110', '王伟 110', '客户 110'],
    ]);
  });

  it('answers bad input before the first byte as problem+json', async () => {
    const { res, body } = await fetchCsv('/api/v1/rows?bogus=1');
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(body.toString()).errors[0].field).toBe('bogus');
  });

  it('aborts the connection when a later page fails, so the file cannot look complete', async () => {
    const { res, body, error } = await fetchCsv('/api/v1/rows/failing');
    expect(res.statusCode).toBe(200);
    expect(error?.message).toMatch(/aborted|socket hang up|ECONNRESET/);
    expect(res.complete).toBe(false);
    expect(body.length).toBeGreaterThan(0);
  });

  it('leaves JSON to clients that ask for it and routes that are not lists', async () => {
    const json = await fetchCsv('/api/v1/rows?limit=2', 'application/json, text/csv;q=0.5');
    expect(JSON.parse(json.body.toString()).items).toHaveLength(2);
    const single = await fetchCsv('/api/v1/rows/single');
    expect(JSON.parse(single.body.toString())).toEqual({ id: 1, name: 'not a list' });
  });
});

describe('CSV cells', () => {
  it('guards formula starts but not plain signed numbers', () => {
    expect(['=1+1', '+1+1', '-1+1', '@x', '\tx', '-12.50', '+3', 'a=b'].map(guardFormula)).toEqual([
      "'=1+1",
      "'+1+1",
      "'-1+1",
      "'@x",
      "'\tx",
      '-12.50',
      '+3',
      'a=b',
    ]);
  });

  it('flattens nested objects into dotted columns, an object on any row winning over a null', () => {
    expect(
      csvColumns([
        { id: 1, address: null },
        { id: 2, address: { city: 'Beijing' }, extra: true },
      ]),
    ).toEqual(['id', 'address.city', 'extra']);
  });

  it('chooses CSV only when text/csv ranks at least as high as JSON', () => {
    expect(wantsCsv('text/csv')).toBe(true);
    expect(wantsCsv('text/csv, application/json;q=0.9')).toBe(true);
    expect(wantsCsv('application/json, text/csv;q=0.5')).toBe(false);
    expect(wantsCsv('*/*')).toBe(false);
    expect(wantsCsv(undefined)).toBe(false);
  });

  it('names the file after the list', () => {
    expect(exportFilename('/api/v1/accounts/:id/timeline', new Date('2026-03-14T08:15:00.123Z'))).toBe('accounts-timeline-20260314T081500Z.csv');
  });
});
