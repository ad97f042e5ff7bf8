import type { BusinessCalendar } from '@crm/calendar';
import type { AccessScope } from '@crm/http';
import type { ForecastCategory } from '../projection/deal-value';
import { DIMENSION_COLUMN, Params, factScopeFilter, scopeFilter, type Sql } from './report.queries';
import type { FunnelQueryDto, PipelineQueryDto } from './reporting.dto';

export interface FunnelRow {
  g: string;
  stage: string;
  n: number;
}

/** Leads of the capture cohorts [from, to] per group and funnel stage (only stages reached by `asOf` when given). */
export function funnelSql(q: FunnelQueryDto, from: string, to: string, scope: AccessScope): Sql {
  const groupBy = q.groupBy ?? 'none';
  const p = new Params();
  const group = groupBy === 'none' ? `'all'` : DIMENSION_COLUMN[groupBy];
  const pointInTime = q.asOf ? ` AND reached_day <= ${p.add(q.asOf)}::date` : '';
  const sql = `SELECT ${group} AS g, stage, sum(leads)::int AS n FROM funnel_daily
        WHERE cohort_day >= ${p.add(from)}::date AND cohort_day <= ${p.add(to)}::date${pointInTime}${scopeFilter(scope, p)}
        GROUP BY 1, 2`;
  return { sql, params: p.values };
}

export interface PipelineRow {
  g: string;
  currency: string;
  n: number;
  amount: string;
  weighted: string;
}

/**
 * Open deals per group and currency: now from pipeline_open, or from the stage history as they stood at the end
 * of the business day `asOf` (midnight in the business time zone).
 */
export function pipelineSql(q: PipelineQueryDto, scope: AccessScope, calendar: BusinessCalendar): Sql {
  const group = DIMENSION_COLUMN[q.groupBy ?? 'stage'];
  const p = new Params();
  const currency = q.currency ? ` AND currency = ${p.add(q.currency)}` : '';
  if (q.asOf) {
    // From the stage history: the interval each opportunity was in at the end of that day.
    const end = p.add(calendar.endOfDay(q.asOf).toISOString());
    const categoryExpr = `CASE WHEN win_probability >= 0.8 OR lower(stage) = 'contract' THEN 'commit' WHEN win_probability >= 0.5 THEN 'best_case' ELSE 'pipeline' END`;
    const sql = `SELECT ${group === 'category' ? categoryExpr : group} AS g, currency, count(*)::int AS n, sum(amount)::text AS amount, sum(weighted_amount)::text AS weighted
           FROM opportunity_stage_intervals
          WHERE status = 'open' AND valid_from < ${end}::timestamptz AND (valid_to IS NULL OR valid_to >= ${end}::timestamptz)${currency}${scopeFilter(scope, p)}
          GROUP BY 1, 2`;
    return { sql, params: p.values };
  }
  const sql = `SELECT ${group} AS g, currency, sum(opportunities)::int AS n, sum(amount)::text AS amount, sum(weighted_amount)::text AS weighted
           FROM pipeline_open WHERE opportunities <> 0${currency}${scopeFilter(scope, p)} GROUP BY 1, 2 HAVING sum(opportunities) <> 0`;
  return { sql, params: p.values };
}

export interface SecondsRow {
  s: string;
}
export type CycleMetric = 'lead_captured_to_won' | 'won_to_paid' | 'lead_response';

/**
 * The durations (seconds) of one cycle-time metric whose end falls on the business days [from, to]: fact rows,
 * as quantiles do not add up.
 */
export function cycleSecondsSql(metric: CycleMetric, from: string, to: string, scope: AccessScope, calendar: BusinessCalendar): Sql {
  const p = new Params();
  const start = `${p.add(calendar.startOfDay(from).toISOString())}::timestamptz`;
  const end = `${p.add(calendar.endOfDay(to).toISOString())}::timestamptz`;
  const deal = (rep: string, team: string) => factScopeFilter(scope, p, rep, team);
  const sql = {
    lead_captured_to_won: () => `SELECT EXTRACT(EPOCH FROM o.won_at - l.captured_at) AS s FROM opportunity_facts o JOIN lead_facts l ON l.lead_id = o.lead_id
         LEFT JOIN reps r ON r.rep_id = o.rep_id
        WHERE o.status = 'won' AND o.won_at >= ${start} AND o.won_at < ${end} AND l.captured_at IS NOT NULL${deal('o.rep_id::text', 'COALESCE(o.team, r.team)')}`,
    won_to_paid: () => `SELECT EXTRACT(EPOCH FROM paid.at - o.won_at) AS s FROM opportunity_facts o JOIN order_facts f ON f.opportunity_id = o.opportunity_id
         JOIN LATERAL (SELECT min(received_at) AS at FROM payment_facts WHERE order_id = f.order_id AND outstanding = 0) paid ON paid.at IS NOT NULL
         LEFT JOIN reps r ON r.rep_id = o.rep_id
        WHERE o.won_at IS NOT NULL AND paid.at >= ${start} AND paid.at < ${end}${deal('o.rep_id::text', 'COALESCE(o.team, r.team)')}`,
    lead_response: () => `SELECT EXTRACT(EPOCH FROM l.first_follow_up_at - l.captured_at) AS s FROM lead_facts l LEFT JOIN reps r ON r.rep_id = l.rep_id
        WHERE l.captured_at >= ${start} AND l.captured_at < ${end} AND l.first_follow_up_at IS NOT NULL${deal('l.rep_id::text', 'COALESCE(l.team, r.team)')}`,
  }[metric]();
  return { sql, params: p.values };
}

export interface OpenDealRow {
  close_month: string;
  category: ForecastCategory;
  amount: string;
  weighted: string;
}

/** Open deals of one currency by expected close month and forecast category. */
export const openDealsSql = (p: Params, currency: string, scope: AccessScope): string =>
  `SELECT close_month::text AS close_month, category, sum(amount)::text AS amount, sum(weighted_amount)::text AS weighted
     FROM pipeline_open WHERE currency = ${p.add(currency)}${scopeFilter(scope, p)} GROUP BY 1, 2`;
