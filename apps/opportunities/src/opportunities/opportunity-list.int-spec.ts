import { randomUUID } from 'node:crypto';
import { allPages, exportCsv, startTestService, type TestService } from '@crm/testing';
import { AppModule } from '../app.module';
import { opportunitiesSettings } from '../opportunities.settings';

const admin = { sub: randomUUID(), roles: ['admin'] };
const rep = { sub: randomUUID(), roles: ['sales_rep'], team: 'east' };
const westRep = { sub: randomUUID(), roles: ['sales_rep'], team: 'west' };

interface Seed {
  customer: { name: string; company?: string; email?: string; phone?: string };
  owner: { sub: string; team: string };
  amount: string;
  status?: string;
  productLine?: string;
  competitor?: string;
}

const SEEDS: Seed[] = [
  { customer: { name: '王伟', company: '北京华为技术服务', email: 'wangwei@hw.example', phone: '+86 139 1111 2222' }, owner: rep, amount: '120000.5' },
  { customer: { name: 'Li Na', company: 'Acme Pumps, "North"', email: 'li.na@acme.example' }, owner: rep, amount: '999.9999', productLine: 'pumps' },
  { customer: { name: '+SUM(1)', company: '-2+3' }, owner: rep, amount: '15', competitor: 'Globex' },
  { customer: { name: '赵华为', company: 'West Acme' }, owner: westRep, amount: '50', status: 'won' },
  ...Array.from({ length: 22 }, (_, i) => ({
    customer: { name: `Buyer ${String(i).padStart(2, '0')}`, company: `Firm ${i % 4}` },
    owner: i % 2 ? rep : westRep,
    amount: String(((i * 37) % 11) * 1000),
  })),
];

/** The opportunity list's search, sort and CSV export, over rows written straight into the table. */
describe('opportunity list: search, sort, CSV export', () => {
  let svc: TestService;
  const ids: string[] = SEEDS.map(() => randomUUID());
  const idsOf = (items: { id: string }[]) => items.map((i) => i.id);
  const byName = (...names: string[]) => names.map((n) => ids[SEEDS.findIndex((s) => s.customer.name === n)]);
  const search = async (claims: typeof admin, query: string) =>
    idsOf((await svc.as(claims).get(`/api/v1/opportunities?${query}`).expect(200)).body.items as { id: string }[]);

  beforeAll(async () => {
    svc = await startTestService('opportunities', (config) => AppModule.forRoot(config), { settings: opportunitiesSettings });
    const [{ id: pipelineId }] = await svc.dataSource.query('SELECT id FROM pipelines LIMIT 1');
    for (const [i, s] of SEEDS.entries()) {
      await svc.dataSource.query(
        `INSERT INTO opportunities (id, pipeline_id, stage, stage_entered_at, status, rep_id, team, customer, expected_amount, currency,
                                    expected_close_date, score, product_line, competitor, created_by, created_at, updated_at)
         VALUES ($1, $2, 'needs_analysis', now(), $3, $4, $5, $6, $7, 'USD', current_date + ($8 % 9), ($8 * 13) % 100, $9, $10, 'test',
                 now() - $8 * interval '1 minute', now() - (($8 * 7) % 23) * interval '1 minute')`,
        [ids[i], pipelineId, s.status ?? 'open', s.owner.sub, s.owner.team, s.customer, s.amount, i, s.productLine ?? null, s.competitor ?? null],
      );
    }
  });
  afterAll(() => svc?.close());

  it('finds opportunities by a fragment of the customer, product line or competitor, Latin or Chinese', async () => {
    expect(await search(admin, 'q=ACME')).toEqual(byName('Li Na', '赵华为'));
    expect(await search(admin, `q=${encodeURIComponent('华为')}`)).toEqual(byName('王伟', '赵华为'));
    expect(await search(admin, `q=${encodeURIComponent('华为技术')}`)).toEqual(byName('王伟'));
    expect(await search(admin, 'q=1391111')).toEqual(byName('王伟'));
    expect(await search(admin, 'q=globex')).toEqual(byName('+SUM(1)'));
    expect(await search(admin, 'q=pumps')).toEqual(byName('Li Na'));
  });

  it('combines the search with the filters and the caller’s scope', async () => {
    expect(await search(admin, `q=${encodeURIComponent('华为')}&status=won`)).toEqual(byName('赵华为'));
    expect(await search(rep, `q=${encodeURIComponent('华为')}`)).toEqual(byName('王伟'));
    expect(await search(rep, 'q=acme&minAmount=1000')).toEqual([]);
    expect((await svc.as(rep).get('/api/v1/opportunities?q=x').expect(400)).body.errors[0]).toMatchObject({ field: 'q' });
  });

  it.each([
    ['score', 'score'],
    ['expectedCloseDate', 'expected_close_date'],
    ['expectedAmount', 'expected_amount'],
    ['createdAt', 'created_at'],
    ['updatedAt', 'updated_at'],
  ])('sorts by %s both ways, across cursor pages with ties', async (key, column) => {
    for (const direction of ['ASC', 'DESC']) {
      const expected = (await svc.dataSource.query(`SELECT id FROM opportunities ORDER BY ${column} ${direction}, id ${direction}`)).map(
        (r: { id: string }) => r.id,
      );
      const sort = direction === 'DESC' ? `-${key}` : key;
      expect(idsOf(await allPages<{ id: string }>((url) => svc.as(admin).get(url), `/api/v1/opportunities?sort=${sort}&limit=4`))).toEqual(expected);
    }
  });

  it('refuses an unknown sort column naming the field', async () => {
    const res = await svc.as(admin).get('/api/v1/opportunities?sort=customer').expect(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'sort', message: expect.stringContaining('-expectedAmount') })]);
  });

  it('exports the same rows as the JSON list, money exact, nested customer in dotted columns, formulas guarded', async () => {
    const url = '/api/v1/opportunities?sort=-expectedAmount&status=open';
    const csv = await exportCsv((u) => svc.as(admin).get(u), url);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-disposition']).toMatch(/filename="opportunities-\d{8}T\d{6}Z\.csv"/);
    expect(csv.raw.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(csv.records[0]).toEqual(expect.arrayContaining(['id', 'customer.name', 'customer.company', 'customer.email', 'expectedAmount', 'currency']));
    const json = await allPages<{ id: string; expectedAmount: string }>((u) => svc.as(admin).get(u), url);
    expect(csv.rows.map((r) => r.id)).toEqual(idsOf(json));
    expect(csv.rows.map((r) => r.expectedAmount)).toEqual(json.map((o) => o.expectedAmount));
    const row = (name: string) => csv.rows.find((r) => r['customer.name'] === name)!;
    expect([row('王伟').expectedAmount, row('Li Na').expectedAmount]).toEqual(['120000.50', '999.9999']);
    expect([row("'+SUM(1)")['customer.company'], row("'+SUM(1)").competitor]).toEqual(["'-2+3", 'Globex']);
    expect(csv.raw.toString('utf8')).toContain('"Acme Pumps, ""North"""');
  });

  it('exports only the caller’s own opportunities to a rep', async () => {
    const mine = (await svc.dataSource.query('SELECT id FROM opportunities WHERE rep_id = $1 ORDER BY created_at DESC, id DESC', [rep.sub])).map(
      (r: { id: string }) => r.id,
    );
    expect((await exportCsv((u) => svc.as(rep).get(u), '/api/v1/opportunities')).rows.map((r) => r.id)).toEqual(mine);
  });
});
