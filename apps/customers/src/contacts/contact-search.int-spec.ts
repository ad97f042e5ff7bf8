import { Role } from '@crm/http';
import { createTestDataSource, type TestDataSource } from '@crm/testing';
import { migrations } from '../migrations';
import { ContactEntity } from './contact.entity';
import { ContactsRepository } from './contacts.repository';
import type { ListContactsQuery } from './contacts.dto';

const admin = { sub: 'admin', roles: [Role.Admin] };

/** A two-character Chinese fragment has no trigram: the search must go through the character-pair index, not read every row. */
describe('contact search by a two-character Chinese fragment', () => {
  let db: TestDataSource;
  let sql: string[] = [];
  beforeAll(async () => {
    db = await createTestDataSource({ prefix: 'customers_search', migrations, entities: [ContactEntity] });
    // What the repository sends, to read its plan.
    const logger = db.dataSource.logger;
    logger.logQuery = (query: string, parameters?: unknown[]) => void sql.push(JSON.stringify([query, parameters ?? []]));
    await db.dataSource.query(`
      INSERT INTO contacts (id, name, search_text, created_by, created_at)
      SELECT gen_random_uuid(), n, lower(n || ' ' || co), 'test', now() - g * interval '1 minute'
        FROM generate_series(1, 3000) g,
             LATERAL (SELECT CASE WHEN g % 1000 = 0 THEN '杭州伽马电气' ELSE '北京' || chr(19968 + g % 500) || chr(20500 + g % 300) || '科技' END AS co,
                             CASE WHEN g % 2 = 0 THEN '王伟' || g ELSE 'Li Wei ' || g END AS n) x`);
    await db.dataSource.query('ANALYZE contacts');
  });
  afterAll(async () => db?.close());

  it('finds the people of 伽马 through contacts_search_pairs_idx', async () => {
    const repo = new ContactsRepository(db.dataSource);
    sql = [];
    const page = await repo.list(admin, { q: '伽马', limit: 50 } as ListContactsQuery);
    expect(page.items).toHaveLength(3);
    const [query, params] = JSON.parse(sql.find((s) => s.includes('FROM \\"contacts\\"')) ?? '[]') as [string, unknown[]];
    const runner = db.dataSource.createQueryRunner();
    try {
      // Sequential and plain index scans off: what is left is a bitmap scan of one of the GIN indexes.
      await runner.query('SET enable_seqscan = off; SET enable_indexscan = off');
      const plan = (await runner.query(`EXPLAIN ${query}`, params)).map((r: { 'QUERY PLAN': string }) => r['QUERY PLAN']).join('\n');
      expect(plan).toContain('contacts_search_pairs_idx');
    } finally {
      await runner.release();
    }
  });
});
