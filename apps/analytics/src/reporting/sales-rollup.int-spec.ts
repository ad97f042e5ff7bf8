import { createTestDataSource, type TestDataSource } from '@crm/testing';
import { migrations } from '../migrations';
import { Params } from './report.queries';
import { salesRows } from './sales.queries';

const KEY = 'currency, region, product_line, source, rep_id, team';
const MEASURES = 'confirmed_amount, cancelled_amount, shipped_amount, paid_amount, orders_confirmed, orders_cancelled, orders_shipped';
const ROLLUP = `SELECT date_trunc('month', day)::date AS month, ${KEY}, sum(confirmed_amount), sum(cancelled_amount), sum(shipped_amount), sum(paid_amount),
                       sum(orders_confirmed), sum(orders_cancelled), sum(orders_shipped) FROM sales_daily GROUP BY 1, 2, 3, 4, 5, 6, 7`;

/** The projector's write: amounts added to existing rows (ON CONFLICT), new rows inserted, in one statement. */
const upsert = (rows: unknown[][]) =>
  [
    `INSERT INTO sales_daily (day, ${KEY}, confirmed_amount, cancelled_amount, paid_amount, orders_confirmed)
   SELECT * FROM unnest($1::date[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::numeric[], $9::numeric[], $10::numeric[], $11::bigint[])
   ON CONFLICT (day, ${KEY}) DO UPDATE SET confirmed_amount = sales_daily.confirmed_amount + EXCLUDED.confirmed_amount,
     cancelled_amount = sales_daily.cancelled_amount + EXCLUDED.cancelled_amount, paid_amount = sales_daily.paid_amount + EXCLUDED.paid_amount,
     orders_confirmed = sales_daily.orders_confirmed + EXCLUDED.orders_confirmed`,
    rows[0].map((_, col) => rows.map((r) => r[col])),
  ] as const;

/** Days across three months and a year boundary, two currencies, three reps; deterministic amounts (no key twice in 276 rows). */
function rows(seed: number, n: number): unknown[][] {
  const out: unknown[][] = [];
  for (let i = 0; i < n; i++) {
    const day = new Date(Date.UTC(2025, 10, 1) + ((i * 7 + seed) % 92) * 86_400_000).toISOString().slice(0, 10);
    out.push([
      day,
      i % 3 ? 'EUR' : 'USD',
      ['north', 'south'][i % 2],
      ['pumps', 'valves'][(i + seed) % 2],
      'web',
      `rep-${i % 3}`,
      `team-${i % 2}`,
      ((i * 37 + seed) % 1000) + 0.0125,
      i % 5 ? 0 : 3.5,
      i % 4 ? 0 : 1.25,
      1,
    ]);
  }
  return out;
}

describe('sales_monthly: the monthly rollup of sales_daily that whole-month dashboards read (real PostgreSQL)', () => {
  let db: TestDataSource;
  const q = (sql: string, params?: unknown[]) => db.dataSource.query(sql, params);
  const differences = async () => {
    const [{ n }] = await q(
      `SELECT count(*)::int AS n FROM ((${ROLLUP} EXCEPT SELECT * FROM sales_monthly) UNION ALL (SELECT * FROM sales_monthly EXCEPT ${ROLLUP})) d`,
    );
    return n as number;
  };

  beforeAll(async () => {
    db = await createTestDataSource({ prefix: 'analytics_rollup', migrations });
  });
  afterAll(async () => db?.close());

  it('stays equal to sales_daily summed by month through upserts, updates, deletes and a truncate', async () => {
    await q(...upsert(rows(1, 200)));
    expect((await q('SELECT count(*)::int AS n FROM sales_monthly'))[0].n).toBeGreaterThan(10);
    expect(await differences()).toBe(0);
    await q(...upsert(rows(1, 120))); // the same keys again: every row conflicts and adds
    await q(...upsert(rows(5, 150))); // a mix of new keys and conflicts
    expect(await differences()).toBe(0);
    await q(`UPDATE sales_daily SET shipped_amount = shipped_amount + 2.5, orders_shipped = orders_shipped + 1 WHERE rep_id = 'rep-1'`);
    await q(`DELETE FROM sales_daily WHERE day = (SELECT min(day) FROM sales_daily)`);
    expect(await differences()).toBe(0);
    await q('TRUNCATE sales_daily');
    expect(await q('SELECT * FROM sales_monthly')).toEqual([]);
  });

  it('answers any date range with the sums of the daily rows: whole months from the rollup, the ragged ends from the days', async () => {
    await q(...upsert(rows(3, 250))); // keys repeat every 276 rows: one statement may not touch a row twice
    const ranges: [string | null, string][] = [
      ['2025-11-01', '2026-02-01'],
      ['2025-11-17', '2026-01-09'],
      ['2025-11-03', '2025-11-20'],
      ['2025-11-01', '2025-11-30'],
      ['2025-12-31', '2026-01-01'],
      [null, '2026-01-15'],
      [null, '2025-12-01'],
      ['2025-12-02', '2026-03-01'],
    ];
    for (const [from, to] of ranges) {
      const p = new Params();
      const where = ` AND currency = ${p.add('EUR')} AND team = ${p.add('team-1')}`;
      const viaRollup = await q(
        `SELECT rep_id, product_line, sum(confirmed_amount - cancelled_amount)::text AS net, sum(paid_amount)::text AS paid, sum(orders_confirmed)::int AS n
           FROM ${salesRows(p, from, to, where)} GROUP BY 1, 2 ORDER BY 1, 2`,
        p.values,
      );
      const daily = await q(
        `SELECT rep_id, product_line, sum(confirmed_amount - cancelled_amount)::text AS net, sum(paid_amount)::text AS paid, sum(orders_confirmed)::int AS n
           FROM sales_daily WHERE ($1::date IS NULL OR day >= $1::date) AND day < $2::date AND currency = 'EUR' AND team = 'team-1' GROUP BY 1, 2 ORDER BY 1, 2`,
        [from, to],
      );
      expect({ from, to, rows: viaRollup }).toEqual({ from, to, rows: daily });
    }
  });
});
