import { Injectable } from '@nestjs/common';
import Big from 'big.js';
import { BusinessCalendar } from '@crm/calendar';
import type { AuthUser } from '@crm/http';
import { formatAmount } from '@crm/money';
import { openDealsSql, type OpenDealRow } from './deals.queries';
import { AS_OF_SQL, Params, asOfValue, type AsOfRow } from './report.queries';
import { ReportRepository } from './report.repository';
import { monthlyRevenueSql, revenueByMonth, type MonthlyRevenueRow } from './sales.queries';
import { userTeamScope } from './team-scope';
import { addMonths, forecastSeries, pipelineForecast } from './stats.domain';
import type { Series } from './views';

/** The bookings forecast: a time series of past months and the open pipeline. */
@Injectable()
export class ForecastReportService {
  constructor(
    private readonly reports: ReportRepository,
    private readonly calendar: BusinessCalendar,
  ) {}

  /**
   * (a) time-series forecast of monthly net bookings (Holt-Winters additive when 24+ months of history)
   * with a 95 % interval, and (b) the pipeline forecast by expected close month. Months are business-time-zone
   * months; without `historyEnd` the history ends with the month before the current one.
   */
  async forecast(q: { horizon: number; currency: string; historyEnd?: string; team?: string }, user: AuthUser) {
    const scope = userTeamScope(user, q.team);
    const lastMonth = q.historyEnd ? `${q.historyEnd}-01` : addMonths(this.calendar.today(), -1);
    const firstForecast = addMonths(lastMonth, 1);
    const p = new Params();
    // Independent reads: one statement, one round trip.
    const r = await this.reports.many<{ history: MonthlyRevenueRow[]; deals: OpenDealRow[]; asOf: AsOfRow[] }>(
      {
        history: monthlyRevenueSql(p, q.currency, null, firstForecast, scope),
        deals: openDealsSql(p, q.currency, scope),
        asOf: AS_OF_SQL,
      },
      p.values,
    );
    // Months in order whatever order the rows came in (json_agg keeps no ORDER BY promise).
    const history = revenueByMonth(r.history.sort((a, b) => a.m.localeCompare(b.m)));
    const asOf = asOfValue(r.asOf[0].t);
    const months: string[] = [];
    if (history.size) for (let m = [...history.keys()][0]; m <= lastMonth; m = addMonths(m, 1)) months.push(m);
    const values = months.map((m) => Number(history.get(m) ?? '0'));
    const model = forecastSeries(values, q.horizon);
    const ahead = Array.from({ length: q.horizon }, (_, i) => addMonths(firstForecast, i));
    const money = (v: number) => formatAmount(new Big(v.toFixed(4)));

    const pipeline = pipelineForecast(
      r.deals.map((d) => ({ closeMonth: d.close_month, category: d.category, amount: d.amount, weighted: d.weighted })),
      ahead,
    );
    const series: Series[] = [
      { label: `actual ${q.currency}`, measure: 'actual', currency: q.currency, points: months.map((m, i) => ({ x: m, y: money(values[i]) })) },
      { label: `forecast ${q.currency}`, measure: 'forecast', currency: q.currency, points: ahead.map((m, i) => ({ x: m, y: money(model.forecast[i] ?? 0) })) },
      { label: `lower 95% ${q.currency}`, measure: 'lower', currency: q.currency, points: ahead.map((m, i) => ({ x: m, y: money(model.lower[i] ?? 0) })) },
      { label: `upper 95% ${q.currency}`, measure: 'upper', currency: q.currency, points: ahead.map((m, i) => ({ x: m, y: money(model.upper[i] ?? 0) })) },
      {
        label: `pipeline commit ${q.currency}`,
        measure: 'pipeline_commit',
        currency: q.currency,
        points: pipeline.map((row) => ({ x: row.month, y: row.commit })),
      },
      {
        label: `pipeline best case ${q.currency}`,
        measure: 'pipeline_best_case',
        currency: q.currency,
        points: pipeline.map((row) => ({ x: row.month, y: row.bestCase })),
      },
      {
        label: `pipeline weighted ${q.currency}`,
        measure: 'pipeline_weighted',
        currency: q.currency,
        points: pipeline.map((row) => ({ x: row.month, y: row.pipeline })),
      },
    ];
    return {
      asOf,
      currency: q.currency,
      model: {
        method: model.method,
        alpha: model.alpha,
        beta: model.beta,
        gamma: model.gamma,
        residualSd: Math.round(model.residualSd * 100) / 100,
        interval: 0.95,
      },
      series,
    };
  }
}
