import type { Contribution } from './aggregates';
import { settle } from './fact-changes';
import type { LeadProjectionRow } from './lead-facts.repository';
import type { ProjectionContext, Projections } from './projection-context';
import { UNASSIGNED, UNKNOWN, leadContributions, type LeadFactView } from './projection.domain';

/** Lead facts: captured, assigned, answered, qualified, converted. Their funnel is settled at the flush. */
export const leadProjections: Projections = {
  'lead.captured': ({ data }, batch) => {
    batch.write('leadCaptured', data.leadId, data);
    batch.leads.add(data.leadId);
    // The lead's source is a dimension of its opportunities and their orders (looked up at the flush).
    batch.capturedLeads.add(data.leadId);
  },
  'lead.assigned': ({ data }, batch) => {
    batch.write('leadAssigned', data.leadId, { leadId: data.leadId, repId: data.repId, team: data.team ?? null, at: data.assignedAt });
    batch.leads.add(data.leadId);
  },
  'lead.reassigned': ({ data }, batch) => {
    batch.write('leadAssigned', data.leadId, { leadId: data.leadId, repId: data.toRepId, team: null, at: data.reassignedAt });
    batch.leads.add(data.leadId);
  },
  'lead.followed_up': ({ data }, batch) => {
    batch.write('leadFollowedUp', data.leadId, data);
    batch.leads.add(data.leadId);
  },
  'lead.qualified': ({ data }, batch) => {
    batch.write('leadQualified', data.leadId, data);
    batch.leads.add(data.leadId);
  },
  'lead.disqualified': ({ data }, batch) => {
    batch.write('leadDisqualified', data.leadId, data);
    batch.leads.add(data.leadId);
  },
  'lead.converted': ({ data }, batch) => {
    batch.write('leadConverted', data.leadId, data);
    batch.leads.add(data.leadId);
  },
};

/** A lead row as the funnel sees it; dimensions nobody has told us yet are unknown (no rep: unassigned). */
export function leadView(l: LeadProjectionRow): LeadFactView {
  return {
    capturedAt: l.captured_at,
    qualifiedAt: l.qualified_at,
    disqualifiedAt: l.disqualified_at,
    convertedAt: l.converted_at,
    firstFollowUpAt: l.first_follow_up_at,
    opportunityAt: l.opportunity_at,
    wonAt: l.won_at,
    paidAt: l.paid_at,
    dims: {
      region: l.region ?? UNKNOWN,
      productLine: l.product_line ?? UNKNOWN,
      source: l.source ?? UNKNOWN,
      repId: l.rep_id ?? UNASSIGNED,
      team: l.team ?? l.rep_team ?? (l.rep_id ? UNKNOWN : UNASSIGNED),
    },
  };
}

/** Locks the leads (in id order), re-reads them with what their funnel depends on, and settles their contributions. */
export async function reprojectLeads(ctx: ProjectionContext, ids: readonly string[], deltas: Contribution[]): Promise<void> {
  if (!ids.length) return;
  const locked = await ctx.repos.aggregates.lockContributions(ctx.m, 'lead_facts', ids);
  if (!locked.size) return;
  const rows = await ctx.repos.leads.loadForProjection(ctx.m, [...locked.keys()]);
  const settled = rows.map((l) => ({ id: l.lead_id, before: locked.get(l.lead_id)!, after: leadContributions(leadView(l), ctx.zone) }));
  await settle(ctx, 'lead_facts', settled, deltas);
}
