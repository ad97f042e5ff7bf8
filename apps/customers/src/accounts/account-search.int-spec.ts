import { Role } from '@crm/http';
import { createTestDataSource, type TestDataSource } from '@crm/testing';
import { migrations } from '../migrations';
import { AccountEntity } from './account.entity';
import { AccountsRepository } from './accounts.repository';
import type { ListAccountsQuery } from './accounts.dto';

const admin = { sub: 'admin', roles: [Role.Admin] };

/** A two-character Chinese company fragment has no trigram: the search must go through the character-pair index, not read every row. */
describe('account search by a two-character Chinese fragment', () => {
  let db: TestDataSource;
  let sql: string[] = [];
  beforeAll(async () => {
    db = await createTestDataSource({ prefix: 'customers_acc_search', migrations, entities: [AccountEntity] });
    // What the repository sends, to read its plan.
    db.dataSource.logger.logQuery = (query: string, parameters?: unknown[]) => void sql.push(JSON.stringify([query, parameters ?? []]));
    await db.dataSource.query(`
      INSERT INTO accounts (id, name, normalized_name, search_text, created_by, created_at)
      SELECT gen_random_uuid(), n, lower(n), lower(n), 'test', now() - g * interval '1 minute'
        FROM generate_series(1, 3000) g,
             LATERAL (SELECT CASE WHEN g % 1000 = 0 THEN '杭州伽马电气' || g ELSE '北京' || chr(19968 + g % 500) || chr(20500 + g % 300) || '科技' || g END AS n) x`);
    await db.dataSource.query('ANALYZE accounts');
  });
  afterAll(async () => db?.close());

  it('finds the companies of 伽马 through accounts_search_pairs_idx', async () => {
    sql = [];
    const page = await new AccountsRepository(db.dataSource).list(admin, { q: '伽马', limit: 50 } as ListAccountsQuery);
    expect(page.items.map((a) => a.name).sort()).toEqual(['杭州伽马电气1000', '杭州伽马电气2000', '杭州伽马电气3000']);
    const [query, params] = JSON.parse(sql.find((s) => s.includes('FROM \\"accounts\\"')) ?? '[]') as [string, unknown[]];
    const runner = db.dataSource.createQueryRunner();
    try {
      // Sequential and plain index scans off: what is left is a bitmap scan of one of the GIN indexes.
      await runner.query('SET enable_seqscan = off; SET enable_indexscan = off');
      const plan = (await runner.query(`EXPLAIN ${query}`, params)).map((r: { 'QUERY PLAN': string }) => r['QUERY PLAN']).join('\n');
      expect(plan).toContain('accounts_search_pairs_idx');
    } finally {
      await runner.release();
    }
  });
});
