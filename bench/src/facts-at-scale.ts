// The analytics read model at 1 M and 5 M order facts in a scratch database (docs/analytics-at-scale.md):
// bytes per fact (heap + indexes + TOAST) and the dashboard's queries under EXPLAIN ANALYZE, raw and aggregated.
//   ANALYTICS_DATABASE_URL=postgres://postgres@127.0.0.1:5432/scratch_facts node -r ./tools/register.js tools/migrate.ts analytics
//   node -r ./tools/register.js bench/src/facts-at-scale.ts postgres://postgres@127.0.0.1:5432/scratch_facts 1000000 5000000
// PARTITION_YEARS=5 instead: the orders over 5 years, plain vs partitioned by year (no migration needed).
// The database must be a migrated, empty analytics database: every run truncates the facts and aggregates.
import { Client } from 'pg';
import { RAW, seed } from './scenarios/s7-dashboard-reads';

/** The aggregate read behind GET /analytics/sales?groupBy=month for 2025 in USD (salesRows: whole months). */
const AGGREGATE = `SELECT to_char(month, 'YYYY-MM-DD') AS m, sum(confirmed_amount), sum(cancelled_amount), sum(shipped_amount),
    sum(orders_confirmed), sum(orders_cancelled), sum(orders_shipped)
  FROM sales_monthly WHERE currency = 'USD' AND month >= '2025-01-01' AND month < '2026-01-01' GROUP BY 1 ORDER BY 1`;

const TABLES = ['order_facts', 'order_line_facts', 'sales_daily', 'sales_monthly'];

/** Execution time (median of 3 after a warm-up) and the 8 kB pages the query touched (machine-independent). */
async function explainMs(client: Client, sql: string): Promise<{ ms: number; pages: number; plan: string }> {
  const runs: number[] = [];
  let plan = '';
  for (let i = 0; i < 4; i++) {
    const rows = (await client.query(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`)).rows.map((r) => r['QUERY PLAN'] as string);
    const exec = rows.find((l) => l.startsWith('Execution Time'));
    if (i > 0) runs.push(Number(/([\d.]+) ms/.exec(exec ?? '')?.[1]));
    plan = rows.join('\n');
  }
  runs.sort((a, b) => a - b);
  const buffers = /Buffers: shared(?: hit=(\d+))?(?: read=(\d+))?/.exec(plan);
  return { ms: runs[1], pages: Number(buffers?.[1] ?? 0) + Number(buffers?.[2] ?? 0), plan };
}

async function measure(client: Client, orders: number): Promise<void> {
  await client.query('TRUNCATE order_facts, order_line_facts, sales_daily, reps, items, analytics_watermark'); // sales_daily's trigger empties sales_monthly
  const t0 = performance.now();
  await client.query(seed(orders));
  await client.query('VACUUM ANALYZE');
  const seedS = (performance.now() - t0) / 1000;
  console.log(`\n## ${orders.toLocaleString('en')} orders (seeded in ${seedS.toFixed(1)} s, VACUUM ANALYZE included)\n`);
  console.log('| table | rows | heap MB | indexes MB | total MB | bytes per row |\n|---|---|---|---|---|---|');
  for (const t of TABLES) {
    const [r] = (
      await client.query(
        `SELECT (SELECT count(*) FROM ${t})::bigint AS n, pg_table_size('${t}') AS heap, pg_indexes_size('${t}') AS idx, pg_total_relation_size('${t}') AS total`,
      )
    ).rows;
    const mb = (b: string) => (Number(b) / 2 ** 20).toFixed(1);
    console.log(`| ${t} | ${r.n} | ${mb(r.heap)} | ${mb(r.idx)} | ${mb(r.total)} | ${Number(r.n) ? Math.round(Number(r.total) / Number(r.n)) : '-'} |`);
  }
  console.log('\n| query | execution ms (median of 3) |\n|---|---|');
  for (const [name, sql] of [...Object.entries(RAW).map(([n, s]) => [`raw ${n}`, s]), ['aggregate sales (sales_monthly)', AGGREGATE]]) {
    const { ms, plan } = await explainMs(client, sql);
    console.log(`| ${name} | ${ms.toFixed(1)} |`);
    if (process.env.PLANS) console.error(`-- ${name} at ${orders}\n${plan}\n`);
  }
}

/**
 * The same orders spread over `years` years, in a plain table and in one partitioned by year of confirmation
 * (the primary key must then include the partition key): one year's raw sales, and one order looked up by id
 * (what every projector upsert does), in each.
 */
async function partitioning(client: Client, orders: number, years: number): Promise<void> {
  const columns = `order_id uuid NOT NULL, rep_id uuid, team text, region text, currency text, total numeric(19,4), status text,
    confirmed_at timestamptz NOT NULL, shipped_at timestamptz, cancelled_at timestamptz`;
  const first = 2026 - years;
  await client.query(`DROP TABLE IF EXISTS facts_plain, facts_by_year;
    CREATE TABLE facts_plain (${columns}, PRIMARY KEY (order_id));
    CREATE TABLE facts_by_year (${columns}, PRIMARY KEY (order_id, confirmed_at)) PARTITION BY RANGE (confirmed_at);`);
  for (let y = first; y < 2026; y++) {
    await client.query(`CREATE TABLE facts_by_year_${y} PARTITION OF facts_by_year FOR VALUES FROM ('${y}-01-01') TO ('${y + 1}-01-01')`);
  }
  await client.query(`INSERT INTO facts_plain
    SELECT gen_random_uuid(), ('00000000-0000-4000-8000-' || lpad(to_hex(1 + g % 60), 12, '0'))::uuid, 'alpha',
           (ARRAY['north','south','east','west'])[1 + g % 4], CASE WHEN g % 5 = 0 THEN 'EUR' ELSE 'USD' END,
           round((100 + random() * 4900)::numeric, 2), 'shipped', t,
           CASE WHEN g % 3 = 0 AND g % 33 <> 0 THEN t + interval '3 days' END, CASE WHEN g % 33 = 0 THEN t + interval '1 day' END
    FROM (SELECT g, timestamptz '${first}-01-01' + (g::float8 / ${orders}) * interval '${years * 365} days' AS t
          FROM generate_series(1, ${orders}) g) s`);
  await client.query('INSERT INTO facts_by_year SELECT * FROM facts_plain');
  await client.query('VACUUM ANALYZE facts_plain');
  await client.query('VACUUM ANALYZE facts_by_year');
  const [{ id }] = (await client.query(`SELECT order_id AS id FROM facts_plain WHERE confirmed_at >= '${first + 1}-06-01' LIMIT 1`)).rows;
  console.log(`\n## ${orders.toLocaleString('en')} orders over ${years} years: plain vs partitioned by year\n`);
  // One process per query: on a shared 2-core machine parallel workers make timings depend on the neighbours.
  await client.query('SET max_parallel_workers_per_gather = 0');
  console.log('| query | plain ms | plain pages | partitioned ms | partitioned pages |\n|---|---|---|---|---|');
  const yearSales = (t: string) => RAW.sales.replaceAll('order_facts', t);
  // Filtered on the partition key alone: only the confirmed bookings of 2025, per month.
  const confirmed = (t: string) =>
    `SELECT date_trunc('month', confirmed_at), sum(total), count(*) FROM ${t}
      WHERE currency = 'USD' AND confirmed_at >= '2025-01-01' AND confirmed_at < '2026-01-01' GROUP BY 1`;
  const byId = (t: string) => `SELECT * FROM ${t} WHERE order_id = '${id}'`;
  for (const [name, sql] of [
    ['raw sales of 2025 (confirmed, cancelled, shipped by their own dates)', yearSales],
    ['confirmed bookings of 2025 per month', confirmed],
    ['one order by id', byId],
  ] as const) {
    const plain = await explainMs(client, sql('facts_plain'));
    const parted = await explainMs(client, sql('facts_by_year'));
    console.log(`| ${name} | ${plain.ms.toFixed(2)} | ${plain.pages} | ${parted.ms.toFixed(2)} | ${parted.pages} |`);
    if (process.env.PLANS) console.error(`-- ${name}\n${plain.plan}\n\n${parted.plan}\n`);
  }
  await client.query('RESET max_parallel_workers_per_gather');
  await client.query('DROP TABLE facts_plain, facts_by_year');
}

async function main(): Promise<void> {
  const [url, ...sizes] = process.argv.slice(2);
  if (!url || sizes.length === 0) throw new Error('usage: facts-at-scale.ts <database url> <orders>...');
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const partitioned = process.env.PARTITION_YEARS ? Number(process.env.PARTITION_YEARS) : 0;
    for (const n of sizes) await (partitioned ? partitioning(client, Number(n), partitioned) : measure(client, Number(n)));
  } finally {
    await client.end();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
