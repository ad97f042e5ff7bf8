import { UNASSIGNED, UNKNOWN } from '../projection/projection.domain';
import type { RankingMetric } from './reporting.dto';
import { rank } from './stats.domain';

/** One rep's (or team's) KPIs for a period, in one currency: what the scorecard, the rankings and the incentives read. */
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
  leadsCaptured: number;
  leadsConverted: number;
  leadsDisqualified: number;
  /** Converted / (converted + disqualified) of the leads decided in the period; null when none was decided. */
  leadConversionRate: string | null;
  leadsAnswered: number;
  averageResponseHours: number | null;
  feedbackCount: number;
  satisfaction: number | null;
  complaints: number;
}

/** The value a ranking by `metric` orders on; null when the row has none (then it is not ranked). */
export function kpiMetricValue(row: KpiRow, metric: RankingMetric): number | null {
  const n = (v: string | null) => (v === null ? null : Number(v));
  switch (metric) {
    case 'revenue':
      return Number(row.revenue);
    case 'growth':
      return n(row.growthRate);
    case 'attainment':
      return n(row.attainment);
    case 'winRate':
      return n(row.winRate);
    case 'leadConversion':
      return n(row.leadConversionRate);
    case 'satisfaction':
      return row.satisfaction;
    case 'responseTime':
      return row.averageResponseHours;
  }
}

/** The rows that can be ranked: the `unknown` / `unassigned` buckets are not a rep or a team. */
export const rankable = (rows: readonly KpiRow[]): KpiRow[] => rows.filter((r) => r.key !== UNKNOWN && r.key !== UNASSIGNED);

/** Competition ranking by one KPI (ties share a rank); response time ranks the fastest first, the others the highest. */
export function rankKpiRows(rows: readonly KpiRow[], metric: RankingMetric): (KpiRow & { rank: number | null; metric: RankingMetric; value: number | null })[] {
  const value = (r: KpiRow) => kpiMetricValue(r, metric);
  return rank(rankable(rows), value, metric === 'responseTime' ? 'asc' : 'desc').map((r) => ({ ...r, metric, value: value(r) }));
}
