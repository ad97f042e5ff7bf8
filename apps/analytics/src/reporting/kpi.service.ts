import { Injectable } from '@nestjs/common';
import Big from 'big.js';
import type { AccessScope, AuthUser } from '@crm/http';
import { formatAmount } from '@crm/money';
import { UNKNOWN } from '../projection/projection.domain';
import { kpiQueries, type KeyedSums, type KpiReads } from './kpi.queries';
import { rankKpiRows, type KpiRow } from './kpi-rows';
import { asOfValue } from './report.queries';
import { ReportRepository } from './report.repository';
import type { RankingMetric } from './reporting.dto';
import { userTeamScope } from './team-scope';
import { growthRate, parsePeriod, ratio, winRate, type Period } from './stats.domain';

export type { KpiRow } from './kpi-rows';

export interface KpiTable {
  asOf: string | null;
  period: Period;
  by: string;
  currency: string;
  rows: KpiRow[];
}

/** KPIs per rep or team for a period, from the daily aggregates; rankings over them. */
@Injectable()
export class KpiService {
  constructor(private readonly reports: ReportRepository) {}

  kpis(q: { period: string; currency: string; by?: 'rep' | 'team'; team?: string }, user: AuthUser): Promise<KpiTable> {
    return this.kpisInScope(q, userTeamScope(user, q.team));
  }

  /**
   * The KPI table over the rows of a scope. Incentives read it for a whole team whoever asks, so that a rank
   * (a top-N bonus) is the same for the rep and for their manager.
   */
  async kpisInScope(q: { period: string; currency: string; by?: 'rep' | 'team' }, scope: AccessScope): Promise<KpiTable> {
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
      const l = leads.get(k);
      const responded = Number(l?.responded ?? 0);
      const converted = Number(l?.converted ?? 0);
      const disqualified = Number(l?.disqualified ?? 0);
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
        leadsCaptured: Number(l?.captured ?? 0),
        leadsConverted: converted,
        leadsDisqualified: disqualified,
        // Like the win rate: of the leads decided in the period, the share converted (see the route's description).
        leadConversionRate: converted + disqualified ? ratio(new Big(converted), new Big(converted + disqualified)) : null,
        leadsAnswered: responded,
        averageResponseHours: responded ? Math.round((Number(l?.response_seconds ?? 0) / responded / 3600) * 100) / 100 : null,
        feedbackCount,
        satisfaction: feedbackCount ? Math.round((Number(f?.rating ?? 0) / feedbackCount) * 100) / 100 : null,
        complaints: Number(f?.complaints ?? 0),
      };
    });
    return { asOf, period, by, currency: q.currency, rows };
  }

  /** Reps (or teams) ranked by one KPI; the unknown/unassigned buckets are not ranked. */
  async rankings(q: { period: string; currency: string; by?: 'rep' | 'team'; metric?: RankingMetric; team?: string }, user: AuthUser) {
    const result = await this.kpis(q, user);
    const metric = q.metric ?? 'revenue';
    return { asOf: result.asOf, period: result.period, by: result.by, currency: result.currency, metric, rows: rankKpiRows(result.rows, metric) };
  }
}
