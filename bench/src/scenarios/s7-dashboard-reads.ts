import type { TestSystem } from '@crm/testing';
import { Client } from 'pg';
import type { BenchContext } from '../lib/context';
import { Latencies, median, round } from '../lib/stats';

/**
 * The year of history, seeded in SQL in the shape the projector writes: one order_facts row per order (and a
 * line), and sales_daily built from them as the projector's contributions add up (confirmed on the day of
 * confirmation, cancelled on the day of cancellation, shipped on the day of shipping; source unknown).
 */
export const seed = (orders: number): string => `
INSERT INTO reps (rep_id, name, team, active, updated_at)
  SELECT ('00000000-0000-4000-8000-' || lpad(to_hex(g), 12, '0'))::uuid, 'Rep ' || g, (ARRAY['alpha','bravo','charlie'])[1 + g % 3], true, now()
  FROM generate_series(1, 60) g;
INSERT INTO items (sku, name, product_line, active, updated_at)
  SELECT 'SKU-' || g, 'Item ' || g, (ARRAY['pumps','valves','controls'])[1 + g % 3], true, now() FROM generate_series(1, 30) g;
INSERT INTO order_facts (order_id, rep_id, team, region, currency, total, payment_terms, status, confirmed_at, shipped_at, cancelled_at, status_at)
  SELECT gen_random_uuid(), ('00000000-0000-4000-8000-' || lpad(to_hex(1 + g % 60), 12, '0'))::uuid, (ARRAY['alpha','bravo','charlie'])[1 + (1 + g % 60) % 3],
         (ARRAY['north','south','east','west'])[1 + g % 4], CASE WHEN g % 5 = 0 THEN 'EUR' ELSE 'USD' END,
         round((100 + random() * 4900)::numeric, 2), 'NET30',
         CASE WHEN g % 33 = 0 THEN 'cancelled' WHEN g % 3 = 0 THEN 'shipped' ELSE 'allocated' END,
         t, CASE WHEN g % 3 = 0 AND g % 33 <> 0 THEN t + interval '3 days' END, CASE WHEN g % 33 = 0 THEN t + interval '1 day' END, t
  FROM (SELECT g, timestamptz '2025-01-01' + (g::float8 / ${orders}) * interval '365 days' AS t FROM generate_series(1, ${orders}) g) s;
INSERT INTO order_line_facts (order_id, line_id, sku, line_total)
  SELECT order_id, gen_random_uuid(), 'SKU-' || (1 + abs(hashtext(order_id::text)) % 30), total FROM order_facts;
INSERT INTO sales_daily (day, currency, region, product_line, source, rep_id, team, confirmed_amount, cancelled_amount, shipped_amount, orders_confirmed, orders_cancelled, orders_shipped)
  SELECT day, currency, region, product_line, 'unknown', rep_id, team, sum(c), sum(x), sum(s), sum(nc), sum(nx), sum(ns) FROM (
    SELECT (o.confirmed_at AT TIME ZONE 'UTC')::date AS day, o.currency, o.region, i.product_line, o.rep_id::text, o.team, l.line_total AS c, 0 AS x, 0 AS s, 1 AS nc, 0 AS nx, 0 AS ns
      FROM order_facts o JOIN order_line_facts l USING (order_id) JOIN items i USING (sku)
    UNION ALL
    SELECT (o.cancelled_at AT TIME ZONE 'UTC')::date, o.currency, o.region, i.product_line, o.rep_id::text, o.team, 0, l.line_total, 0, 0, 1, 0
      FROM order_facts o JOIN order_line_facts l USING (order_id) JOIN items i USING (sku) WHERE o.cancelled_at IS NOT NULL
    UNION ALL
    SELECT (o.shipped_at AT TIME ZONE 'UTC')::date, o.currency, o.region, i.product_line, o.rep_id::text, o.team, 0, 0, l.line_total, 0, 0, 1
      FROM order_facts o JOIN order_line_facts l USING (order_id) JOIN items i USING (sku) WHERE o.shipped_at IS NOT NULL
  ) c GROUP BY 1, 2, 3, 4, 5, 6, 7;
INSERT INTO analytics_watermark (topic, partition, last_event_time, events_applied) VALUES ('seed', 0, '2025-12-31T23:59:59Z', ${orders});
ANALYZE;`;

/**
 * The same answers computed from the raw rows, as a dashboard without aggregates would: the figures the API
 * returns for these requests (each event counted in the month it happened, as the aggregates count it), by the
 * cheapest plain query we found. Admin scope, USD; line totals add up to the order total, so order_facts alone
 * answers every one.
 */
export const RAW: Record<string, string> = {
  // Revenue (confirmed − cancelled, each by its own date) per rep for 2025 and for 2024 (growth).
  kpis: `SELECT o.rep_id,
           coalesce(sum(o.total) FILTER (WHERE o.confirmed_at >= '2025-01-01' AND o.confirmed_at < '2026-01-01'), 0)
             - coalesce(sum(o.total) FILTER (WHERE o.cancelled_at >= '2025-01-01' AND o.cancelled_at < '2026-01-01'), 0) AS revenue,
           coalesce(sum(o.total) FILTER (WHERE o.confirmed_at >= '2024-01-01' AND o.confirmed_at < '2025-01-01'), 0)
             - coalesce(sum(o.total) FILTER (WHERE o.cancelled_at >= '2024-01-01' AND o.cancelled_at < '2025-01-01'), 0) AS previous_revenue
         FROM order_facts o
        WHERE o.currency = 'USD' AND (o.confirmed_at >= '2024-01-01' AND o.confirmed_at < '2026-01-01' OR o.cancelled_at >= '2024-01-01' AND o.cancelled_at < '2026-01-01')
        GROUP BY o.rep_id`,
  // Per month of 2025: confirmed, cancelled and shipped amounts and order counts, each by the month it happened.
  sales: `SELECT to_char(m, 'YYYY-MM-DD') AS m, c.v AS confirmed, x.v AS cancelled, s.v AS shipped, c.n AS orders, x.n AS orders_cancelled, s.n AS orders_shipped
          FROM (SELECT date_trunc('month', confirmed_at) AS m, sum(total) AS v, count(*) AS n FROM order_facts
                 WHERE currency = 'USD' AND confirmed_at >= '2025-01-01' AND confirmed_at < '2026-01-01' GROUP BY 1) c
          FULL JOIN (SELECT date_trunc('month', cancelled_at) AS m, sum(total) AS v, count(*) AS n FROM order_facts
                 WHERE currency = 'USD' AND cancelled_at >= '2025-01-01' AND cancelled_at < '2026-01-01' GROUP BY 1) x USING (m)
          FULL JOIN (SELECT date_trunc('month', shipped_at) AS m, sum(total) AS v, count(*) AS n FROM order_facts
                 WHERE currency = 'USD' AND shipped_at >= '2025-01-01' AND shipped_at < '2026-01-01' GROUP BY 1) s USING (m)
          ORDER BY 1`,
  // Monthly net bookings of the whole history up to the forecast start (confirmed minus cancelled, each by its month).
  forecast: `SELECT to_char(m, 'YYYY-MM-DD') AS m, sum(v) AS net FROM (
               SELECT date_trunc('month', confirmed_at) AS m, total AS v FROM order_facts WHERE currency = 'USD' AND confirmed_at < '2026-01-01'
               UNION ALL
               SELECT date_trunc('month', cancelled_at), -total FROM order_facts WHERE currency = 'USD' AND cancelled_at < '2026-01-01') e
             GROUP BY 1 ORDER BY 1`,
};
const API: Record<string, string> = {
  kpis: '/api/v1/analytics/kpis?period=2025&currency=USD',
  sales: '/api/v1/analytics/sales?from=2025-01-01&to=2025-12-31&groupBy=month&currency=USD',
  forecast: '/api/v1/analytics/forecast?currency=USD&historyEnd=2025-12&horizon=3',
};

/** 7. Dashboard reads over a year of history (1 M orders): API p95 per query, and the speed-up over raw GROUP BYs. */
export async function dashboardReads(ctx: BenchContext, system: TestSystem, token: (claims: object) => string): Promise<void> {
  const client = new Client({ connectionString: system.databases.analytics.url });
  await client.connect();
  try {
    const t0 = performance.now();
    await client.query(seed(ctx.scale.historyOrders));
    const seedSeconds = round((performance.now() - t0) / 1000, 1);
    const [{ n }] = (await client.query('SELECT count(*)::int AS n FROM sales_daily')).rows;
    console.log(`  [7] seeded ${ctx.scale.historyOrders} orders, ${n} sales_daily rows in ${seedSeconds} s`);
    const auth = { authorization: `Bearer ${token({ sub: 'bench-admin', roles: ['admin'] })}` };
    const requests = ctx.scale.smoke ? 20 : 60;
    for (const name of Object.keys(API)) {
      const api = new Latencies();
      const url = `${system.services.analytics.url}${API[name]}`;
      for (let i = 0; i < requests + 5; i++) {
        const s = performance.now();
        const res = await fetch(url, { headers: auth });
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`${url}: ${res.status}`);
        if (i >= 5) api.record(performance.now() - s);
      }
      const raw: number[] = [];
      for (let i = 0; i < ctx.scale.reps + 1; i++) {
        const s = performance.now();
        await client.query(RAW[name]);
        if (i > 0) raw.push(performance.now() - s);
      }
      const a = api.summary();
      const rawMs = median(raw);
      ctx.row({
        scenario: '7 Dashboard reads',
        figure: `${name} p95 (GET ${API[name].split('?')[0]})`,
        value: a.p95,
        unit: 'ms',
        goal: 'p95 <= 100 ms',
        met: a.p95 <= 100,
        note: `${requests} sequential requests after 5 warm-ups: p50 ${a.p50}, p95 ${a.p95}, p99 ${a.p99} ms`,
      });
      ctx.row({
        scenario: '7 Dashboard reads',
        figure: `${name}: raw GROUP BY ÷ API median`,
        value: round(rawMs / a.p50, 1),
        unit: 'x',
        baseline: { name: 'raw GROUP BY over order rows (median)', value: round(rawMs, 1), unit: 'ms' },
        ratio: round(rawMs / a.p50, 1),
        goal: '>= 20 x faster',
        met: rawMs / a.p50 >= 20,
        note: `API median ${a.p50} ms (HTTP included) vs the raw query alone, ${ctx.scale.reps} runs after one warm-up`,
      });
    }
    ctx.details.dashboardSeed = { orders: ctx.scale.historyOrders, salesDailyRows: n, seedSeconds };
  } finally {
    await client.end();
  }
}
