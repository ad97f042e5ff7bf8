import { Injectable } from '@nestjs/common';
import Big from 'big.js';
import { DomainError } from '@crm/domain';
import { accessScope, type AuthUser } from '@crm/http';
import { formatAmount } from '@crm/money';
import { UNASSIGNED, UNKNOWN } from '../projection/projection.domain';
import { kpiQueries, repSql, type KeyedSums, type KpiReads, type RepRef } from './kpi.queries';
import { asOfValue } from './report.queries';
import { ReportRepository } from './report.repository';
import { monthsBetween } from './report-range';
import { SalesReportService } from './sales-report.service';
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

/** KPIs per rep or team for a period, from the daily aggregates; rankings over them. */
@Injectable()
export class KpiService {
  constructor(
    private readonly reports: ReportRepository,
    private readonly sales: SalesReportService,
  ) {}

  async kpis(
    q: { period: string; currency: string; by?: 'rep' | 'team' },
    user: AuthUser,
  ): Promise<{ asOf: string | null; period: Period; by: string; currency: string; rows: KpiRow[] }> {
    const scope = accessScope(user);
    const by = q.by ?? 'rep';
    const period = parsePeriod(q.period);
    const previous = parsePeriod(period.previous);
    const { queries, params } = kpiQueries(by, q.currency, period, previous, scope);
    // Eight small independent reads: one statement, one round trip.
    const r = await this.reports.many<KpiReads>(queries, params);
    const byKey = (rows: KeyedSums[]) => new Map(rows.map((row) => [row.k, row]));
    const [revenue, before, opps, leads, feedback] = [byKey(r.revenue), byKey(r.before), byKey(r.opps), byKey(r.leads), byKey(r.feedback)];
    const asOf = asOfValue(r.asOf[0].t);
    const repById = new Map(r.reps.map((rep) => [rep.rep_id, rep]));
    // A team's quota is the sum of its reps' quotas (team as the rep directory says now).
    const quotas = new Map<string, Big>();
    for (const row of r.quotas) {
      const k = by === 'team' ? (row.team ?? UNKNOWN) : row.rep_id;
      if (scope.kind === 'team' && (by === 'team' ? k : row.team) !== scope.team) continue;
      if (scope.kind === 'own' && row.rep_id !== scope.repId) continue;
      quotas.set(k, (quotas.get(k) ?? new Big(0)).plus(row.amount));
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
        case 'revenue':
          return Number(r.revenue);
        case 'growth':
          return n(r.growthRate);
        case 'attainment':
          return n(r.attainment);
        case 'winRate':
          return n(r.winRate);
        case 'satisfaction':
          return r.satisfaction;
        case 'responseTime':
          return r.averageResponseHours;
      }
    };
    const candidates = result.rows.filter((r) => r.key !== UNKNOWN && r.key !== UNASSIGNED);
    const rows = rank(candidates, value, metric === 'responseTime' ? 'asc' : 'desc').map((r) => ({ ...r, metric, value: value(r) }));
    return { asOf: result.asOf, period: result.period, by: result.by, currency: result.currency, metric, rows };
  }

  /** One rep's page for a manager: the KPIs, where the rep ranks among the reps the caller may see, and the monthly bookings. */
  async repReport(repId: string, q: { period: string; currency: string }, user: AuthUser) {
    const scope = accessScope(user);
    const [rep] = await this.reports.rows<RepRef>(repSql(repId));
    const visible = scope.kind === 'all' || (scope.kind === 'team' ? rep?.team === scope.team : scope.repId === repId);
    if (!visible) throw new DomainError({ kind: 'not_found', detail: 'No such rep among the reps you may see.' });
    const all = await this.kpis({ ...q, by: 'rep' }, user);
    const row = all.rows.find((r) => r.key === repId) ?? null;
    const ranks: Record<string, number | null> = {};
    for (const metric of ['revenue', 'growth', 'attainment', 'winRate', 'satisfaction', 'responseTime'] as const) {
      const ranked = await this.rankings({ ...q, by: 'rep', metric }, user);
      ranks[metric] = ranked.rows.find((r) => r.key === repId)?.rank ?? null;
    }
    const monthly = await this.sales.monthlyRevenue(q.currency, all.period.start, all.period.end, { kind: 'own', repId });
    const months = monthsBetween(all.period.start, all.period.end);
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
      series: [
        { label: `revenue ${q.currency}`, measure: 'revenue', currency: q.currency, points: months.map((m) => ({ x: m, y: monthly.get(m) ?? '0.00' })) },
      ],
    };
  }
}
