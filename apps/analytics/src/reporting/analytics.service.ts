import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import Big from 'big.js';
import { DataSource } from 'typeorm';
import { accessScope, type AccessScope, type AuthUser } from '@crm/http';
import { formatAmount } from '@crm/money';
import { FUNNEL_STAGES } from '../projection/projection.domain';
import {
  addMonths, forecastSeries, median, p90, parsePeriod, pipelineForecast, ratio, type ForecastCategory,
} from './stats.domain';
import type {
  CycleTimeRow, FunnelResult, PipelineResult, SalesResult, Series,
} from './views';
import type { DimensionGroup, FunnelQueryDto, PipelineQueryDto, SalesQueryDto, TimeGroup } from './reporting.dto';

export const DIMENSION_COLUMN: Record<DimensionGroup | 'stage' | 'category', string> = {
  region: 'region', product: 'product_line', source: 'source', rep: 'rep_id', team: 'team', stage: 'stage', category: 'category',
};
const TIME_GROUPS = new Set(['day', 'week', 'month', 'quarter']);

/** Collects SQL parameters and hands out their $n placeholders. */
export class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** The rows a caller may see in an aggregate table (every one carries rep_id and team). */
export function scopeFilter(scope: AccessScope, p: Params, alias = ''): string {
  const col = (c: string) => (alias ? `${alias}.${c}` : c);
  if (scope.kind === 'team') return ` AND ${col('team')} = ${p.add(scope.team)}`;
  if (scope.kind === 'own') return ` AND ${col('rep_id')} = ${p.add(scope.repId)}`;
  return '';
}

const SALES_COLUMNS = `currency, region, product_line, source, rep_id, team, confirmed_amount, cancelled_amount, shipped_amount, paid_amount,
  orders_confirmed, orders_cancelled, orders_shipped`;

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

/**
 * Several independent row sets in one statement and one round trip (one plan, one backend) instead of a
 * query each: every query's rows come back as a JSON array, so select text for money, not numeric.
 */
export async function queryMany<K extends string>(dataSource: DataSource, queries: Record<K, string>, params: unknown[]): Promise<Record<K, Record<string, unknown>[]>> {
  const columns = Object.entries<string>(queries).map(([name, sql]) => `(SELECT coalesce(json_agg(rows_), '[]') FROM (${sql}) rows_) AS "${name}"`);
  const [row] = await dataSource.query(`SELECT ${columns.join(', ')}`, params);
  return row;
}

/** The time of the last event applied (`asOf`), as a row set `[{ t }]`. */
export const AS_OF_SQL = 'SELECT max(last_event_time) AS t FROM analytics_watermark';
export const asOfValue = (t: string | Date | null | undefined): string | null => (t ? new Date(t).toISOString() : null);

/** Net bookings per month (`m`, `v` text) of one currency in [fromMonth, toMonthExclusive). */
function monthlyRevenueSql(p: Params, currency: string, fromMonth: string | null, toMonthExclusive: string, scope: AccessScope): string {
  const where = ` AND currency = ${p.add(currency)}${scopeFilter(scope, p)}`;
  return `SELECT to_char(date_trunc('month', day), 'YYYY-MM-DD') AS m, sum(confirmed_amount - cancelled_amount)::text AS v
            FROM ${salesRows(p, fromMonth, toMonthExclusive, where)} GROUP BY 1 ORDER BY 1`;
}
const revenueByMonth = (rows: { m: string; v: string }[]) => new Map(rows.map((r) => [r.m, formatAmount(r.v)]));

const today = () => new Date().toISOString().slice(0, 10);
const nextDay = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
const amount = (v: string | null | undefined) => formatAmount(v ?? '0');

/** Every bucket start of a time grouping between two dates, so a chart gets a point for each. */
export function timeBuckets(group: TimeGroup, from: string, to: string): string[] {
  const start = new Date(`${from}T00:00:00Z`);
  if (group === 'week') start.setUTCDate(start.getUTCDate() - ((start.getUTCDay() + 6) % 7));
  if (group === 'month' || group === 'quarter') start.setUTCDate(1);
  if (group === 'quarter') start.setUTCMonth(start.getUTCMonth() - (start.getUTCMonth() % 3));
  const out: string[] = [];
  for (const d = start; d.toISOString().slice(0, 10) <= to && out.length < 5000; ) {
    out.push(d.toISOString().slice(0, 10));
    if (group === 'day') d.setUTCDate(d.getUTCDate() + 1);
    else if (group === 'week') d.setUTCDate(d.getUTCDate() + 7);
    else d.setUTCMonth(d.getUTCMonth() + (group === 'month' ? 1 : 3));
  }
  return out;
}

/** Read side of the aggregates. Every answer carries `asOf`: the time of the last event applied. */
@Injectable()
export class AnalyticsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async asOf(): Promise<string | null> {
    const [row] = await this.dataSource.query(AS_OF_SQL);
    return asOfValue(row?.t);
  }

  range(q: { from?: string; to?: string }): { from: string; to: string } {
    const to = q.to ?? today();
    const from = q.from ?? addMonths(to, -11);
    return { from, to };
  }

  async sales(q: SalesQueryDto, user: AuthUser): Promise<SalesResult> {
    const scope = accessScope(user);
    const { from, to } = this.range(q);
    const groupBy = q.groupBy ?? 'month';
    const isTime = TIME_GROUPS.has(groupBy);
    const x = isTime ? `to_char(date_trunc('${groupBy}', day), 'YYYY-MM-DD')` : DIMENSION_COLUMN[groupBy as DimensionGroup];
    const where = (p: Params, withCurrency: boolean) =>
      `day >= ${p.add(from)}::date AND day <= ${p.add(to)}::date${withCurrency && q.currency ? ` AND currency = ${p.add(q.currency)}` : ''}${scopeFilter(scope, p)}`;

    const p = new Params();
    // Days and weeks cut across months: those come from the daily rows alone.
    const source = groupBy === 'day' || groupBy === 'week'
      ? `sales_daily WHERE ${where(p, true)}`
      : salesRows(p, from, nextDay(to), `${q.currency ? ` AND currency = ${p.add(q.currency)}` : ''}${scopeFilter(scope, p)}`);
    // Independent reads: one statement, one round trip.
    const r = await queryMany(this.dataSource, {
      money: `SELECT ${x} AS x, currency, sum(confirmed_amount)::text AS confirmed, sum(cancelled_amount)::text AS cancelled,
                     sum(confirmed_amount - cancelled_amount)::text AS net, sum(shipped_amount)::text AS shipped, sum(paid_amount)::text AS paid,
                     sum(orders_confirmed)::int AS orders, sum(orders_cancelled)::int AS orders_cancelled, sum(orders_shipped)::int AS orders_shipped
                FROM ${source} GROUP BY 1, 2`,
      opps: `SELECT ${x} AS x, sum(created_count)::int AS opportunities, sum(won_count)::int AS won, sum(lost_count)::int AS lost
               FROM opportunities_daily WHERE ${where(p, true)} GROUP BY 1`,
      leads: `SELECT ${x} AS x, sum(captured)::int AS leads, sum(qualified)::int AS qualified, sum(converted)::int AS converted
                FROM leads_daily WHERE ${where(p, false)} GROUP BY 1`,
      asOf: AS_OF_SQL,
    }, p.values);
    const money = r.money as { x: string; currency: string; [measure: string]: string | number }[];
    const opps = r.opps as Record<string, string | number>[];
    const leads = r.leads as Record<string, string | number>[];
    const asOf = asOfValue((r.asOf[0] as { t: string | null }).t);

    const xs = isTime ? timeBuckets(groupBy as TimeGroup, from, to) : [...new Set([...money, ...opps, ...leads].map((r) => r.x as string))].sort();
    const series: Series[] = [];
    const currencies = [...new Set(money.map((r) => r.currency))].sort();
    for (const currency of currencies) {
      const rows = new Map(money.filter((r) => r.currency === currency).map((r) => [r.x, r]));
      for (const measure of ['confirmed', 'cancelled', 'net', 'shipped', 'paid'] as const) {
        series.push({ label: `${measure} ${currency}`, measure, currency, points: xs.map((v) => ({ x: v, y: amount(rows.get(v)?.[measure] as string | undefined) })) });
      }
      for (const [measure, column] of [['orders', 'orders'], ['orders_cancelled', 'orders_cancelled'], ['orders_shipped', 'orders_shipped']] as const) {
        series.push({ label: `${measure} ${currency}`, measure, currency, points: xs.map((v) => ({ x: v, y: (rows.get(v)?.[column] as number | undefined) ?? 0 })) });
      }
    }
    const counts = (rows: Record<string, number | string>[], measures: string[]) => {
      const byX = new Map(rows.map((r) => [r.x as string, r]));
      for (const measure of measures) series.push({ label: measure, measure, currency: null, points: xs.map((v) => ({ x: v, y: Number(byX.get(v)?.[measure] ?? 0) })) });
    };
    counts(leads, ['leads', 'qualified', 'converted']);
    counts(opps, ['opportunities', 'won', 'lost']);
    return { asOf, groupBy, from, to, series };
  }

  async funnel(q: FunnelQueryDto, user: AuthUser): Promise<FunnelResult> {
    const scope = accessScope(user);
    const { from, to } = this.range(q);
    const groupBy = q.groupBy ?? 'none';
    const p = new Params();
    const group = groupBy === 'none' ? `'all'` : DIMENSION_COLUMN[groupBy];
    const pointInTime = q.asOf ? ` AND reached_day <= ${p.add(q.asOf)}::date` : '';
    const rows: { g: string; stage: string; n: number }[] = await this.dataSource.query(
      `SELECT ${group} AS g, stage, sum(leads)::int AS n FROM funnel_daily
        WHERE cohort_day >= ${p.add(from)}::date AND cohort_day <= ${p.add(to)}::date${pointInTime}${scopeFilter(scope, p)}
        GROUP BY 1, 2`,
      p.values,
    );
    const groups = [...new Set(rows.map((r) => r.g))].sort();
    if (!groups.length) groups.push('all');
    const series = groups.map((g) => {
      const counts = FUNNEL_STAGES.map((stage) => rows.find((r) => r.g === g && r.stage === stage)?.n ?? 0);
      return {
        label: g, measure: 'leads', currency: null,
        points: FUNNEL_STAGES.map((stage, i) => ({
          x: stage, y: counts[i],
          rate: i === 0 ? null : ratio(new Big(counts[i]), new Big(counts[i - 1])),
          rateFromStart: i === 0 ? null : ratio(new Big(counts[i]), new Big(counts[0])),
        })),
      };
    });
    return { asOf: await this.asOf(), pointInTime: q.asOf ?? null, from, to, series };
  }

  async pipeline(q: PipelineQueryDto, user: AuthUser): Promise<PipelineResult> {
    const scope = accessScope(user);
    const group = DIMENSION_COLUMN[q.groupBy ?? 'stage'];
    const p = new Params();
    const currency = q.currency ? ` AND currency = ${p.add(q.currency)}` : '';
    let rows: { g: string; currency: string; n: number; amount: string; weighted: string }[];
    if (q.asOf) {
      // From the stage history: the interval each opportunity was in at the end of that day.
      const end = p.add(nextDay(q.asOf));
      const categoryExpr = `CASE WHEN win_probability >= 0.8 OR lower(stage) = 'contract' THEN 'commit' WHEN win_probability >= 0.5 THEN 'best_case' ELSE 'pipeline' END`;
      rows = await this.dataSource.query(
        `SELECT ${group === 'category' ? categoryExpr : group} AS g, currency, count(*)::int AS n, sum(amount)::text AS amount, sum(weighted_amount)::text AS weighted
           FROM opportunity_stage_intervals
          WHERE status = 'open' AND valid_from < ${end}::timestamptz AND (valid_to IS NULL OR valid_to >= ${end}::timestamptz)${currency}${scopeFilter(scope, p)}
          GROUP BY 1, 2`,
        p.values,
      );
    } else {
      rows = await this.dataSource.query(
        `SELECT ${group} AS g, currency, sum(opportunities)::int AS n, sum(amount)::text AS amount, sum(weighted_amount)::text AS weighted
           FROM pipeline_open WHERE opportunities <> 0${currency}${scopeFilter(scope, p)} GROUP BY 1, 2 HAVING sum(opportunities) <> 0`,
        p.values,
      );
    }
    // Stages in pipeline order, as far as the figures tell it: by their weighted/raw ratio (the win probability).
    const order = new Map<string, Big>();
    for (const r of rows) {
      const acc = order.get(r.g) ?? new Big(0);
      order.set(r.g, acc.plus(new Big(r.amount).eq(0) ? 0 : new Big(r.weighted).div(r.amount)));
    }
    const byStage = (q.groupBy ?? 'stage') === 'stage';
    const xs = [...order.entries()]
      .sort(([a, pa], [b, pb]) => (byStage ? pa.cmp(pb) : 0) || a.localeCompare(b))
      .map(([x]) => x);
    const series: Series[] = [];
    for (const c of [...new Set(rows.map((r) => r.currency))].sort()) {
      const byX = new Map(rows.filter((r) => r.currency === c).map((r) => [r.g, r]));
      series.push({ label: `amount ${c}`, measure: 'amount', currency: c, points: xs.map((x) => ({ x, y: amount(byX.get(x)?.amount) })) });
      series.push({ label: `weighted ${c}`, measure: 'weighted', currency: c, points: xs.map((x) => ({ x, y: amount(byX.get(x)?.weighted) })) });
      series.push({ label: `opportunities ${c}`, measure: 'opportunities', currency: c, points: xs.map((x) => ({ x, y: byX.get(x)?.n ?? 0 })) });
    }
    return { asOf: await this.asOf(), pointInTime: q.asOf ?? null, groupBy: q.groupBy ?? 'stage', series };
  }

  async cycleTime(q: { from?: string; to?: string }, user: AuthUser): Promise<{ asOf: string | null; from: string; to: string; rows: CycleTimeRow[] }> {
    const scope = accessScope(user);
    const { from, to } = this.range(q);
    const factScope = (p: Params, rep: string, team: string) =>
      scope.kind === 'own' ? ` AND ${rep} = ${p.add(scope.repId)}` : scope.kind === 'team' ? ` AND ${team} = ${p.add(scope.team)}` : '';
    const seconds = async (sql: (p: Params, end: string, start: string) => string) => {
      const p = new Params();
      const start = p.add(from);
      const end = p.add(nextDay(to));
      const rows: { s: string }[] = await this.dataSource.query(sql(p, `${end}::timestamptz`, `${start}::timestamptz`), p.values);
      return rows.map((r) => Number(r.s));
    };
    const leadToWon = await seconds((p, end, start) =>
      `SELECT EXTRACT(EPOCH FROM o.won_at - l.captured_at) AS s FROM opportunity_facts o JOIN lead_facts l ON l.lead_id = o.lead_id
         LEFT JOIN reps r ON r.rep_id = o.rep_id
        WHERE o.status = 'won' AND o.won_at >= ${start} AND o.won_at < ${end} AND l.captured_at IS NOT NULL${factScope(p, 'o.rep_id::text', 'COALESCE(o.team, r.team)')}`);
    const wonToPaid = await seconds((p, end, start) =>
      `SELECT EXTRACT(EPOCH FROM paid.at - o.won_at) AS s FROM opportunity_facts o JOIN order_facts f ON f.opportunity_id = o.opportunity_id
         JOIN LATERAL (SELECT min(received_at) AS at FROM payment_facts WHERE order_id = f.order_id AND outstanding = 0) paid ON paid.at IS NOT NULL
         LEFT JOIN reps r ON r.rep_id = o.rep_id
        WHERE o.won_at IS NOT NULL AND paid.at >= ${start} AND paid.at < ${end}${factScope(p, 'o.rep_id::text', 'COALESCE(o.team, r.team)')}`);
    const response = await seconds((p, end, start) =>
      `SELECT EXTRACT(EPOCH FROM l.first_follow_up_at - l.captured_at) AS s FROM lead_facts l LEFT JOIN reps r ON r.rep_id = l.rep_id
        WHERE l.captured_at >= ${start} AND l.captured_at < ${end} AND l.first_follow_up_at IS NOT NULL${factScope(p, 'l.rep_id::text', 'COALESCE(l.team, r.team)')}`);
    const hours = (v: number | null) => (v === null ? null : Math.round((v / 3600) * 100) / 100);
    const row = (metric: CycleTimeRow['metric'], values: number[]): CycleTimeRow => ({
      metric, count: values.length, medianHours: hours(median(values)), p90Hours: hours(p90(values)),
    });
    return {
      asOf: await this.asOf(), from, to,
      rows: [row('lead_captured_to_won', leadToWon), row('won_to_paid', wonToPaid), row('lead_response', response)],
    };
  }

  /** Net bookings (confirmed − cancelled) per month for one currency, from the monthly rollup (month-aligned bounds). */
  async monthlyRevenue(currency: string, fromMonth: string | null, toMonthExclusive: string, scope: AccessScope): Promise<Map<string, string>> {
    const p = new Params();
    const rows: { m: string; v: string }[] = await this.dataSource.query(monthlyRevenueSql(p, currency, fromMonth, toMonthExclusive, scope), p.values);
    return revenueByMonth(rows);
  }

  /**
   * (a) time-series forecast of monthly net bookings (Holt-Winters additive when 24+ months of history)
   * with a 95 % interval, and (b) the pipeline forecast by expected close month.
   */
  async forecast(q: { horizon: number; currency: string; historyEnd?: string }, user: AuthUser) {
    const scope = accessScope(user);
    const lastMonth = q.historyEnd ? `${q.historyEnd}-01` : addMonths(today(), -1);
    const firstForecast = addMonths(lastMonth, 1);
    const p = new Params();
    // Independent reads: one statement, one round trip.
    const r = await queryMany(this.dataSource, {
      history: monthlyRevenueSql(p, q.currency, null, firstForecast, scope),
      deals: `SELECT close_month::text AS close_month, category, sum(amount)::text AS amount, sum(weighted_amount)::text AS weighted
                FROM pipeline_open WHERE currency = ${p.add(q.currency)}${scopeFilter(scope, p)} GROUP BY 1, 2`,
      asOf: AS_OF_SQL,
    }, p.values);
    // Months in order whatever order the rows came in (json_agg keeps no ORDER BY promise).
    const history = revenueByMonth((r.history as { m: string; v: string }[]).sort((a, b) => a.m.localeCompare(b.m)));
    const deals = r.deals as { close_month: string; category: ForecastCategory; amount: string; weighted: string }[];
    const asOf = asOfValue((r.asOf[0] as { t: string | null }).t);
    const months: string[] = [];
    if (history.size) for (let m = [...history.keys()][0]; m <= lastMonth; m = addMonths(m, 1)) months.push(m);
    const values = months.map((m) => Number(history.get(m) ?? '0'));
    const model = forecastSeries(values, q.horizon);
    const ahead = Array.from({ length: q.horizon }, (_, i) => addMonths(firstForecast, i));
    const money = (v: number) => formatAmount(new Big(v.toFixed(4)));

    const pipeline = pipelineForecast(deals.map((d) => ({ closeMonth: d.close_month, category: d.category, amount: d.amount, weighted: d.weighted })), ahead);
    const series: Series[] = [
      { label: `actual ${q.currency}`, measure: 'actual', currency: q.currency, points: months.map((m, i) => ({ x: m, y: money(values[i]) })) },
      { label: `forecast ${q.currency}`, measure: 'forecast', currency: q.currency, points: ahead.map((m, i) => ({ x: m, y: money(model.forecast[i] ?? 0) })) },
      { label: `lower 95% ${q.currency}`, measure: 'lower', currency: q.currency, points: ahead.map((m, i) => ({ x: m, y: money(model.lower[i] ?? 0) })) },
      { label: `upper 95% ${q.currency}`, measure: 'upper', currency: q.currency, points: ahead.map((m, i) => ({ x: m, y: money(model.upper[i] ?? 0) })) },
      { label: `pipeline commit ${q.currency}`, measure: 'pipeline_commit', currency: q.currency, points: pipeline.map((r) => ({ x: r.month, y: r.commit })) },
      { label: `pipeline best case ${q.currency}`, measure: 'pipeline_best_case', currency: q.currency, points: pipeline.map((r) => ({ x: r.month, y: r.bestCase })) },
      { label: `pipeline weighted ${q.currency}`, measure: 'pipeline_weighted', currency: q.currency, points: pipeline.map((r) => ({ x: r.month, y: r.pipeline })) },
    ];
    return {
      asOf,
      currency: q.currency,
      model: { method: model.method, alpha: model.alpha, beta: model.beta, gamma: model.gamma, residualSd: Math.round(model.residualSd * 100) / 100, interval: 0.95 },
      series,
    };
  }

  /** Convenience for KPIs: a period's boundaries and the one before. */
  periods(period: string) {
    const current = parsePeriod(period);
    return { current, previous: parsePeriod(current.previous) };
  }
}
