import type { Contribution } from './aggregates';
import { weightedAmount } from './deal-value';
import { settle } from './fact-changes';
import { priceIntervals, termsTimeline, type TermsEntry } from './opportunity-terms';
import type { OpportunityProjectionRow, OpportunityState, StageIntervalRow } from './opportunity-facts.repository';
import type { ProjectionContext, Projections } from './projection-context';
import { DIRECT, UNKNOWN, opportunityContributions, stageIntervals, type HistoryEntry, type OpportunityFactView } from './projection.domain';

const iso = (at: string) => new Date(at).toISOString();

/**
 * Opportunity facts: each event appends to the stage history or the terms (amount and close date over time),
 * from which the state and intervals are derived at the flush.
 */
export const opportunityProjections: Projections = {
  'opportunity.created': ({ data }, batch) => {
    const terms: TermsEntry = { kind: 'created', at: iso(data.createdAt), amount: data.expectedAmount, closeDate: data.expectedCloseDate };
    const entry: HistoryEntry = { kind: 'created', at: data.createdAt, stage: data.stage, p: data.winProbability ?? null };
    batch.write('opportunityCreated', data.opportunityId, { data, entry, terms });
    batch.opportunity(data.opportunityId, true);
    if (data.leadId) batch.leads.add(data.leadId);
  },
  'opportunity.terms_changed': ({ data }, batch) => {
    const terms: TermsEntry = { kind: 'changed', at: iso(data.changedAt), amount: data.expectedAmount, closeDate: data.expectedCloseDate };
    batch.write('opportunityTermsChanged', data.opportunityId, { data, terms });
    batch.opportunity(data.opportunityId, false);
  },
  'opportunity.stage_changed': ({ data }, batch) => {
    const entry: HistoryEntry = { kind: 'stage', at: data.changedAt, stage: data.toStage, p: data.winProbability ?? null };
    batch.write('opportunityHistory', data.opportunityId, { opportunityId: data.opportunityId, entry });
    batch.opportunity(data.opportunityId, false);
  },
  'opportunity.reassigned': ({ data }, batch) => {
    batch.write('opportunityReassigned', data.opportunityId, data);
    batch.opportunity(data.opportunityId, false);
  },
  'opportunity.won': ({ data }, batch) => {
    batch.write('opportunityWon', data.opportunityId, { data, entry: { kind: 'won', at: data.wonAt } });
    batch.opportunity(data.opportunityId, true);
    if (data.leadId) batch.leads.add(data.leadId);
  },
  'opportunity.lost': ({ data }, batch) => {
    batch.write('opportunityLost', data.opportunityId, { data, entry: { kind: 'lost', at: data.lostAt, stage: data.stage } });
    batch.opportunity(data.opportunityId, false);
  },
};

/**
 * What an opportunity's row comes to: its current state, its stage intervals (when it has an amount), each cut
 * where its terms changed so it carries the amount of its own time, and its view for the aggregates, which
 * takes the latest terms. A row from before terms were kept has only its stored amount and close date.
 */
export function projectOpportunity(o: OpportunityProjectionRow): { state: OpportunityState; intervals: StageIntervalRow[]; view: OpportunityFactView } {
  const timeline = termsTimeline(o.terms ?? []);
  const latest = timeline.at(-1) ?? null;
  const amount = latest?.amount ?? o.expected_amount;
  const closeDate = latest?.closeDate ?? o.close_date;
  const stages = stageIntervals(o.history);
  const intervals = timeline.length ? priceIntervals(stages, timeline) : amount === null ? [] : stages.map((i) => ({ ...i, amount }));
  const current = stages.at(-1) ?? null;
  const dims = {
    region: o.region ?? UNKNOWN,
    productLine: o.product_line ?? UNKNOWN,
    source: o.deal_known ? (o.lead_id ? (o.lead_source ?? UNKNOWN) : DIRECT) : UNKNOWN,
    repId: o.rep_id ?? UNKNOWN,
    team: o.team ?? o.rep_team ?? UNKNOWN,
  };
  const state = {
    id: o.opportunity_id,
    stage: current?.stage ?? null,
    status: current?.status ?? null,
    p: current?.winProbability ?? null,
    amount: latest?.amount ?? null,
    closeDate: latest?.closeDate ?? null,
  };
  const rows: StageIntervalRow[] = [];
  if (o.currency) {
    for (const i of intervals) {
      rows.push({
        opportunity_id: o.opportunity_id,
        seq: i.seq,
        stage: i.stage,
        status: i.status,
        p: i.winProbability,
        currency: o.currency,
        amount: i.amount,
        weighted: weightedAmount(i.amount, i.winProbability),
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
    expectedAmount: amount,
    expectedCloseDate: closeDate,
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
