import { Injectable, Logger } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditTrail } from '@crm/audit';
import { BusinessCalendar } from '@crm/calendar';
import { Role } from '@crm/http';
import { inTransaction } from '@crm/persistence';
import { ForecastReportService } from '../reporting/forecast-report.service';
import { ReportRepository } from '../reporting/report.repository';
import { addMonths, mape } from '../reporting/stats.domain';
import { ForecastSnapshotsRepository, type SnapshotValue } from './forecast-snapshots.repository';

export const SNAPSHOT_HORIZON = 3;
const SYSTEM = { sub: 'analytics-forecast-snapshot', roles: [Role.Admin] };

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
    private readonly forecasts: ForecastReportService,
    private readonly snapshots: ForecastSnapshotsRepository,
    private readonly reports: ReportRepository,
    private readonly calendar: BusinessCalendar,
    private readonly audit: AuditTrail,
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

  /**
   * Snapshots the forecasts made in the month of `now` (a business-time-zone month); returns how many values it
   * stored (0 if another run had).
   */
  snapshot(now = new Date()): Promise<number> {
    return this.store(this.calendar.periodStartOf(now, 'month'), 'daily');
  }

  /**
   * Stores the time-series forecast as a run in each past month from `from` to `to` (YYYY-MM, before the
   * current month) would have: from the history before that month only, so imported history gets forecasts to
   * judge. The pipeline forecast is not re-made: the past pipeline is not what it was then.
   */
  async backfill(from: string, to: string): Promise<number> {
    let stored = 0;
    for (let month = `${from}-01`; month <= `${to}-01`; month = addMonths(month, 1)) stored += await this.store(month, 'backfill');
    return stored;
  }

  /** A backfill (through the API) is audited per month; the daily run is the service's own. */
  private async store(madeMonth: string, run: 'daily' | 'backfill'): Promise<number> {
    const withPipeline = run === 'daily';
    const historyEnd = addMonths(madeMonth, -1).slice(0, 7);
    return inTransaction(this.dataSource, async (m) => {
      if (!(await this.snapshots.tryLock(m))) return 0;
      let stored = 0;
      for (const currency of await this.snapshots.currencies(m)) {
        const forecast = await this.forecasts.forecast({ horizon: SNAPSHOT_HORIZON, currency, historyEnd }, SYSTEM);
        const values = (measure: string) => forecast.series.find((s) => s.measure === measure)?.points ?? [];
        const rows: SnapshotValue[] = values('forecast').map((pt, i) => ({
          method: 'holt_winters',
          target: pt.x,
          value: pt.y,
          lower: values('lower')[i]?.y,
          upper: values('upper')[i]?.y,
        }));
        if (withPipeline) {
          rows.push(...values('pipeline_weighted').map((pt) => ({ method: 'pipeline_weighted', target: pt.x, value: pt.y, lower: null, upper: null })));
        }
        stored += await this.snapshots.insert(m, madeMonth, currency, rows);
      }
      if (run === 'backfill' && stored) {
        const changes = [{ field: 'stored', old: null, new: stored, personal: false }];
        await this.audit.record(m, { recordType: 'forecast_snapshot', recordId: madeMonth.slice(0, 7), action: 'backfilled', changes });
      }
      return stored;
    });
  }

  /** Every stored forecast whose target month has closed, next to the actual net bookings, with MAPE per method. */
  async accuracy(currency: string, now = new Date()) {
    const currentMonth = this.calendar.periodStartOf(now, 'month');
    const rows = await this.snapshots.accuracyRows(currency, currentMonth);
    const detail = rows.map((r) => {
      const actual = Number(r.actual ?? 0);
      const forecast = Number(r.value);
      return {
        method: r.method,
        madeMonth: r.made_month,
        targetMonth: r.target_month,
        forecast: r.value,
        actual: r.actual ?? '0',
        absolutePercentageError: actual === 0 ? null : Math.round(Math.abs((actual - forecast) / actual) * 10_000) / 100,
      };
    });
    const methods = [...new Set(detail.map((d) => d.method))];
    const summary = methods.map((method) => {
      const pairs = detail.filter((d) => d.method === method).map((d) => ({ forecast: Number(d.forecast), actual: Number(d.actual) }));
      const value = mape(pairs);
      return { method, periods: pairs.length, mape: value === null ? null : Math.round(value * 100) / 100 };
    });
    return { asOf: await this.reports.asOf(), currency, summary, rows: detail };
  }
}
