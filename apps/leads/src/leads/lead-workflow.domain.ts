// The sales workflow on one lead as pure decisions: follow-ups, qualification, disqualification (or a move
// when the reason blames the routing), conversion, a manager's re-assignment, edits, the opportunity link.
import type { EventOf } from '@crm/contracts';
import { nothingToDo, type Decision } from '@crm/domain';
import { newEvent } from '@crm/messaging';
import { formatAmount } from '@crm/money';
import { noEligibleRep } from '../assignment/lead-assignment.domain';
import {
  assertAllowed,
  contactKey,
  LeadStateError,
  LOAD_STATUSES,
  reroutes,
  type ContactKey,
  type Conversion,
  type DisqualifyReason,
  type LeadState,
  type LeadStatus,
} from './lead.domain';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The rep whose load a lead in this status counts towards, if any. */
const loadOf = (lead: LeadState) => (LOAD_STATUSES.includes(lead.status) ? lead.ownerRepId : null);

// ---- follow-ups ----------------------------------------------------------------------------------

export interface FollowUpInput {
  channel: string;
  content: string;
  at?: string;
  customerFeedback?: string;
  nextAction?: string;
  nextActionDueAt?: string;
}

export interface FollowUpRow {
  id: string;
  leadId: string;
  repId: string;
  team: string | null;
  channel: string;
  at: Date;
  content: string;
  customerFeedback: string | null;
  nextAction: string | null;
  nextActionDueAt: Date | null;
  by: string;
  createdAt: Date;
}

export interface FollowUpChanges {
  followUp: FollowUpRow;
  firstFollowedUpAt: Date;
  status: LeadStatus;
}

/**
 * Records a follow-up on an owned, open lead; the first one moves `assigned → contacted`. It is the caller's
 * when the caller is a rep (a uuid), else the owner's (an integration logging for them).
 */
export function decideFollowUp(lead: LeadState, input: FollowUpInput, cmd: { followUpId: string; actor: string; now: Date }): Decision<FollowUpChanges> {
  assertAllowed('follow_up', lead.status);
  if (!lead.ownerRepId) throw new LeadStateError('follow_up', lead.status);
  const repId = UUID.test(cmd.actor) ? cmd.actor : lead.ownerRepId;
  const at = input.at ? new Date(input.at) : cmd.now;
  const nextActionDueAt = input.nextActionDueAt ? new Date(input.nextActionDueAt) : null;
  const followUp: FollowUpRow = {
    id: cmd.followUpId,
    leadId: lead.id,
    repId,
    team: lead.team,
    channel: input.channel,
    at,
    content: input.content,
    customerFeedback: input.customerFeedback ?? null,
    nextAction: input.nextAction ?? null,
    nextActionDueAt,
    by: cmd.actor,
    createdAt: cmd.now,
  };
  const event = newEvent('lead.followed_up', {
    subject: lead.id,
    data: {
      leadId: lead.id,
      followUpId: cmd.followUpId,
      repId,
      channel: input.channel as EventOf<'lead.followed_up'>['data']['channel'],
      at: at.toISOString(),
      content: input.content,
      customerFeedback: input.customerFeedback,
      nextAction: input.nextAction,
      nextActionDueAt: nextActionDueAt?.toISOString(),
    },
  });
  const status = lead.status === 'assigned' ? 'contacted' : lead.status;
  return { changes: { followUp, firstFollowedUpAt: lead.firstFollowedUpAt ?? at, status }, events: [event] };
}

// ---- status changes --------------------------------------------------------------------------------

export function decideQualify(lead: LeadState, cmd: { by: string; note?: string; now: Date }): Decision<{ qualifiedAt: Date }> {
  assertAllowed('qualify', lead.status);
  const event = newEvent('lead.qualified', { subject: lead.id, data: { leadId: lead.id, by: cmd.by, note: cmd.note, qualifiedAt: cmd.now.toISOString() } });
  return { changes: { qualifiedAt: cmd.now }, events: [event] };
}

export type DisqualifyChanges =
  /** Closed with its reason; its owner's load drops. */
  | { kind: 'close'; reason: string; disqualifiedAt: Date; releaseRepId: string | null }
  /** The reason blames the routing: the rules find another rep, the owner excluded. */
  | { kind: 'reroute'; note: string; excludeRepId: string | null };

/**
 * Closes the lead with its reason; a reason that blames the routing (wrong territory or product line) moves it
 * to another rep instead (`unassignedAfterReroute` when nobody fits).
 */
export function decideDisqualify(lead: LeadState, cmd: { by: string; reason: DisqualifyReason; note?: string; now: Date }): Decision<DisqualifyChanges> {
  const rerouted = reroutes(cmd.reason);
  assertAllowed(rerouted ? 'reassign' : 'disqualify', lead.status);
  const reason = `${cmd.reason}${cmd.note ? `: ${cmd.note}` : ''}`;
  if (rerouted) return nothingToDo({ kind: 'reroute', note: reason, excludeRepId: lead.ownerRepId });
  const event = newEvent('lead.disqualified', { subject: lead.id, data: { leadId: lead.id, by: cmd.by, reason, disqualifiedAt: cmd.now.toISOString() } });
  return { changes: { kind: 'close', reason, disqualifiedAt: cmd.now, releaseRepId: loadOf(lead) }, events: [event] };
}

/** A rerouted lead nobody can take goes to the managers' queue, saying from whom and why. */
export function unassignedAfterReroute(lead: LeadState, note: string, why: string): { releaseRepId: string | null; reason: string } {
  return { releaseRepId: loadOf(lead), reason: `${note} (from ${lead.ownerRepId ?? 'nobody'}); ${why}` };
}

export interface ConvertInput {
  expectedAmount?: string;
  currency?: string;
  expectedCloseDate?: string;
  productNeeds?: string[];
}

/** A qualified lead becomes an opportunity (`lead.converted`); from then on it is read-only. */
export function decideConvert(
  lead: LeadState,
  input: ConvertInput,
  cmd: { by: string; now: Date },
): Decision<{ convertedAt: Date; conversion: Conversion; releaseRepId: string | null }> {
  assertAllowed('convert', lead.status);
  const productNeeds = input.productNeeds ?? (lead.needs ? [lead.needs.slice(0, 200)] : []);
  const expectedAmount = input.expectedAmount === undefined ? undefined : formatAmount(input.expectedAmount);
  const conversion: Conversion = { expectedAmount, currency: input.currency, expectedCloseDate: input.expectedCloseDate, productNeeds, by: cmd.by };
  const event = newEvent('lead.converted', {
    subject: lead.id,
    data: {
      leadId: lead.id,
      repId: lead.ownerRepId!,
      team: lead.team ?? undefined,
      customer: { name: lead.contactName, company: lead.company ?? undefined, email: lead.email ?? undefined, phone: lead.phone ?? undefined },
      region: lead.region ?? undefined,
      productLine: lead.productInterest ?? undefined,
      expectedAmount,
      currency: input.currency,
      expectedCloseDate: input.expectedCloseDate,
      productNeeds,
      capturedAt: lead.createdAt.toISOString(),
      convertedAt: cmd.now.toISOString(),
    },
  });
  return { changes: { convertedAt: cmd.now, conversion, releaseRepId: lead.ownerRepId }, events: [event] };
}

/**
 * A manager moves the lead to a rep of their choice (a team manager only within their team), or lets the
 * rules pick someone other than the owner. `repTeam` is the chosen rep's team (undefined: no such rep).
 */
export function decideReassign(
  lead: LeadState,
  cmd: { repId?: string; managerTeam?: string; repTeam?: string | null },
): Decision<{ repId?: string; excludeRepId: string | null }> {
  assertAllowed('reassign', lead.status);
  if (cmd.repId && cmd.managerTeam !== undefined && cmd.repTeam !== cmd.managerTeam) {
    throw noEligibleRep(`rep ${cmd.repId} is not in team ${cmd.managerTeam}`);
  }
  return nothingToDo({ repId: cmd.repId, excludeRepId: lead.ownerRepId });
}

// ---- edits -----------------------------------------------------------------------------------------

export interface LeadEditInput {
  name?: string;
  email?: string;
  phone?: string;
  company?: string;
  companySize?: string;
  region?: string;
  productInterest?: string;
  needs?: string;
  score?: number;
  customFields?: Record<string, string | number | boolean>;
}

/** The contact as it will be (with its de-duplication key) and the other fields sent; null = unchanged. */
export interface LeadEdit {
  contactName: string | null;
  email: string | null;
  phone: string | null;
  company: string | null;
  key: ContactKey;
  companySize: string | null;
  region: string | null;
  productInterest: string | null;
  needs: string | null;
  score: number | null;
  customFields: Record<string, string | number | boolean> | null;
  /** What the rules look at changed (region, product interest, company size, score): the assignment is checked again. */
  rescored: boolean;
}

const RULE_FACTS = ['region', 'productInterest', 'companySize', 'score'] as const;

export function decideEdit(lead: LeadState, input: LeadEditInput): Decision<LeadEdit> {
  assertAllowed('edit', lead.status);
  const email = input.email ?? lead.email;
  const phone = input.phone ?? lead.phone;
  const company = input.company ?? lead.company;
  return nothingToDo({
    contactName: input.name ?? null,
    email,
    phone,
    company,
    key: contactKey({ email, phone, company }),
    companySize: input.companySize ?? null,
    region: input.region ?? null,
    productInterest: input.productInterest ?? null,
    needs: input.needs ?? null,
    score: input.score ?? null,
    customFields: input.customFields ?? null,
    rescored: RULE_FACTS.some((f) => input[f] !== undefined && input[f] !== lead[f]),
  });
}

/** Links the lead to the opportunity made from it, once: a redelivery, or another opportunity later, changes nothing. */
export function decideLinkOpportunity(lead: Pick<LeadState, 'opportunityId'>, opportunityId: string): Decision<{ opportunityId: string } | null> {
  return nothingToDo(lead.opportunityId ? null : { opportunityId });
}
