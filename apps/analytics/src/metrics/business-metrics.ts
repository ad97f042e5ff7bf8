import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Gauge } from 'prom-client';
import { DataSource } from 'typeorm';
import { BusinessCalendar } from '@crm/calendar';
import { MetricsRegistry } from '@crm/observability';

/** Open-lead age buckets: a fixed, bounded label set. */
export const LEAD_AGE_BUCKETS = [
  { bucket: 'lt_1d', from: 0, to: 1 },
  { bucket: '1d_7d', from: 1, to: 7 },
  { bucket: '7d_30d', from: 7, to: 30 },
  { bucket: 'gt_30d', from: 30, to: null },
] as const;

/**
 * Business gauges for the ops dashboards, read from the read model when Prometheus scrapes (prom-client
 * `collect`), so they are never stale and cost a few indexed queries per scrape. Labels are bounded:
 * stage names (the pipeline's configuration), ISO currencies, fixed age buckets.
 */
@Injectable()
export class BusinessMetrics {
  private readonly logger = new Logger(BusinessMetrics.name);

  constructor(
    metrics: MetricsRegistry,
    @InjectDataSource() private readonly dataSource: DataSource,
    calendar: BusinessCalendar,
  ) {
    const self = this;
    metrics.gauge({
      name: 'crm_analytics_pipeline_value',
      help: 'Open pipeline by stage and currency; kind=raw (expected amounts) or weighted (× win probability)',
      labelNames: ['stage', 'currency', 'kind'],
      async collect() {
        await self.refresh<{ stage: string; currency: string; raw: number; weighted: number }>(
          this,
          `SELECT stage, currency, sum(amount)::float8 AS raw, sum(weighted_amount)::float8 AS weighted
                                     FROM pipeline_open GROUP BY 1, 2 HAVING sum(opportunities) <> 0`,
          (g, r) => {
            g.set({ stage: r.stage, currency: r.currency, kind: 'raw' }, r.raw);
            g.set({ stage: r.stage, currency: r.currency, kind: 'weighted' }, r.weighted);
          },
        );
      },
    });
    metrics.gauge({
      name: 'crm_analytics_revenue_this_month',
      help: 'Net bookings (confirmed − cancelled) of the current month in the business time zone (CRM_TIMEZONE), by currency',
      labelNames: ['currency'],
      async collect() {
        await self.refresh<{ currency: string; v: number }>(
          this,
          `SELECT currency, sum(confirmed_amount - cancelled_amount)::float8 AS v FROM sales_daily WHERE day >= $1::date GROUP BY 1`,
          (g, r) => g.set({ currency: r.currency }, r.v),
          undefined,
          [calendar.periodStartOf(new Date(), 'month')],
        );
      },
    });
    metrics.gauge({
      name: 'crm_analytics_open_leads',
      help: 'Leads neither converted nor disqualified, by age since capture',
      labelNames: ['age_bucket'],
      async collect() {
        const cases = LEAD_AGE_BUCKETS.map((b) => `WHEN now() - captured_at < interval '${b.to ?? 100000} days' THEN '${b.bucket}'`).join(' ');
        await self.refresh<{ bucket: string; n: number }>(
          this,
          `SELECT CASE ${cases} END AS bucket, count(*)::int AS n FROM lead_facts
                                   WHERE captured_at IS NOT NULL AND converted_at IS NULL AND disqualified_at IS NULL GROUP BY 1`,
          (g, r) => g.set({ age_bucket: r.bucket }, r.n),
          (g) => {
            for (const b of LEAD_AGE_BUCKETS) g.set({ age_bucket: b.bucket }, 0);
          },
        );
      },
    });
    metrics.gauge({
      name: 'crm_analytics_orders_on_hold',
      help: 'Orders waiting for stock (status on_hold)',
      async collect() {
        await self.refresh<{ n: number }>(this, `SELECT count(*)::int AS n FROM order_facts WHERE status = 'on_hold'`, (g, r) => g.set(r.n));
      },
    });
    metrics.gauge({
      name: 'crm_analytics_receivables_overdue',
      help: 'Receivables reported overdue with money still owed, by currency',
      labelNames: ['currency'],
      async collect() {
        await self.refresh<{ currency: string; v: number }>(this, OVERDUE_SQL('count(*)::int'), (g, r) => g.set({ currency: r.currency }, r.v));
      },
    });
    metrics.gauge({
      name: 'crm_analytics_receivables_overdue_amount',
      help: 'Amount still owed on overdue receivables, by currency',
      labelNames: ['currency'],
      async collect() {
        await self.refresh<{ currency: string; v: number }>(this, OVERDUE_SQL('sum(amount - paid)::float8'), (g, r) => g.set({ currency: r.currency }, r.v));
      },
    });
  }

  /** Resets the gauge (so a label that vanished reads as gone) and sets it from a query; a failing query keeps the scrape alive. */
  private async refresh<Row>(
    gauge: Gauge<string>,
    sql: string,
    set: (g: Gauge<string>, row: Row) => void,
    init?: (g: Gauge<string>) => void,
    params: unknown[] = [],
  ): Promise<void> {
    try {
      const rows: Row[] = await this.dataSource.query(sql, params);
      gauge.reset();
      init?.(gauge);
      for (const row of rows) set(gauge, row);
    } catch (err) {
      this.logger.warn(`business gauge ${(gauge as unknown as { name: string }).name} not refreshed: ${(err as Error).message}`);
    }
  }
}

const OVERDUE_SQL = (value: string) => `SELECT currency, ${value} AS v FROM receivable_facts
  WHERE overdue_at IS NOT NULL AND voided_at IS NULL AND currency IS NOT NULL AND amount > paid GROUP BY currency`;
