import { Injectable } from '@nestjs/common';
import { BusinessCalendar } from '@crm/calendar';
import type { AccessScope, AuthUser } from '@crm/http';
import { formatAmount } from '@crm/money';
import { Params, asOfValue, type AsOfRow } from './report.queries';
import { ReportRepository } from './report.repository';
import { reportRange, timeBuckets } from './report-range';
import { userTeamScope } from './team-scope';
import type { SalesQueryDto, TimeGroup } from './reporting.dto';
import {
  isTimeGroup,
  monthlyRevenueSql,
  revenueByMonth,
  salesQueries,
  type MonthlyRevenueRow,
  type SalesLeadsRow,
  type SalesMoneyRow,
  type SalesOppsRow,
} from './sales.queries';
import type { SalesResult, Series } from './views';

const amount = (v: string | null | undefined) => formatAmount(v ?? '0');

/** The sales chart and monthly net bookings. Every answer carries `asOf`: the time of the last event applied. */
@Injectable()
export class SalesReportService {
  constructor(
    private readonly reports: ReportRepository,
    private readonly calendar: BusinessCalendar,
  ) {}

  async sales(q: SalesQueryDto, user: AuthUser): Promise<SalesResult> {
    const { from, to } = reportRange(q, this.calendar);
    const groupBy = q.groupBy ?? 'month';
    const { queries, params } = salesQueries(q, groupBy, from, to, userTeamScope(user, q.team));
    // Independent reads: one statement, one round trip.
    const r = await this.reports.many<{ money: SalesMoneyRow[]; opps: SalesOppsRow[]; leads: SalesLeadsRow[]; asOf: AsOfRow[] }>(queries, params);
    const { money, opps, leads } = r;
    const asOf = asOfValue(r.asOf[0].t);

    const xs = isTimeGroup(groupBy) ? timeBuckets(groupBy as TimeGroup, from, to) : [...new Set([...money, ...opps, ...leads].map((row) => row.x))].sort();
    const series: Series[] = [];
    const currencies = [...new Set(money.map((row) => row.currency))].sort();
    for (const currency of currencies) {
      const rows = new Map(money.filter((row) => row.currency === currency).map((row) => [row.x, row]));
      for (const measure of ['confirmed', 'cancelled', 'net', 'shipped', 'paid'] as const) {
        series.push({ label: `${measure} ${currency}`, measure, currency, points: xs.map((v) => ({ x: v, y: amount(rows.get(v)?.[measure]) })) });
      }
      for (const measure of ['orders', 'orders_cancelled', 'orders_shipped'] as const) {
        series.push({ label: `${measure} ${currency}`, measure, currency, points: xs.map((v) => ({ x: v, y: rows.get(v)?.[measure] ?? 0 })) });
      }
    }
    const counts = <R extends { x: string }>(rows: readonly R[], measures: readonly (keyof R & string)[]) => {
      const byX = new Map(rows.map((row) => [row.x, row]));
      for (const measure of measures)
        series.push({ label: measure, measure, currency: null, points: xs.map((v) => ({ x: v, y: Number(byX.get(v)?.[measure] ?? 0) })) });
    };
    counts(leads, ['leads', 'qualified', 'converted']);
    counts(opps, ['opportunities', 'won', 'lost']);
    return { asOf, groupBy, from, to, series };
  }

  /** Net bookings (confirmed − cancelled) per month for one currency, from the monthly rollup (month-aligned bounds). */
  async monthlyRevenue(currency: string, fromMonth: string | null, toMonthExclusive: string, scope: AccessScope): Promise<Map<string, string>> {
    const p = new Params();
    const sql = monthlyRevenueSql(p, currency, fromMonth, toMonthExclusive, scope);
    return revenueByMonth(await this.reports.rows<MonthlyRevenueRow>({ sql, params: p.values }));
  }
}
