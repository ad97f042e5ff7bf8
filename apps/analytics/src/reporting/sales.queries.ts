import type { AccessScope } from '@crm/http';
import { formatAmount } from '@crm/money';
import { AS_OF_SQL, DIMENSION_COLUMN, Params, scopeFilter } from './report.queries';
import { nextDay } from './report-range';
import type { DimensionGroup, SalesQueryDto } from './reporting.dto';
import { addMonths } from './stats.domain';

const SALES_COLUMNS = `currency, region, product_line, source, rep_id, team, confirmed_amount, cancelled_amount, shipped_amount, paid_amount,
  orders_confirmed, orders_cancelled, orders_shipped`;
const TIME_GROUPS = new Set(['day', 'week', 'month', 'quarter']);

/**
 * sales_daily rows with `day` in [from, toExclusive) (from null: all history) as a subquery, the whole months
 * in the range read from sales_monthly (`day` = the month's first day) and only the ragged ends from
 * sales_daily: the same sums for any grouping coarser than a day that does not split a month (month,
 * quarter, year, a dimension). `where` is added to every part.
 */
export function salesRows(p: Params, from: string | null, toExclusive: string, where = ''): string {
  const firstMonth = from === null ? null : from.endsWith('-01') ? from : addMonths(from, 1);
  const endMonth = addMonths(toExclusive, 0);
  const daily = (start: string | null, end: string) =>
    `SELECT day, ${SALES_COLUMNS} FROM sales_daily WHERE ${start === null ? '' : `day >= ${p.add(start)}::date AND `}day < ${p.add(end)}::date${where}`;
  if (firstMonth !== null && firstMonth >= endMonth) return `(${daily(from, toExclusive)}) s`;
  const parts = [
    `SELECT month AS day, ${SALES_COLUMNS} FROM sales_monthly WHERE ${firstMonth === null ? '' : `month >= ${p.add(firstMonth)}::date AND `}month < ${p.add(endMonth)}::date${where}`,
  ];
  if (from !== null && from < (firstMonth as string)) parts.unshift(daily(from, firstMonth as string));
  if (endMonth < toExclusive) parts.push(daily(endMonth, toExclusive));
  return `(${parts.join(' UNION ALL ')}) s`;
}

/** Net bookings per month (`m`, `v` text) of one currency in [fromMonth, toMonthExclusive). */
export function monthlyRevenueSql(p: Params, currency: string, fromMonth: string | null, toMonthExclusive: string, scope: AccessScope): string {
  const where = ` AND currency = ${p.add(currency)}${scopeFilter(scope, p)}`;
  return `SELECT to_char(date_trunc('month', day), 'YYYY-MM-DD') AS m, sum(confirmed_amount - cancelled_amount)::text AS v
            FROM ${salesRows(p, fromMonth, toMonthExclusive, where)} GROUP BY 1 ORDER BY 1`;
}
export interface MonthlyRevenueRow {
  m: string;
  v: string;
}
/** Net bookings by month start, as amounts. */
export const revenueByMonth = (rows: readonly MonthlyRevenueRow[]): Map<string, string> => new Map(rows.map((r) => [r.m, formatAmount(r.v)]));

export const isTimeGroup = (groupBy: string): boolean => TIME_GROUPS.has(groupBy);

/** The sales chart's money per x and currency, with opportunity and lead counts per x. */
export interface SalesMoneyRow {
  x: string;
  currency: string;
  confirmed: string;
  cancelled: string;
  net: string;
  shipped: string;
  paid: string;
  orders: number;
  orders_cancelled: number;
  orders_shipped: number;
}
export interface SalesOppsRow {
  x: string;
  opportunities: number;
  won: number;
  lost: number;
}
export interface SalesLeadsRow {
  x: string;
  leads: number;
  qualified: number;
  converted: number;
}

/** The sales chart's independent reads (money, opportunities, leads, asOf) over [from, to], grouped by `groupBy`. */
export function salesQueries(
  q: SalesQueryDto,
  groupBy: string,
  from: string,
  to: string,
  scope: AccessScope,
): { queries: Record<'money' | 'opps' | 'leads' | 'asOf', string>; params: unknown[] } {
  // `day` is already a business day (ADR 0012): truncating a date to its ISO week, month or quarter needs no zone.
  const x = isTimeGroup(groupBy) ? `to_char(date_trunc('${groupBy}', day), 'YYYY-MM-DD')` : DIMENSION_COLUMN[groupBy as DimensionGroup];
  const where = (p: Params, withCurrency: boolean) =>
    `day >= ${p.add(from)}::date AND day <= ${p.add(to)}::date${withCurrency && q.currency ? ` AND currency = ${p.add(q.currency)}` : ''}${scopeFilter(scope, p)}`;
  const p = new Params();
  // Days and weeks cut across months: those come from the daily rows alone.
  const source =
    groupBy === 'day' || groupBy === 'week'
      ? `sales_daily WHERE ${where(p, true)}`
      : salesRows(p, from, nextDay(to), `${q.currency ? ` AND currency = ${p.add(q.currency)}` : ''}${scopeFilter(scope, p)}`);
  const queries = {
    money: `SELECT ${x} AS x, currency, sum(confirmed_amount)::text AS confirmed, sum(cancelled_amount)::text AS cancelled,
                   sum(confirmed_amount - cancelled_amount)::text AS net, sum(shipped_amount)::text AS shipped, sum(paid_amount)::text AS paid,
                   sum(orders_confirmed)::int AS orders, sum(orders_cancelled)::int AS orders_cancelled, sum(orders_shipped)::int AS orders_shipped
              FROM ${source} GROUP BY 1, 2`,
    opps: `SELECT ${x} AS x, sum(created_count)::int AS opportunities, sum(won_count)::int AS won, sum(lost_count)::int AS lost
             FROM opportunities_daily WHERE ${where(p, true)} GROUP BY 1`,
    leads: `SELECT ${x} AS x, sum(captured)::int AS leads, sum(qualified)::int AS qualified, sum(converted)::int AS converted
              FROM leads_daily WHERE ${where(p, false)} GROUP BY 1`,
    asOf: AS_OF_SQL,
  };
  return { queries, params: p.values };
}
