import { randomUUID } from 'node:crypto';
import { allPages, exportCsv, startTestService, type TestService } from '@crm/testing';
import { AppModule } from '../app.module';
import { ordersSettings } from '../orders.settings';

const admin = { sub: randomUUID(), roles: ['admin'] };
const rep = { sub: randomUUID(), roles: ['sales_rep'], team: 'east' };
const westRep = { sub: randomUUID(), roles: ['sales_rep'], team: 'west' };

interface Seed {
  customer: { name: string; company?: string; email?: string; phone?: string };
  owner: { sub: string; team: string };
  total: string;
  status?: string;
  promised?: string | null;
  tracking?: string;
}

const SEEDS: Seed[] = [
  {
    customer: { name: '王伟', company: '上海伽马电气', phone: '021-6666 7777' },
    owner: rep,
    total: '1234.56',
    promised: '2027-03-01',
    tracking: 'SF1234567890',
  },
  { customer: { name: 'Chen Jie', company: 'Delta Valves, "Asia"', email: 'chen.jie@delta.example' }, owner: rep, total: '0.0100', promised: null },
  { customer: { name: '=2+5', company: '@Delta' }, owner: rep, total: '77', status: 'confirmed', promised: null },
  { customer: { name: '李伽马', company: 'Delta West' }, owner: westRep, total: '5', status: 'confirmed', promised: '2027-02-01' },
  ...Array.from({ length: 22 }, (_, i) => ({
    customer: { name: `Client ${String(i).padStart(2, '0')}`, company: `Works ${i % 3}` },
    owner: i % 2 ? rep : westRep,
    total: String(((i * 17) % 7) * 100),
    promised: i % 4 === 0 ? null : `2027-01-${String((i % 9) + 10)}`,
  })),
];

/** The order list's search, sort and CSV export, over rows written straight into the table. */
describe('order list: search, sort, CSV export', () => {
  let svc: TestService;
  const ids: string[] = SEEDS.map(() => randomUUID());
  const idsOf = (items: { id: string }[]) => items.map((i) => i.id);
  const byName = (...names: string[]) => names.map((n) => ids[SEEDS.findIndex((s) => s.customer.name === n)]);
  const search = async (claims: typeof admin, query: string) =>
    idsOf((await svc.as(claims).get(`/api/v1/orders?${query}`).expect(200)).body.items as { id: string }[]);

  beforeAll(async () => {
    svc = await startTestService('orders', (c) => AppModule.forRoot(c), { settings: ordersSettings });
    for (const [i, s] of SEEDS.entries()) {
      await svc.dataSource.query(
        `INSERT INTO orders (id, status, rep_id, team, customer, currency, total, payment_terms, promised_delivery_date, tracking_number, created_by,
                             created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, 'CNY', $6, 'NET30', $7, $8, 'test', now() - $9 * interval '1 minute', now() - (($9::int * 5) % 19) * interval '1 minute')`,
        [ids[i], s.status ?? 'draft', s.owner.sub, s.owner.team, s.customer, s.total, s.promised ?? null, s.tracking ?? null, i],
      );
    }
  });
  afterAll(() => svc?.close());

  it('finds orders by order number, customer, phone or tracking number, Latin or Chinese', async () => {
    const [wang] = byName('王伟');
    expect(await search(admin, `q=${wang.slice(0, 8).toUpperCase()}`)).toEqual([wang]);
    expect(await search(admin, 'q=delta')).toEqual(byName('Chen Jie', '=2+5', '李伽马'));
    expect(await search(admin, `q=${encodeURIComponent('伽马')}`)).toEqual(byName('王伟', '李伽马'));
    expect(await search(admin, `q=${encodeURIComponent('伽马电气')}`)).toEqual(byName('王伟'));
    expect(await search(admin, 'q=6666-7777')).toEqual(byName('王伟'));
    expect(await search(admin, 'q=sf12345')).toEqual(byName('王伟'));
  });

  it('combines the search with the filters and the caller’s scope', async () => {
    expect(await search(admin, 'q=delta&status=confirmed')).toEqual(byName('=2+5', '李伽马'));
    expect(await search(rep, `q=${encodeURIComponent('伽马')}`)).toEqual(byName('王伟'));
    expect(await search(westRep, 'q=delta')).toEqual(byName('李伽马'));
    expect((await svc.as(rep).get('/api/v1/orders?q=%E4%BC%BD').expect(400)).body.errors[0]).toMatchObject({ field: 'q' });
  });

  it.each([
    ['createdAt', 'created_at'],
    ['updatedAt', 'updated_at'],
    ['total', 'total'],
    ['promisedDeliveryDate', `COALESCE(promised_delivery_date, 'infinity')`],
  ])('sorts by %s both ways, across cursor pages with ties', async (key, expression) => {
    for (const direction of ['ASC', 'DESC']) {
      const expected = (await svc.dataSource.query(`SELECT id FROM orders ORDER BY ${expression} ${direction}, id ${direction}`)).map(
        (r: { id: string }) => r.id,
      );
      const sort = direction === 'DESC' ? `-${key}` : key;
      expect(idsOf(await allPages<{ id: string }>((url) => svc.as(admin).get(url), `/api/v1/orders?sort=${sort}&limit=4`))).toEqual(expected);
    }
  });

  it('sorts orders without a promised date last, ascending', async () => {
    const dates = (
      await allPages<{ promisedDeliveryDate: string | null }>((url) => svc.as(admin).get(url), '/api/v1/orders?sort=promisedDeliveryDate&limit=7')
    ).map((o) => o.promisedDeliveryDate);
    const firstNull = dates.indexOf(null);
    expect(firstNull).toBeGreaterThan(0);
    expect(dates.slice(firstNull).every((d) => d === null)).toBe(true);
  });

  it('refuses an unknown sort column naming the field', async () => {
    const res = await svc.as(admin).get('/api/v1/orders?sort=-status').expect(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'sort', message: expect.stringContaining('promisedDeliveryDate') })]);
  });

  it('exports the same rows as the JSON list, totals exact, formulas guarded', async () => {
    const url = '/api/v1/orders?sort=-total&q=delta';
    const csv = await exportCsv((u) => svc.as(admin).get(u), url);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-disposition']).toMatch(/filename="orders-\d{8}T\d{6}Z\.csv"/);
    expect(csv.raw.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(csv.records[0]).toEqual(expect.arrayContaining(['id', 'status', 'customer.name', 'customer.company', 'total', 'promisedDeliveryDate']));
    const json = await allPages<{ id: string; total: string }>((u) => svc.as(admin).get(u), url);
    expect(csv.rows.map((r) => [r.id, r.total])).toEqual(json.map((o) => [o.id, o.total]));
    const formula = csv.rows.find((r) => r.id === byName('=2+5')[0])!;
    expect([formula['customer.name'], formula['customer.company'], formula.total]).toEqual(["'=2+5", "'@Delta", '77.00']);
    expect(csv.raw.toString('utf8')).toContain('"Delta Valves, ""Asia"""');
  });

  it('exports only the caller’s own orders to a rep', async () => {
    const mine = (await svc.dataSource.query('SELECT id FROM orders WHERE rep_id = $1 ORDER BY created_at DESC, id DESC', [rep.sub])).map(
      (r: { id: string }) => r.id,
    );
    expect((await exportCsv((u) => svc.as(rep).get(u), '/api/v1/orders')).rows.map((r) => r.id)).toEqual(mine);
  });
});
