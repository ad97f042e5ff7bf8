import { Injectable, Logger } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Role } from '@crm/http';
import { AnalyticsService } from '../reporting/analytics.service';
import { addMonths, mape } from '../reporting/stats.domain';

export const SNAPSHOT_HORIZON = 3;
const SYSTEM = { sub: 'analytics-forecast-snapshot', roles: [Role.Admin] };
// Any constant: the job's advisory lock, so one replica snapshots at a time.
const LOCK_KEY = 0x616e_6601;

/**
 * Keeps each month's forecasts so they can be judged once the months close. Runs daily; the first run in a
 * month stores the forecast for that month and the next two (Holt-Winters and the weighted pipeline, per
 * currency) and later runs add nothing (ON CONFLICT DO NOTHING), so several replicas or reruns are harmless.
 */
@Injectable()
export class ForecastSnapshotJob {
  private readonly logger = new Logger(ForecastSnapshotJob.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly analytics: AnalyticsService,
  ) {}

  @Cron(CronExpression.EVERY_DAY_AT_1AM, { name: 'analytics-forecast-snapshot' })
  async scheduled(): Promise<void> {
    try {
      const stored = await this.snapshot();
      if (stored) this.logger.log(`${stored} forecast value(s) snapshotted`);
    } catch (err) {
      this.logger.error(`forecast snapshot failed: ${(err as Error).message}`, (err as Error).stack);
    }
  }

  /** Snapshots the forecasts made in the month of `now`; returns how many values it stored (0 if another run had). */
  async snapshot(now = new Date()): Promise<number> {
    const madeMonth = `${now.toISOString().slice(0, 7)}-01`;
    const historyEnd = addMonths(madeMonth, -1).slice(0, 7);
    return this.dataSource.transaction(async (manager) => {
      const [{ locked }] = await manager.query('SELECT pg_try_advisory_xact_lock($1) AS locked', [LOCK_KEY]);
      if (!locked) return 0;
      const currencies: { currency: string }[] = await manager.query('SELECT DISTINCT currency FROM sales_daily ORDER BY currency');
      let stored = 0;
      for (const { currency } of currencies) {
        const forecast = await this.analytics.forecast({ horizon: SNAPSHOT_HORIZON, currency, historyEnd }, SYSTEM);
        const values = (measure: string) => forecast.series.find((s) => s.measure === measure)?.points ?? [];
        const rows = [
          ...values('forecast').map((pt, i) => ({ method: 'holt_winters', target: pt.x, value: pt.y, lower: values('lower')[i]?.y, upper: values('upper')[i]?.y })),
          ...values('pipeline_weighted').map((pt) => ({ method: 'pipeline_weighted', target: pt.x, value: pt.y, lower: null, upper: null })),
        ];
        const inserted = await manager.query(
          `INSERT INTO forecast_snapshots (made_month, target_month, currency, method, value, lower, upper)
           SELECT $1, x.target, $2, x.method, x.value, x.lower, x.upper
             FROM jsonb_to_recordset($3::jsonb) AS x(target date, method text, value numeric, lower numeric, upper numeric)
           ON CONFLICT DO NOTHING RETURNING 1`,
          [madeMonth, currency, JSON.stringify(rows)],
        );
        stored += inserted.length;
      }
      return stored;
    });
  }

  /** Every stored forecast whose target month has closed, next to the actual net bookings, with MAPE per method. */
  async accuracy(currency: string, now = new Date()) {
    const currentMonth = `${now.toISOString().slice(0, 7)}-01`;
    const rows: { made_month: string; target_month: string; method: string; value: string; actual: string | null }[] = await this.dataSource.query(
      `SELECT s.made_month::text, s.target_month::text, s.method, s.value::text, a.actual
         FROM forecast_snapshots s
         LEFT JOIN LATERAL (
           SELECT sum(confirmed_amount - cancelled_amount)::text AS actual FROM sales_daily
            WHERE currency = s.currency AND day >= s.target_month AND day < s.target_month + interval '1 month') a ON true
        WHERE s.currency = $1 AND s.target_month < $2::date
        ORDER BY s.method, s.made_month, s.target_month`,
      [currency, currentMonth],
    );
    const detail = rows.map((r) => {
      const actual = Number(r.actual ?? 0);
      const forecast = Number(r.value);
      return {
        method: r.method, madeMonth: r.made_month, targetMonth: r.target_month, forecast: r.value, actual: r.actual ?? '0',
        absolutePercentageError: actual === 0 ? null : Math.round(Math.abs((actual - forecast) / actual) * 10_000) / 100,
      };
    });
    const methods = [...new Set(detail.map((d) => d.method))];
    const summary = methods.map((method) => {
      const pairs = detail.filter((d) => d.method === method).map((d) => ({ forecast: Number(d.forecast), actual: Number(d.actual) }));
      const value = mape(pairs);
      return { method, periods: pairs.length, mape: value === null ? null : Math.round(value * 100) / 100 };
    });
    return { asOf: await this.analytics.asOf(), currency, summary, rows: detail };
  }
}
