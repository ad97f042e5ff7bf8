import { HttpStatus, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import Big from 'big.js';
import { DataSource } from 'typeorm';
import { HttpProblemCode, ProblemException, accessScope, type AccessScope, type AuthUser } from '@crm/http';
import { formatAmount } from '@crm/money';
import { UNASSIGNED, UNKNOWN } from '../projection/projection.domain';
import { AS_OF_SQL, AnalyticsService, Params, asOfValue, queryMany, salesRows, scopeFilter } from './analytics.service';
import type { RankingMetric } from './reporting.dto';
import { growthRate, parsePeriod, rank, ratio, winRate, type Period } from './stats.domain';

export interface KpiRow {
  /** Rep id or team name. */
  key: string;
  repId: string | null;
  name: string | null;
  team: string | null;
  currency: string;
  /** Net bookings: confirmed − cancelled in the period. */
  revenue: string;
  previousRevenue: string;
  growthRate: string | null;
  paid: string;
  quota: string | null;
  attainment: string | null;
  won: number;
  lost: number;
  winRate: string | null;
  averageDealSize: string | null;
  leadsAnswered: number;
  averageResponseHours: number | null;
  feedbackCount: number;
  satisfaction: number | null;
  complaints: number;
}

type Sums = Record<string, string>;

/** KPIs per rep or team for a period, from the daily aggregates; rankings over them. */
@Injectable()
export class KpiService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly analytics: AnalyticsService,
  ) {}

  /** Measures per rep or team over a period (whole months: sales come from the monthly rollup). */
  private sumBy(p: Params, table: string, key: string, measures: string, period: Period, scope: AccessScope, extra = ''): string {
    const source = table === 'sales_daily'
      ? salesRows(p, period.start, period.end, `${extra}${scopeFilter(scope, p)}`)
      : `${table} WHERE day >= ${p.add(period.start)}::date AND day < ${p.add(period.end)}::date${extra}${scopeFilter(scope, p)}`;
    return `SELECT ${key} AS k, ${measures} FROM ${source} GROUP BY 1`;
  }

  async kpis(q: { period: string; currency: string; by?: 'rep' | 'team' }, user: AuthUser): Promise<{ asOf: string | null; period: Period; by: string; currency: string; rows: KpiRow[] }> {
    const scope = accessScope(user);
    const by = q.by ?? 'rep';
    const key = by === 'team' ? 'team' : 'rep_id';
    const period = parsePeriod(q.period);
    const previous = parsePeriod(period.previous);
    const p = new Params();
    const currency = p.add(q.currency);
    const money = `sum(confirmed_amount - cancelled_amount)::text AS revenue, sum(paid_amount)::text AS paid`;
    // Eight small independent reads: one statement, one round trip.
    const r = await queryMany(this.dataSource, {
      revenue: this.sumBy(p, 'sales_daily', key, money, period, scope, ` AND currency = ${currency}`),
      before: this.sumBy(p, 'sales_daily', key, money, previous, scope, ` AND currency = ${currency}`),
      opps: this.sumBy(p, 'opportunities_daily', key,
        `sum(won_count)::text AS won, sum(lost_count)::text AS lost, sum(won_amount) FILTER (WHERE currency = ${currency})::text AS won_amount,
         sum(won_count) FILTER (WHERE currency = ${currency})::text AS won_in_currency`, period, scope),
      leads: this.sumBy(p, 'leads_daily', key, 'sum(responded)::text AS responded, sum(response_seconds)::text AS response_seconds', period, scope),
      feedback: this.sumBy(p, 'feedback_daily', key, 'sum(feedback_count)::text AS n, sum(rating_sum)::text AS rating, sum(complaints)::text AS complaints', period, scope),
      reps: 'SELECT rep_id::text, name, team FROM reps',
      quotas: `SELECT q.rep_id::text, q.amount::text, r.team FROM quotas q LEFT JOIN reps r ON r.rep_id = q.rep_id
                WHERE q.period = ${p.add(period.label)} AND q.currency = ${currency}`,
      asOf: AS_OF_SQL,
    }, p.values);
    const byKey = (rows: Record<string, unknown>[]) => new Map((rows as (Sums & { k: string })[]).map((row) => [row.k, row]));
    const [revenue, before, opps, leads, feedback] = [byKey(r.revenue), byKey(r.before), byKey(r.opps), byKey(r.leads), byKey(r.feedback)];
    const reps = r.reps as { rep_id: string; name: string; team: string | null }[];
    const quotaRows = r.quotas as { rep_id: string; amount: string; team: string | null }[];
    const asOf = asOfValue((r.asOf[0] as { t: string | null }).t);
    const repById = new Map(reps.map((r) => [r.rep_id, r]));
    // A team's quota is the sum of its reps' quotas (team as the rep directory says now).
    const quotas = new Map<string, Big>();
    for (const r of quotaRows) {
      const k = by === 'team' ? (r.team ?? UNKNOWN) : r.rep_id;
      if (scope.kind === 'team' && (by === 'team' ? k : r.team) !== scope.team) continue;
      if (scope.kind === 'own' && r.rep_id !== scope.repId) continue;
      quotas.set(k, (quotas.get(k) ?? new Big(0)).plus(r.amount));
    }

    const keys = new Set([...revenue.keys(), ...before.keys(), ...opps.keys(), ...leads.keys(), ...feedback.keys(), ...quotas.keys()]);
    const rows = [...keys].sort().map((k): KpiRow => {
      const rev = formatAmount(revenue.get(k)?.revenue ?? '0');
      const prev = formatAmount(before.get(k)?.revenue ?? '0');
      const quota = quotas.get(k);
      const o = opps.get(k);
      const won = Number(o?.won ?? 0);
      const lost = Number(o?.lost ?? 0);
      const wonInCurrency = Number(o?.won_in_currency ?? 0);
      const responded = Number(leads.get(k)?.responded ?? 0);
      const f = feedback.get(k);
      const feedbackCount = Number(f?.n ?? 0);
      const rep = by === 'rep' ? repById.get(k) : undefined;
      return {
        key: k,
        repId: by === 'rep' ? k : null,
        name: rep?.name ?? null,
        team: by === 'team' ? k : (rep?.team ?? null),
        currency: q.currency,
        revenue: rev,
        previousRevenue: prev,
        growthRate: growthRate(rev, prev),
        paid: formatAmount(revenue.get(k)?.paid ?? '0'),
        quota: quota ? formatAmount(quota) : null,
        attainment: quota ? ratio(rev, quota) : null,
        won,
        lost,
        winRate: winRate(won, lost),
        averageDealSize: wonInCurrency ? formatAmount(new Big(o?.won_amount ?? '0').div(wonInCurrency)) : null,
        leadsAnswered: responded,
        averageResponseHours: responded ? Math.round((Number(leads.get(k)?.response_seconds ?? 0) / responded / 3600) * 100) / 100 : null,
        feedbackCount,
        satisfaction: feedbackCount ? Math.round((Number(f?.rating ?? 0) / feedbackCount) * 100) / 100 : null,
        complaints: Number(f?.complaints ?? 0),
      };
    });
    return { asOf, period, by, currency: q.currency, rows };
  }

  /** Reps (or teams) ranked by one KPI; the unknown/unassigned buckets are not ranked. */
  async rankings(q: { period: string; currency: string; by?: 'rep' | 'team'; metric?: RankingMetric }, user: AuthUser) {
    const result = await this.kpis(q, user);
    const metric = q.metric ?? 'revenue';
    const value = (r: KpiRow): number | null => {
      const n = (v: string | null) => (v === null ? null : Number(v));
      switch (metric) {
        case 'revenue': return Number(r.revenue);
        case 'growth': return n(r.growthRate);
        case 'attainment': return n(r.attainment);
        case 'winRate': return n(r.winRate);
        case 'satisfaction': return r.satisfaction;
        case 'responseTime': return r.averageResponseHours;
      }
    };
    const candidates = result.rows.filter((r) => r.key !== UNKNOWN && r.key !== UNASSIGNED);
    const rows = rank(candidates, value, metric === 'responseTime' ? 'asc' : 'desc').map((r) => ({ ...r, metric, value: value(r) }));
    return { asOf: result.asOf, period: result.period, by: result.by, currency: result.currency, metric, rows };
  }

  /** One rep's page for a manager: the KPIs, where the rep ranks among the reps the caller may see, and the monthly bookings. */
  async repReport(repId: string, q: { period: string; currency: string }, user: AuthUser) {
    const scope = accessScope(user);
    const [rep] = await this.dataSource.query('SELECT rep_id::text, name, team FROM reps WHERE rep_id = $1', [repId]);
    const visible = scope.kind === 'all' || (scope.kind === 'team' ? rep?.team === scope.team : scope.repId === repId);
    if (!visible) {
      throw new ProblemException({ status: HttpStatus.NOT_FOUND, code: HttpProblemCode.NotFound, detail: 'No such rep among the reps you may see.' });
    }
    const all = await this.kpis({ ...q, by: 'rep' }, user);
    const row = all.rows.find((r) => r.key === repId) ?? null;
    const ranks: Record<string, number | null> = {};
    for (const metric of ['revenue', 'growth', 'attainment', 'winRate', 'satisfaction', 'responseTime'] as const) {
      const ranked = await this.rankings({ ...q, by: 'rep', metric }, user);
      ranks[metric] = ranked.rows.find((r) => r.key === repId)?.rank ?? null;
    }
    const monthly = await this.analytics.monthlyRevenue(q.currency, all.period.start, all.period.end, { kind: 'own', repId });
    const months: string[] = [];
    for (let m = all.period.start; m < all.period.end; m = new Date(Date.UTC(Number(m.slice(0, 4)), Number(m.slice(5, 7)), 1)).toISOString().slice(0, 10)) months.push(m);
    return {
      asOf: all.asOf,
      period: all.period,
      currency: q.currency,
      repId,
      name: rep?.name ?? null,
      team: rep?.team ?? null,
      kpis: row,
      ranks,
      rankedAmong: all.rows.filter((r) => r.key !== UNKNOWN && r.key !== UNASSIGNED).length,
      series: [{ label: `revenue ${q.currency}`, measure: 'revenue', currency: q.currency, points: months.map((m) => ({ x: m, y: monthly.get(m) ?? '0.00' })) }],
    };
  }
}
