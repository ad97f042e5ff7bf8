// Incentive plans as pure rules: what a valid plan is, whether a write may replace the stored one, and what
// each rep earned under it from the KPI rows (the same figures the scorecard shows), exactly to the cent.
import Big from 'big.js';
import { DomainError, expectVersion, type DomainFieldIssue } from '@crm/domain';
import { formatAmount } from '@crm/money';
import { rankKpiRows, type KpiRow } from '../reporting/kpi-rows';
import type { RankingMetric } from '../reporting/reporting.dto';

export const COMMISSION_METHODS = ['marginal', 'whole'] as const;
export type CommissionMethod = (typeof COMMISSION_METHODS)[number];

/** A commission rate on revenue for quota attainment in [from, to); `to` null: no upper edge. Ratios: 1 = 100 %. */
export interface CommissionBand {
  from: string;
  to: string | null;
  rate: string;
}

/** `amount` for every rep ranked `top` or better by `metric` among the team's reps (ties share a rank). */
export interface BonusRule {
  metric: RankingMetric;
  top: number;
  amount: string;
}

export interface PlanTerms {
  currency: string;
  commission: { method: CommissionMethod; bands: CommissionBand[] };
  bonuses: BonusRule[];
}

export interface IncentivePlan extends PlanTerms {
  period: string;
  team: string;
  version: number;
  updatedBy: string;
  updatedAt: string;
}

const RATIO = /^\d{1,3}(\.\d{1,4})?$/;
const CENTS = /^\d{1,13}(\.\d{1,2})?$/;
/** Highest attainment edge a band may name (10,000 %). */
export const MAX_EDGE = new Big(100);
const isEdge = (v: string) => RATIO.test(v) && !new Big(v).gt(MAX_EDGE);
const EDGE_MESSAGE = (field: string) => `${field} must be an attainment ratio (1 = 100 %) from 0 to ${MAX_EDGE.toString()} with at most 4 decimals`;

/**
 * A plan's bands are contiguous and do not overlap: the first starts at 0, each starts where the one before
 * ends, each ends above its start and only the last is open. Rates are 0 to 1 (100 % of revenue), bonuses whole
 * cents above 0. Every problem is reported, each with its field.
 */
export function checkPlanTerms(terms: PlanTerms): void {
  const issues: DomainFieldIssue[] = [];
  const issue = (field: string, constraint: string, message: string) => issues.push({ field, constraint, message });
  const bands = terms.commission.bands;
  bands.forEach((band, i) => {
    const at = `commission.bands[${i}]`;
    const last = i === bands.length - 1;
    const before = i > 0 ? bands[i - 1].to : null;
    if (!isEdge(band.from)) issue(`${at}.from`, 'isAttainment', EDGE_MESSAGE('from'));
    else if (i === 0 && !new Big(band.from).eq(0)) issue(`${at}.from`, 'bandsStartAtZero', 'the first band must start at 0');
    else if (before !== null && isEdge(before) && !new Big(band.from).eq(before)) {
      issue(`${at}.from`, 'bandsContiguous', `from must equal the previous band's to (${before}): bands may neither overlap nor leave a gap`);
    }
    if (band.to === null) {
      if (!last) issue(`${at}.to`, 'onlyLastBandOpen', 'only the last band may be open (to: null)');
    } else if (!isEdge(band.to)) {
      issue(`${at}.to`, 'isAttainment', `${EDGE_MESSAGE('to')}, or null`);
    } else if (last) {
      issue(`${at}.to`, 'lastBandOpen', 'the last band must be open (to: null), so that every attainment has a rate');
    } else if (isEdge(band.from) && !new Big(band.to).gt(band.from)) {
      issue(`${at}.to`, 'bandNotEmpty', 'to must be greater than from');
    }
    if (!/^\d(\.\d{1,4})?$/.test(band.rate) || new Big(band.rate).gt(1)) {
      issue(`${at}.rate`, 'isRate', 'rate must be between 0 and 1 (100 % of revenue) with at most 4 decimals');
    }
  });
  terms.bonuses.forEach((bonus, i) => {
    if (!CENTS.test(bonus.amount) || !new Big(bonus.amount).gt(0)) issue(`bonuses[${i}].amount`, 'isCents', 'amount must be above 0, in whole cents');
  });
  if (issues.length) throw DomainError.invalidFields(issues);
}

/**
 * Whether a write may store the plan: a new plan needs no version; replacing one needs the version the
 * caller read (If-Match), so that a manager's edit never silently overwrites another's.
 */
export function decidePlanWrite(current: { version: number } | undefined, expected: number | undefined, key: string): 'insert' | 'update' {
  if (!current) {
    if (expected !== undefined) throw new DomainError({ kind: 'stale', detail: `There is no plan ${key} to replace; create it without If-Match.` });
    return 'insert';
  }
  if (expected === undefined) {
    throw DomainError.conflict('PLAN_EXISTS', `The plan ${key} exists (ETag "${current.version}"); send If-Match with the ETag you read to replace it.`);
  }
  expectVersion(current.version, expected);
  return 'update';
}

/** Half up to the cent, as payroll pays (四舍五入). */
export const toCents = (value: Big): string => formatAmount(value.round(2, Big.roundHalfUp));

/** The band the attainment revenue ÷ quota falls in, compared exactly (revenue ≥ quota × from), not on the rounded ratio. */
export function bandOf(revenue: Big, quota: Big, bands: readonly CommissionBand[]): number | null {
  const i = bands.findIndex((b) => revenue.gte(quota.times(b.from)) && (b.to === null || revenue.lt(quota.times(b.to))));
  return i < 0 ? null : i;
}

/**
 * Commission, exact (not rounded). `marginal`: each band's rate applies to the revenue between quota × from and
 * quota × to (an accelerator pays more only on what lies above its edge); `whole`: the rate of the band the
 * attainment reached applies to all revenue. No quota, or no positive revenue: no commission.
 */
export function commissionOf(revenue: Big, quota: Big | null, commission: PlanTerms['commission']): Big {
  if (!quota || quota.lte(0) || revenue.lte(0)) return new Big(0);
  if (commission.method === 'whole') {
    const i = bandOf(revenue, quota, commission.bands);
    return i === null ? new Big(0) : revenue.times(commission.bands[i].rate);
  }
  return commission.bands.reduce((sum, b) => {
    const lo = quota.times(b.from);
    const hi = b.to === null ? revenue : quota.times(b.to);
    const top = revenue.lt(hi) ? revenue : hi;
    return top.gt(lo) ? sum.plus(top.minus(lo).times(b.rate)) : sum;
  }, new Big(0));
}

export interface EarnedBonus extends BonusRule {
  rank: number | null;
  value: number | null;
  earned: string;
}

export interface EarnedIncentive {
  repId: string;
  name: string | null;
  team: string;
  currency: string;
  revenue: string;
  quota: string | null;
  attainment: string | null;
  band: CommissionBand | null;
  commission: string;
  bonuses: EarnedBonus[];
  bonus: string;
  total: string;
}

/**
 * What each rep of the team earned under the plan, from the team's KPI rows for the plan's period and currency.
 * Commission is rounded once, to the cent; bonuses are whole cents; the total is their exact sum.
 */
export function earnedIncentives(plan: PlanTerms & { team: string }, teamRows: readonly KpiRow[]): EarnedIncentive[] {
  const ranks = plan.bonuses.map((b) => new Map(rankKpiRows(teamRows, b.metric).map((r) => [r.key, r])));
  return rankKpiRows(teamRows, 'revenue')
    .sort((a, b) => a.key.localeCompare(b.key))
    .map((row) => {
      const revenue = new Big(row.revenue);
      const quota = row.quota === null ? null : new Big(row.quota);
      const band = quota && quota.gt(0) ? bandOf(revenue, quota, plan.commission.bands) : null;
      const commission = toCents(commissionOf(revenue, quota, plan.commission));
      const bonuses = plan.bonuses.map((rule, i): EarnedBonus => {
        const ranked = ranks[i].get(row.key);
        const rank = ranked?.rank ?? null;
        return { ...rule, rank, value: ranked?.value ?? null, earned: toCents(rank !== null && rank <= rule.top ? new Big(rule.amount) : new Big(0)) };
      });
      const bonus = bonuses.reduce((sum, b) => sum.plus(b.earned), new Big(0));
      return {
        repId: row.key,
        name: row.name,
        team: plan.team,
        currency: plan.currency,
        revenue: row.revenue,
        quota: row.quota,
        attainment: row.attainment,
        band: band === null ? null : plan.commission.bands[band],
        commission,
        bonuses,
        bonus: toCents(bonus),
        total: toCents(bonus.plus(commission)),
      };
    });
}
