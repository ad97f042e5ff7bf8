import { Column, DataSource, Entity, MigrationInterface, PrimaryColumn, QueryRunner } from 'typeorm';
import { paginate, ProblemException, SortDirection } from '../src';
import { createTestDatabase, type TestDatabase } from '@crm/testing';

@Entity({ name: 'deals' })
class Deal {
  @PrimaryColumn({ type: 'uuid' }) id: string;
  @Column({ type: 'int' }) amount: number;
  @Column({ name: 'closes_at', type: 'timestamptz' }) closesAt: Date;
  @Column({ type: 'text' }) owner: string;
}

class CreateDeals1700000000000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE deals (
      id uuid PRIMARY KEY, amount int NOT NULL, closes_at timestamptz NOT NULL, owner text NOT NULL)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE deals');
  }
}

const ROWS = 25;

describe('paginate (keyset) on PostgreSQL', () => {
  let database: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase('http_test');
    dataSource = new DataSource({ type: 'postgres', url: database.url, entities: [Deal], migrations: [CreateDeals1700000000000] });
    await dataSource.initialize();
    await dataSource.runMigrations();
    // Few distinct sort values, so most pages break inside a run of equal values; the timestamps carry
    // microseconds, which a JS Date would round away.
    await dataSource.query(
      `INSERT INTO deals (id, amount, closes_at, owner)
       SELECT gen_random_uuid(), (i % 4) * 100,
              timestamptz '2025-03-01 09:00:00.000001+00' + (i % 3) * interval '1.000123 seconds',
              CASE WHEN i % 2 = 0 THEN 'ada' ELSE 'grace' END
       FROM generate_series(1, ${ROWS}) AS i`,
    );
  });

  afterAll(async () => {
    if (dataSource?.isInitialized) await dataSource.destroy();
    await database?.drop();
  });

  const deals = () => dataSource.getRepository(Deal).createQueryBuilder('deal');

  async function expectedOrder(column: string, direction: SortDirection, where = 'TRUE'): Promise<string[]> {
    const rows: { id: string }[] = await dataSource.query(`SELECT id FROM deals WHERE ${where} ORDER BY ${column} ${direction}, id ${direction}`);
    return rows.map((row) => row.id);
  }

  async function walk(build: () => ReturnType<typeof deals>, column: string, direction: SortDirection, limit: number) {
    const seen: string[] = [];
    const pageSizes: number[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof paginate<Deal>>> = await paginate(build(), {
        sort: { column, direction },
        tieBreaker: 'id',
        limit,
        cursor,
      });
      seen.push(...page.items.map((deal) => deal.id));
      pageSizes.push(page.items.length);
      cursor = page.nextCursor;
      if (pageSizes.length > ROWS + 1) throw new Error('pagination does not end');
    } while (cursor);
    return { seen, pageSizes };
  }

  describe.each<[string, string, SortDirection]>([
    ['deal.amount', 'amount', 'ASC'],
    ['deal.amount', 'amount', 'DESC'],
    ['deal.closesAt', 'closes_at', 'ASC'],
    ['closesAt', 'closes_at', 'DESC'],
  ])('sorted by %s', (column, sqlColumn, direction) => {
    it.each([1, 4, 7, 25, 200])(`${direction}: walks every row once, in order, with pages of %i`, async (limit) => {
      const { seen, pageSizes } = await walk(deals, column, direction, limit);

      expect(new Set(seen).size).toBe(seen.length);
      expect(seen).toEqual(await expectedOrder(sqlColumn, direction));
      expect(pageSizes.slice(0, -1).every((size) => size === limit)).toBe(true);
      expect(pageSizes.at(-1)).toBeGreaterThan(0);
    });
  });

  it("keeps the caller's own filters", async () => {
    const { seen } = await walk(() => deals().where('deal.owner = :owner', { owner: 'ada' }), 'deal.amount', 'DESC', 3);
    expect(seen).toEqual(await expectedOrder('amount', 'DESC', `owner = 'ada'`));
  });

  it("does not change the caller's query builder", async () => {
    const query = deals().where('deal.owner = :owner', { owner: 'ada' });
    const sql = query.getSql();
    await paginate(query, { sort: { column: 'deal.amount', direction: 'ASC' }, limit: 5 });
    expect(query.getSql()).toBe(sql);
  });

  it('refuses a cursor issued for another sort', async () => {
    const first = await paginate(deals(), { sort: { column: 'deal.amount', direction: 'ASC' }, limit: 5 });
    await expect(paginate(deals(), { sort: { column: 'deal.amount', direction: 'DESC' }, limit: 5, cursor: first.nextCursor })).rejects.toMatchObject({
      code: 'INVALID_CURSOR',
    });
  });

  it('answers a cursor whose values do not fit the columns with 400, not 500', async () => {
    const forged = Buffer.from(JSON.stringify(['deal.closesAt:ASC', 'not-a-time', 'not-a-uuid'])).toString('base64url');
    const attempt = paginate(deals(), { sort: { column: 'deal.closesAt', direction: 'ASC' }, limit: 5, cursor: forged });
    await expect(attempt).rejects.toBeInstanceOf(ProblemException);
    await expect(attempt).rejects.toMatchObject({ code: 'INVALID_CURSOR' });
  });

  it('refuses a sort column that is not a mapped column, so input never reaches the SQL', async () => {
    await expect(paginate(deals(), { sort: { column: 'deal.amount; DROP TABLE deals', direction: 'ASC' }, limit: 5 })).rejects.toThrow(/not a column/);
  });
});
