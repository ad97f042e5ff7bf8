import type { AccessScope } from '@crm/http';
import { AS_OF_SQL, Params, scopeFilter } from './report.queries';
import { salesRows } from './sales.queries';
import type { Period } from './stats.domain';

/** Measures per rep or team over a period (whole months: sales come from the monthly rollup). */
function sumBy(p: Params, table: string, key: string, measures: string, period: Period, scope: AccessScope, extra = ''): string {
  const source =
    table === 'sales_daily'
      ? salesRows(p, period.start, period.end, `${extra}${scopeFilter(scope, p)}`)
      : `${table} WHERE day >= ${p.add(period.start)}::date AND day < ${p.add(period.end)}::date${extra}${scopeFilter(scope, p)}`;
  return `SELECT ${key} AS k, ${measures} FROM ${source} GROUP BY 1`;
}

/** Sums per key (rep id or team) as text, as the KPI reads return them. */
export type KeyedSums = { k: string } & Record<string, string | undefined>;

export interface KpiReads {
  revenue: KeyedSums[];
  before: KeyedSums[];
  opps: KeyedSums[];
  leads: KeyedSums[];
  feedback: KeyedSums[];
  reps: { rep_id: string; name: string; team: string | null }[];
  quotas: { rep_id: string; amount: string; team: string | null }[];
  asOf: { t: string | null }[];
}

/** The KPI table's eight small independent reads for a period (and the one before it), per rep or team. */
export function kpiQueries(
  by: 'rep' | 'team',
  currency: string,
  period: Period,
  previous: Period,
  scope: AccessScope,
): { queries: Record<keyof KpiReads, string>; params: unknown[] } {
  const key = by === 'team' ? 'team' : 'rep_id';
  const p = new Params();
  const cur = p.add(currency);
  const money = `sum(confirmed_amount - cancelled_amount)::text AS revenue, sum(paid_amount)::text AS paid`;
  const queries = {
    revenue: sumBy(p, 'sales_daily', key, money, period, scope, ` AND currency = ${cur}`),
    before: sumBy(p, 'sales_daily', key, money, previous, scope, ` AND currency = ${cur}`),
    opps: sumBy(
      p,
      'opportunities_daily',
      key,
      `sum(won_count)::text AS won, sum(lost_count)::text AS lost, sum(won_amount) FILTER (WHERE currency = ${cur})::text AS won_amount,
       sum(won_count) FILTER (WHERE currency = ${cur})::text AS won_in_currency`,
      period,
      scope,
    ),
    leads: sumBy(
      p,
      'leads_daily',
      key,
      `sum(responded)::text AS responded, sum(response_seconds)::text AS response_seconds, sum(captured)::text AS captured,
       sum(converted)::text AS converted, sum(disqualified)::text AS disqualified`,
      period,
      scope,
    ),
    feedback: sumBy(
      p,
      'feedback_daily',
      key,
      'sum(feedback_count)::text AS n, sum(rating_sum)::text AS rating, sum(complaints)::text AS complaints',
      period,
      scope,
    ),
    reps: 'SELECT rep_id::text, name, team FROM reps',
    quotas: `SELECT q.rep_id::text, q.amount::text, r.team FROM quotas q LEFT JOIN reps r ON r.rep_id = q.rep_id
              WHERE q.period = ${p.add(period.label)} AND q.currency = ${cur}`,
    asOf: AS_OF_SQL,
  };
  return { queries, params: p.values };
}

export interface RepRef {
  rep_id: string;
  name: string;
  team: string | null;
}
export const repSql = (repId: string) => ({ sql: 'SELECT rep_id::text, name, team FROM reps WHERE rep_id = $1', params: [repId] });
