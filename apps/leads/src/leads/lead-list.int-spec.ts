import { randomUUID } from 'node:crypto';
import { Role } from '@crm/http';
import { allPages, exportCsv, startTestService, type TestService } from '@crm/testing';
import { AppModule } from '../app.module';
import { leadsSettings } from '../leads.settings';
import { LeadReadsRepository } from './lead-reads.repository';
import type { ListLeadsQuery } from './leads.dto';

const admin = { sub: randomUUID(), roles: ['admin'] };
const repA = { sub: randomUUID(), roles: ['sales_rep'], team: 'east' };
const repB = { sub: randomUUID(), roles: ['sales_rep'], team: 'east' };
const westRep = { sub: randomUUID(), roles: ['sales_rep'], team: 'west' };

interface Seed {
  name: string;
  company?: string | null;
  email?: string | null;
  phone?: string | null;
  owner: { sub: string; team: string };
  status?: string;
  score?: number | null;
}

// What a rep types to find a lead: a name, a company, an email, a phone, in Latin or Chinese.
const SEEDS: Seed[] = [
  { name: '王伟明', company: '华北重工', email: 'wwm@huabei.example', phone: '+86 138 0013 8000', owner: repA, score: 80 },
  { name: 'Zhang Wei', company: 'Acme Trading, "East"', email: 'zhang.wei@acme.example', owner: repA, score: null },
  { name: '=cmd|calc', company: '@evil', phone: '010-5555 1234', owner: repA, score: 10 },
  { name: '李伟', company: '王伟贸易', owner: westRep, status: 'qualified', score: 55 },
  { name: 'ＡＣＭＥ Buyer', company: null, owner: repB, score: 55 },
  ...Array.from({ length: 25 }, (_, i) => ({
    name: `Filler ${String(i).padStart(2, '0')}`,
    company: i % 4 === 0 ? null : `Company ${i % 5}`,
    email: `f${i}@filler.example`,
    owner: [repA, repB, westRep][i % 3],
    score: i % 3 === 0 ? null : (i * 7) % 40,
  })),
];

/** The lead list's search, sort and CSV export, over leads written straight into the table (their intake is tested elsewhere). */
describe('lead list: search, sort, CSV export', () => {
  let svc: TestService;
  const ids: string[] = SEEDS.map(() => randomUUID());
  const idsOf = (items: { id: string }[]) => items.map((i) => i.id);
  const byName = (...names: string[]) => names.map((n) => ids[SEEDS.findIndex((s) => s.name === n)]);
  const search = async (claims: typeof admin, query: string) =>
    idsOf((await svc.as(claims).get(`/api/v1/leads?${query}`).expect(200)).body.items as { id: string }[]);

  beforeAll(async () => {
    svc = await startTestService('leads', (config) => AppModule.forRoot(config), { settings: leadsSettings });
    for (const rep of [repA, repB, westRep]) {
      await svc.dataSource.query(`INSERT INTO reps (id, name, email, team, capacity) VALUES ($1, $2, $3, $4, 100)`, [
        rep.sub,
        rep.sub,
        `${rep.sub}@crm.example`,
        rep.team,
      ]);
    }
    for (const [i, s] of SEEDS.entries()) {
      await svc.dataSource.query(
        `INSERT INTO leads (id, status, owner_rep_id, team, source, contact_name, email, phone, company, score, created_by, created_at, updated_at)
         VALUES ($1, $2, $3, $4, 'api', $5, $6, $7, $8, $9, 'test', now() - $10 * interval '1 minute', now() - $11 * interval '1 minute')`,
        [
          ids[i],
          s.status ?? 'assigned',
          s.owner.sub,
          s.owner.team,
          s.name,
          s.email ?? null,
          s.phone ?? null,
          s.company ?? null,
          s.score ?? null,
          i,
          (i * 7) % 31,
        ],
      );
    }
  });
  afterAll(() => svc?.close());

  it('finds leads by a Latin or Chinese fragment of name, company, email or phone, case- and width-insensitively', async () => {
    expect(await search(admin, 'q=acme')).toEqual(byName('Zhang Wei', 'ＡＣＭＥ Buyer'));
    expect(await search(admin, 'q=ZHANG.WEI%40')).toEqual(byName('Zhang Wei'));
    expect(await search(admin, `q=${encodeURIComponent('王伟明')}`)).toEqual(byName('王伟明'));
    expect(await search(admin, `q=${encodeURIComponent('王伟')}`)).toEqual(byName('王伟明', '李伟'));
    expect(await search(admin, 'q=138-0013')).toEqual(byName('王伟明'));
    expect(await search(admin, 'q=100%25')).toEqual([]);
  });

  it('combines the search with the filters and the caller’s scope', async () => {
    expect(await search(admin, `q=${encodeURIComponent('王伟')}&status=qualified`)).toEqual(byName('李伟'));
    expect(await search(repA, `q=${encodeURIComponent('王伟')}`)).toEqual(byName('王伟明'));
    expect(await search(repB, 'q=acme')).toEqual(byName('ＡＣＭＥ Buyer'));
  });

  it('refuses a single character and an overlong fragment with a 400 on q', async () => {
    for (const q of ['a', ' 王 ', 'x'.repeat(101)]) {
      const res = await svc
        .as(admin)
        .get(`/api/v1/leads?q=${encodeURIComponent(q)}`)
        .expect(400);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'q', constraint: 'isSearchFragment' })]);
    }
  });

  it('serves a two-character Chinese search from the pair index', async () => {
    const sql: [string, unknown[]][] = [];
    svc.dataSource.logger.logQuery = (query: string, parameters?: unknown[]) => void sql.push([query, parameters ?? []]);
    await svc.app.get(LeadReadsRepository).list({ sub: admin.sub, roles: [Role.Admin] }, { q: '王伟', limit: 50 } as ListLeadsQuery);
    svc.dataSource.logger.logQuery = () => undefined;
    const [query, params] = sql.find(([q]) => q.includes('search_han_pairs'))!;
    const runner = svc.dataSource.createQueryRunner();
    try {
      await runner.query('SET enable_seqscan = off; SET enable_indexscan = off');
      const plan = (await runner.query(`EXPLAIN ${query}`, params)).map((r: { 'QUERY PLAN': string }) => r['QUERY PLAN']).join('\n');
      expect(plan).toContain('leads_search_pairs_idx');
    } finally {
      await runner.release();
    }
  });

  it.each([
    ['createdAt', 'created_at'],
    ['updatedAt', 'updated_at'],
    ['contactName', 'contact_name'],
    ['company', `COALESCE(company, '')`],
    ['score', 'COALESCE(score, -1)'],
  ])('sorts by %s both ways, across cursor pages with ties', async (key, expression) => {
    for (const direction of ['ASC', 'DESC']) {
      const expected = (await svc.dataSource.query(`SELECT id FROM leads ORDER BY ${expression} ${direction}, id ${direction}`)).map(
        (r: { id: string }) => r.id,
      );
      const sort = direction === 'DESC' ? `-${key}` : key;
      expect(idsOf(await allPages<{ id: string }>((url) => svc.as(admin).get(url), `/api/v1/leads?sort=${sort}&limit=4`))).toEqual(expected);
    }
  });

  it('refuses an unknown sort column naming the field, and a cursor of another sort', async () => {
    const res = await svc.as(admin).get('/api/v1/leads?sort=-email').expect(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'sort', message: expect.stringContaining('-contactName') })]);
    const cursor = (await svc.as(admin).get('/api/v1/leads?sort=score&limit=2').expect(200)).body.nextCursor as string;
    expect((await svc.as(admin).get(`/api/v1/leads?sort=-createdAt&cursor=${cursor}`).expect(400)).body.code).toBe('INVALID_CURSOR');
  });

  it('exports the same rows as the JSON list as CSV: BOM, header, quoting, formula guard, ISO times', async () => {
    const url = '/api/v1/leads?sort=contactName&team=east';
    const csv = await exportCsv((u) => svc.as(admin).get(u), url);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8; header=present');
    expect(csv.headers['content-disposition']).toMatch(/^attachment; filename="leads-\d{8}T\d{6}Z\.csv"$/);
    expect(csv.raw.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(csv.records[0]).toEqual(expect.arrayContaining(['id', 'status', 'ownerRepId', 'contactName', 'company', 'score', 'createdAt']));
    const json = await allPages<{ id: string }>((u) => svc.as(admin).get(u), url);
    expect(csv.rows.map((r) => r.id)).toEqual(idsOf(json));
    const formula = csv.rows.find((r) => r.id === byName('=cmd|calc')[0])!;
    expect([formula.contactName, formula.company, formula.phone]).toEqual(["'=cmd|calc", "'@evil", '010-5555 1234']);
    expect(csv.raw.toString('utf8')).toContain('"Acme Trading, ""East"""');
    expect(csv.rows.find((r) => r.contactName === '王伟明')!.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('exports only what the caller may see, with the search applied', async () => {
    const mine = (await svc.dataSource.query('SELECT id FROM leads WHERE owner_rep_id = $1 ORDER BY created_at DESC, id DESC', [repA.sub])).map(
      (r: { id: string }) => r.id,
    );
    expect((await exportCsv((u) => svc.as(repA).get(u), '/api/v1/leads')).rows.map((r) => r.id)).toEqual(mine);
    expect((await exportCsv((u) => svc.as(repA).get(u), `/api/v1/leads?q=${encodeURIComponent('王伟')}`)).rows.map((r) => r.id)).toEqual(byName('王伟明'));
    expect((await exportCsv((u) => svc.as(repA).get(u), '/api/v1/leads?q=a')).status).toBe(400);
  });
});
