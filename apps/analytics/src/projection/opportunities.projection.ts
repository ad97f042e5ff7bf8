import type { Contribution } from './aggregates';
import { weightedAmount } from './deal-value';
import { settle } from './fact-changes';
import type { OpportunityProjectionRow, OpportunityState, StageIntervalRow } from './opportunity-facts.repository';
import type { ProjectionContext, Projections } from './projection-context';
import { DIRECT, UNKNOWN, opportunityContributions, stageIntervals, type HistoryEntry, type OpportunityFactView } from './projection.domain';

/** Opportunity facts: each event appends to the stage history, from which the state and intervals are derived at the flush. */
export const opportunityProjections: Projections = {
  'opportunity.created': async ({ data }, { m, batch, repos }) => {
    await repos.opportunities.created(m, data, { kind: 'created', at: data.createdAt, stage: data.stage, p: data.winProbability ?? null });
    batch.opportunity(data.opportunityId, true);
    if (data.leadId) batch.leads.add(data.leadId);
  },
  'opportunity.stage_changed': async ({ data }, { m, batch, repos }) => {
    const entry: HistoryEntry = { kind: 'stage', at: data.changedAt, stage: data.toStage, p: data.winProbability ?? null };
    await repos.opportunities.appendHistory(m, data.opportunityId, entry);
    batch.opportunity(data.opportunityId, false);
  },
  'opportunity.won': async ({ data }, { m, batch, repos }) => {
    await repos.opportunities.won(m, data, { kind: 'won', at: data.wonAt });
    batch.opportunity(data.opportunityId, true);
    if (data.leadId) batch.leads.add(data.leadId);
  },
  'opportunity.lost': async ({ data }, { m, batch, repos }) => {
    await repos.opportunities.lost(m, data, { kind: 'lost', at: data.lostAt, stage: data.stage });
    batch.opportunity(data.opportunityId, false);
  },
};

/** What an opportunity's row comes to: its current state, its stage intervals (when it has an amount) and its view for the aggregates. */
export function projectOpportunity(o: OpportunityProjectionRow): { state: OpportunityState; intervals: StageIntervalRow[]; view: OpportunityFactView } {
  const intervals = stageIntervals(o.history);
  const current = intervals.at(-1) ?? null;
  const dims = {
    region: o.region ?? UNKNOWN,
    productLine: o.product_line ?? UNKNOWN,
    source: o.deal_known ? (o.lead_id ? (o.lead_source ?? UNKNOWN) : DIRECT) : UNKNOWN,
    repId: o.rep_id ?? UNKNOWN,
    team: o.team ?? o.rep_team ?? UNKNOWN,
  };
  const state = { id: o.opportunity_id, stage: current?.stage ?? null, status: current?.status ?? null, p: current?.winProbability ?? null };
  const rows: StageIntervalRow[] = [];
  if (o.currency && o.expected_amount !== null) {
    for (const i of intervals) {
      rows.push({
        opportunity_id: o.opportunity_id,
        seq: i.seq,
        stage: i.stage,
        status: i.status,
        p: i.winProbability,
        currency: o.currency,
        amount: o.expected_amount,
        weighted: weightedAmount(o.expected_amount, i.winProbability),
        valid_from: i.validFrom,
        valid_to: i.validTo,
        region: dims.region,
        product_line: dims.productLine,
        source: dims.source,
        rep_id: dims.repId,
        team: dims.team,
      });
    }
  }
  const view: OpportunityFactView = {
    currency: o.currency,
    expectedAmount: o.expected_amount,
    expectedCloseDate: o.close_date,
    createdAt: o.created_at,
    wonAt: o.won_at,
    wonAmount: o.won_amount,
    lostAt: o.lost_at,
    current,
    dims,
  };
  return { state, intervals: rows, view };
}

/**
 * Locks the opportunities (in id order), re-reads them, rewrites their current stage and stage intervals,
 * and settles their contributions.
 */
export async function reprojectOpportunities(ctx: ProjectionContext, ids: readonly string[], deltas: Contribution[]): Promise<void> {
  if (!ids.length) return;
  const { m, repos } = ctx;
  const locked = await repos.aggregates.lockContributions(m, 'opportunity_facts', ids);
  if (!locked.size) return;
  const lockedIds = [...locked.keys()];
  const projected = (await repos.opportunities.loadForProjection(m, lockedIds)).map(projectOpportunity);
  await repos.opportunities.saveStates(
    m,
    projected.map((p) => p.state),
  );
  await repos.opportunities.replaceIntervals(
    m,
    lockedIds,
    projected.flatMap((p) => p.intervals),
  );
  const settled = projected.map((p) => ({ id: p.state.id, before: locked.get(p.state.id)!, after: opportunityContributions(p.view, ctx.zone) }));
  await settle(ctx, 'opportunity_facts', settled, deltas);
}
