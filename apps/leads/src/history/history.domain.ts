// The historical import of leads as pure rules: which records make sense, and what one record stores and
// publishes. Every event carries the moment it describes (envelope time and data), so analytics places it
// in its real period.
import { createEvent, historicalId, type EventEnvelope, type LeadSource } from '@crm/contracts';
import { chronologyIssues, type DomainFieldIssue } from '@crm/domain';
import type { z } from 'zod';
import type { CaptureInput } from '../leads/lead-capture.domain';
import { normalizeCompany, normalizeEmail, normalizePhone, type LeadStatus } from '../leads/lead.domain';

/** The follow-up deadline the events report for an imported assignment; no live deadline is stored. */
export const HISTORY_FOLLOW_UP_HOURS = 72;

/** What a capture channel would have submitted, plus what happened to the lead afterwards. */
export interface LeadHistoryRecord extends CaptureInput {
  externalId: string;
  capturedAt: string;
  ownerRepId?: string;
  assignedAt?: string;
  followUps?: { at: string; channel: string; content: string; customerFeedback?: string; nextAction?: string }[];
  qualifiedAt?: string;
  disqualifiedAt?: string;
  disqualifyReason?: string;
  convertedAt?: string;
}

/** What one imported lead stores: the lead row, its follow-ups, its assignment (when it had an owner). */
export interface LeadHistoryPlan {
  lead: {
    id: string;
    status: LeadStatus;
    ownerRepId: string | null;
    team: string | null;
    source: string;
    campaign: string | null;
    contactName: string;
    email: string | null;
    phone: string | null;
    company: string | null;
    normalizedEmail: string | null;
    normalizedPhone: string | null;
    normalizedCompany: string | null;
    companySize: string | null;
    region: string | null;
    productInterest: string | null;
    needs: string | null;
    customFields: Record<string, string | number | boolean>;
    assignedAt: string | null;
    firstFollowedUpAt: string | null;
    qualifiedAt: string | null;
    disqualifiedAt: string | null;
    disqualifyReason: string | null;
    convertedAt: string | null;
    createdBy: string;
    createdAt: string;
  };
  followUps: {
    id: string;
    repId: string;
    team: string | null;
    channel: string;
    at: string;
    content: string;
    customerFeedback: string | null;
    nextAction: string | null;
  }[];
  assignment: { repId: string; at: string; deadline: string } | null;
  events: EventEnvelope[];
}

const byTime = <T extends { at: string }>(xs: readonly T[]) => [...xs].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));

/** What is wrong with one record, beyond its field formats (checked at the edge). `ownerKnown`: its owner is a rep here. */
export function leadHistoryIssues(r: LeadHistoryRecord, ownerKnown: boolean, now: Date): DomainFieldIssue[] {
  const issues: DomainFieldIssue[] = [];
  const worked = (r.followUps?.length ?? 0) > 0 || r.qualifiedAt || r.convertedAt;
  if (r.ownerRepId && !ownerKnown) issues.push({ field: 'ownerRepId', message: `no rep ${r.ownerRepId}: import the reps first`, constraint: 'exists' });
  if (!r.ownerRepId && (worked || r.assignedAt)) {
    issues.push({ field: 'ownerRepId', message: 'a lead that was assigned, followed up, qualified or converted needs its owner', constraint: 'required' });
  }
  if (r.disqualifiedAt && r.convertedAt)
    issues.push({ field: 'convertedAt', message: 'a lead is disqualified or converted, not both', constraint: 'exclusive' });
  if ((r.disqualifiedAt === undefined) !== (r.disqualifyReason === undefined)) {
    issues.push({ field: 'disqualifyReason', message: 'disqualifiedAt and disqualifyReason go together', constraint: 'together' });
  }
  const firstFollowUp = byTime(r.followUps ?? [])[0]?.at;
  issues.push(
    ...chronologyIssues(
      [
        ['capturedAt', r.capturedAt],
        ['assignedAt', r.assignedAt],
        ['followUps', firstFollowUp],
      ],
      now,
    ),
    ...chronologyIssues(
      [
        ['capturedAt', r.capturedAt],
        ['qualifiedAt', r.qualifiedAt],
        ['convertedAt', r.convertedAt],
      ],
      now,
    ).filter((i) => i.field !== 'capturedAt'),
    ...chronologyIssues(
      [
        ['capturedAt', r.capturedAt],
        ['disqualifiedAt', r.disqualifiedAt],
      ],
      now,
    ).filter((i) => i.field !== 'capturedAt'),
  );
  for (const [i, f] of (r.followUps ?? []).entries()) {
    if (Date.parse(f.at) > now.getTime())
      issues.push({ field: `followUps[${i}].at`, message: 'a follow-up must not be in the future', constraint: 'notInFuture' });
  }
  return issues;
}

function statusOf(r: LeadHistoryRecord): LeadStatus {
  if (r.convertedAt) return 'converted';
  if (r.disqualifiedAt) return 'disqualified';
  if (r.qualifiedAt) return 'qualified';
  if (r.followUps?.length) return 'contacted';
  return r.ownerRepId ? 'assigned' : 'unassigned';
}

const iso = (at: string) => new Date(at).toISOString();

/**
 * One valid record (see leadHistoryIssues) → its rows and its events, each at its own moment: captured,
 * assigned, followed up, qualified, disqualified or converted. The conversion is marked historical, so
 * opportunities opens no opportunity for it (the opportunity is imported with its own stages).
 */
export function decideLeadHistory(r: LeadHistoryRecord, ctx: { ownerTeam: string | null; by: string; correlationId: string }): LeadHistoryPlan {
  const id = historicalId('lead', r.externalId);
  const owner = r.ownerRepId ?? null;
  const team = owner ? ctx.ownerTeam : null;
  const capturedAt = iso(r.capturedAt);
  const assignedAt = owner ? iso(r.assignedAt ?? r.capturedAt) : null;
  const followUps = byTime(r.followUps ?? []).map((f, i) => ({
    id: historicalId('follow_up', `${r.externalId}#${i}`),
    repId: owner as string,
    team,
    channel: f.channel,
    at: iso(f.at),
    content: f.content,
    customerFeedback: f.customerFeedback ?? null,
    nextAction: f.nextAction ?? null,
  }));
  const contact = { name: r.name, email: r.email, phone: r.phone, company: r.company };
  const events: EventEnvelope[] = [];
  const at = (time: string) => ({ subject: id, time, correlationId: ctx.correlationId });
  events.push(
    createEvent('lead.captured', {
      ...at(capturedAt),
      data: {
        leadId: id,
        source: r.source as z.infer<typeof LeadSource>,
        campaign: r.campaign,
        contact,
        companySize: r.companySize as never,
        region: r.region,
        productLine: r.productInterest,
        message: r.needs,
        capturedAt,
      },
    }),
  );
  const deadline = assignedAt ? new Date(Date.parse(assignedAt) + HISTORY_FOLLOW_UP_HOURS * 3_600_000).toISOString() : null;
  if (owner && assignedAt && deadline) {
    events.push(
      createEvent('lead.assigned', {
        ...at(assignedAt),
        data: { leadId: id, repId: owner, team: team ?? undefined, rule: 'history_import', assignedAt, firstFollowUpDueAt: deadline },
      }),
    );
  }
  for (const f of followUps) {
    events.push(
      createEvent('lead.followed_up', {
        ...at(f.at),
        data: {
          leadId: id,
          followUpId: f.id,
          repId: f.repId,
          channel: f.channel as never,
          at: f.at,
          content: f.content,
          customerFeedback: f.customerFeedback ?? undefined,
          nextAction: f.nextAction ?? undefined,
        },
      }),
    );
  }
  const qualifiedAt = r.qualifiedAt ? iso(r.qualifiedAt) : null;
  if (qualifiedAt) events.push(createEvent('lead.qualified', { ...at(qualifiedAt), data: { leadId: id, by: owner ?? ctx.by, qualifiedAt } }));
  const disqualifiedAt = r.disqualifiedAt ? iso(r.disqualifiedAt) : null;
  if (disqualifiedAt) {
    events.push(
      createEvent('lead.disqualified', {
        ...at(disqualifiedAt),
        data: { leadId: id, by: owner ?? ctx.by, reason: r.disqualifyReason as string, disqualifiedAt },
      }),
    );
  }
  const convertedAt = r.convertedAt ? iso(r.convertedAt) : null;
  if (convertedAt && owner) {
    events.push(
      createEvent('lead.converted', {
        ...at(convertedAt),
        data: {
          leadId: id,
          repId: owner,
          team: team ?? undefined,
          customer: contact,
          region: r.region,
          productLine: r.productInterest,
          productNeeds: [],
          capturedAt,
          convertedAt,
          historical: true,
        },
      }),
    );
  }
  return {
    lead: {
      id,
      status: statusOf(r),
      ownerRepId: owner,
      team,
      source: r.source,
      campaign: r.campaign ?? null,
      contactName: r.name,
      email: r.email ?? null,
      phone: r.phone ?? null,
      company: r.company ?? null,
      normalizedEmail: normalizeEmail(r.email),
      normalizedPhone: normalizePhone(r.phone),
      normalizedCompany: normalizeCompany(r.company),
      companySize: r.companySize ?? null,
      region: r.region ?? null,
      productInterest: r.productInterest ?? null,
      needs: r.needs ?? null,
      customFields: r.customFields ?? {},
      assignedAt,
      firstFollowedUpAt: followUps[0]?.at ?? null,
      qualifiedAt,
      disqualifiedAt,
      disqualifyReason: r.disqualifyReason ?? null,
      convertedAt,
      createdBy: ctx.by,
      createdAt: capturedAt,
    },
    followUps,
    assignment: owner && assignedAt && deadline ? { repId: owner, at: assignedAt, deadline } : null,
    events,
  };
}
