import type { MigrationInterface, QueryRunner } from 'typeorm';

const KEY = 'currency, region, product_line, source, rep_id, team';
const MEASURES = ['confirmed_amount', 'cancelled_amount', 'shipped_amount', 'paid_amount', 'orders_confirmed', 'orders_cancelled', 'orders_shipped'];
const sums = (sign: '' | '-') => MEASURES.map((m) => `${sign}${m} AS ${m}`).join(', ');

/** The delta of one statement on sales_daily (rows from `rel`, signed), added to sales_monthly in key order. */
const apply = (parts: string) => `
    INSERT INTO sales_monthly (month, ${KEY}, ${MEASURES.join(', ')})
    SELECT date_trunc('month', day)::date, ${KEY}, ${MEASURES.map((m) => `sum(${m})`).join(', ')}
      FROM (${parts}) d
     GROUP BY 1, 2, 3, 4, 5, 6, 7 ORDER BY 1, 2, 3, 4, 5, 6, 7
    ON CONFLICT (month, ${KEY}) DO UPDATE SET ${MEASURES.map((m) => `${m} = sales_monthly.${m} + EXCLUDED.${m}`).join(', ')};`;
const rows = (rel: string, sign: '' | '-') => `SELECT day, ${KEY}, ${sums(sign)} FROM ${rel}`;

/**
 * sales_monthly: sales_daily rolled up by calendar month, kept in step by statement-level triggers on
 * sales_daily (whatever writes it: the projector's upserts, a rebuild, a seed), so a dashboard over whole
 * months (KPI periods, monthly revenue, the forecast history) sums a few thousand rows instead of a year of
 * daily rows. A month row exists when sales_daily has (had) a row in that month with that key.
 */
export class SalesMonthly1764460800007 implements MigrationInterface {
  name = 'SalesMonthly1764460800007';

  async up(q: QueryRunner): Promise<void> {
    // No write may slip between the backfill and the triggers.
    await q.query('LOCK TABLE sales_daily IN SHARE ROW EXCLUSIVE MODE');
    await q.query(`CREATE TABLE sales_monthly (LIKE sales_daily INCLUDING DEFAULTS)`);
    await q.query(`ALTER TABLE sales_monthly RENAME COLUMN day TO month`);
    await q.query(`ALTER TABLE sales_monthly ADD PRIMARY KEY (month, ${KEY})`);
    await q.query(`CREATE FUNCTION sales_monthly_apply() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'TRUNCATE' THEN
          TRUNCATE sales_monthly;
        -- An upsert fires both the INSERT and the UPDATE trigger; usually one of them has no rows.
        ELSIF TG_OP = 'INSERT' THEN
          IF EXISTS (SELECT FROM new_rows) THEN ${apply(rows('new_rows', ''))}
          END IF;
        ELSIF TG_OP = 'UPDATE' THEN
          IF EXISTS (SELECT FROM new_rows) THEN ${apply(`${rows('new_rows', '')} UNION ALL ${rows('old_rows', '-')}`)}
          END IF;
        ELSE ${apply(rows('old_rows', '-'))}
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER sales_monthly_insert AFTER INSERT ON sales_daily REFERENCING NEW TABLE AS new_rows
      FOR EACH STATEMENT EXECUTE FUNCTION sales_monthly_apply()`);
    await q.query(`CREATE TRIGGER sales_monthly_update AFTER UPDATE ON sales_daily REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
      FOR EACH STATEMENT EXECUTE FUNCTION sales_monthly_apply()`);
    await q.query(`CREATE TRIGGER sales_monthly_delete AFTER DELETE ON sales_daily REFERENCING OLD TABLE AS old_rows
      FOR EACH STATEMENT EXECUTE FUNCTION sales_monthly_apply()`);
    await q.query(`CREATE TRIGGER sales_monthly_truncate AFTER TRUNCATE ON sales_daily FOR EACH STATEMENT EXECUTE FUNCTION sales_monthly_apply()`);
    await q.query(`INSERT INTO sales_monthly (month, ${KEY}, ${MEASURES.join(', ')})
      SELECT date_trunc('month', day)::date, ${KEY}, ${MEASURES.map((m) => `sum(${m})`).join(', ')} FROM sales_daily GROUP BY 1, 2, 3, 4, 5, 6, 7`);
    await q.query('ANALYZE sales_monthly');
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['insert', 'update', 'delete', 'truncate']) await q.query(`DROP TRIGGER sales_monthly_${t} ON sales_daily`);
    await q.query('DROP FUNCTION sales_monthly_apply()');
    await q.query('DROP TABLE sales_monthly');
  }
}
