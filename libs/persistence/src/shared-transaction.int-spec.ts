import { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '@crm/testing';
import { runInSharedTransaction } from './shared-transaction';

// An idempotent request runs its handler in one transaction on one connection; reads the handler runs side by
// side must take turns on it (pg deprecates a query sent while another runs) and still all see the transaction.
describe('a shared transaction', () => {
  let db: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase('shared_tx');
    dataSource = await new DataSource({ type: 'postgres', url: db.url, poolSize: 4 }).initialize();
    await dataSource.query('CREATE TABLE t (n int)');
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  it('runs side-by-side reads one after another on its one connection, each seeing its uncommitted write', async () => {
    let inFlight = 0;
    let most = 0;
    const answers = await runInSharedTransaction(dataSource, async (m) => {
      await m.query('INSERT INTO t VALUES (1)');
      // Count what reaches the connection at once (pg would queue the rest and warn).
      const client = (m.queryRunner as unknown as { databaseConnection: { query: (...args: unknown[]) => Promise<unknown> } }).databaseConnection;
      const query = client.query.bind(client);
      client.query = (...args: unknown[]) => {
        most = Math.max(most, ++inFlight);
        return query(...args).finally(() => inFlight--);
      };
      return Promise.all(
        [1, 2, 3, 4, 5].map((i) =>
          dataSource.manager.query<{ pid: number; n: string; i: number }[]>('SELECT pg_backend_pid() AS pid, count(*) AS n, $1::int AS i, pg_sleep(0.02)', [i]),
        ),
      );
    });
    expect(new Set(answers.map(([row]) => row!.pid)).size).toBe(1);
    expect(answers.map(([row]) => [row!.i, row!.n])).toEqual([1, 2, 3, 4, 5].map((i) => [i, '1']));
    expect(most).toBe(1);
  });

  it('goes on after a failed query, and rolls the whole transaction back', async () => {
    await expect(
      runInSharedTransaction(dataSource, async (m) => {
        await m.query('INSERT INTO t VALUES (2)');
        await Promise.allSettled([dataSource.manager.query('SELECT * FROM missing_table'), dataSource.manager.query('SELECT 1')]);
        throw new Error('handler failed');
      }),
    ).rejects.toThrow('handler failed');
    expect(await dataSource.query('SELECT count(*)::int AS n FROM t WHERE n = 2')).toEqual([{ n: 0 }]);
  });
});
