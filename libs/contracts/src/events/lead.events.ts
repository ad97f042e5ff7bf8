import { z } from 'zod';
import { defineEvent } from '../event-definition';
import {
  Actor,
  CalendarDate,
  Currency,
  Customer,
  Decimal,
  HandOverId,
  HandOverKind,
  HandOverReason,
  Historical,
  Id,
  personalCustomer,
  ProductLine,
  Region,
  Timestamp,
} from '../primitives';
import { Topics } from '../topics';

const lead = { topic: Topics.leads, source: 'leads' } as const;
/** Where a lead came from: analytics groups by it, assignment rules match on it. */
export const LeadSource = z.enum(['web_form', 'phone', 'social', 'trade_show', 'referral', 'import', 'other']);
export const CompanySize = z.enum(['micro', 'small', 'medium', 'large', 'enterprise']).describe('1-9, 10-49, 50-249, 250-999, 1000+ employees');
const LeadScore = z.number().int().min(0).max(100);
/** Present when a change of the lead quality score crossed a rule's threshold and so chose the rep (added later: optional). */
const ScoreChange = z
  .object({
    from: LeadScore.nullable().describe('the score before; null: not scored'),
    to: LeadScore.nullable(),
    previousRule: z.string().min(1).optional().describe('the rule that won before; absent: none did'),
    rule: z.string().min(1).describe('the rule the new score falls under, which chose the rep'),
  })
  .describe('the quality-score change that moved the lead across a rule threshold');
export const FollowUpChannel = z.enum(['call', 'email', 'meeting', 'visit', 'chat', 'social', 'other']);

export const LeadCaptured = defineEvent({
  ...lead,
  name: 'lead.captured',
  summary: 'A new lead arrived from a channel and passed de-duplication.',
  personal: [...personalCustomer('contact'), 'message?'],
  data: z.object({
    leadId: Id,
    source: LeadSource,
    campaign: z.string().max(200).optional().describe('campaign or event (trade show) it came from'),
    contact: Customer,
    companySize: CompanySize.optional(),
    region: Region.optional(),
    productLine: ProductLine.optional(),
    message: z.string().max(4000).optional(),
    capturedAt: Timestamp,
  }),
});

export const LeadAssigned = defineEvent({
  ...lead,
  name: 'lead.assigned',
  summary: 'A lead was assigned to a sales rep by a rule.',
  data: z.object({
    leadId: Id,
    repId: Id,
    team: z.string().optional(),
    rule: z.string().min(1).describe('the rule that chose the rep, e.g. region, round_robin'),
    assignedAt: Timestamp,
    firstFollowUpDueAt: Timestamp,
    scoreChange: ScoreChange.optional().describe('a queued lead whose new score made a rule match'),
  }),
});

export const LeadReassigned = defineEvent({
  ...lead,
  name: 'lead.reassigned',
  summary: 'A lead moved to another rep (late first follow-up, a re-score, or by hand).',
  data: z.object({
    leadId: Id,
    fromRepId: Id,
    toRepId: Id,
    reason: z
      .enum(['sla_breach', 'manual', 'rep_inactive', 'lead_quality', 'score_changed'])
      .describe(
        'lead_quality: a change of region, product interest or company size, or a disqualification reason (wrong territory or product line), moved it; score_changed: its quality score crossed a rule threshold (see scoreChange)',
      ),
    reassignedAt: Timestamp,
    firstFollowUpDueAt: Timestamp,
    scoreChange: ScoreChange.optional(),
    // Added with the hand-over (ADR 0022): optional, so every earlier event and consumer stays valid.
    note: HandOverReason.optional().describe('a hand-over (reason manual): the reason given for it, as written'),
    handOverId: HandOverId.optional(),
    by: Actor.optional().describe('who moved it by hand (a hand-over); absent on moves the rules made'),
  }),
});

export const LeadFirstFollowUpDueSoon = defineEvent({
  ...lead,
  name: 'lead.first_follow_up_due_soon',
  summary: 'A warning before the first-follow-up deadline: the owner has logged no follow-up yet and the lead will be re-assigned at dueAt.',
  data: z.object({
    leadId: Id,
    repId: Id.describe('the owner who must follow up'),
    team: z.string().optional(),
    firstFollowUpDueAt: Timestamp,
    warnedAt: Timestamp,
  }),
});

export const LeadFollowedUp = defineEvent({
  ...lead,
  name: 'lead.followed_up',
  summary: 'A rep recorded a follow-up with the lead.',
  personal: ['content', 'customerFeedback?', 'nextAction?'],
  data: z.object({
    leadId: Id,
    followUpId: Id,
    repId: Id,
    channel: FollowUpChannel,
    at: Timestamp,
    content: z.string().min(1).max(4000),
    customerFeedback: z.string().max(4000).optional(),
    nextAction: z.string().max(500).optional(),
    nextActionDueAt: Timestamp.optional(),
  }),
});

export const LeadQualified = defineEvent({
  ...lead,
  name: 'lead.qualified',
  summary: 'A lead was judged a real sales prospect.',
  personal: ['note?'],
  data: z.object({ leadId: Id, by: Actor, note: z.string().max(2000).optional(), qualifiedAt: Timestamp }),
});

export const LeadDisqualified = defineEvent({
  ...lead,
  name: 'lead.disqualified',
  summary: 'A lead was dropped, with the reason.',
  data: z.object({ leadId: Id, by: Actor, reason: z.string().min(1).max(500), disqualifiedAt: Timestamp }),
});

export const LeadConverted = defineEvent({
  ...lead,
  name: 'lead.converted',
  summary: 'A qualified lead became an opportunity.',
  // The needs are the customer's own words.
  personal: [...personalCustomer('customer'), 'productNeeds'],
  data: z.object({
    leadId: Id,
    repId: Id,
    team: z.string().optional(),
    customer: Customer,
    region: Region.optional(),
    productLine: ProductLine.optional(),
    expectedAmount: Decimal.optional(),
    currency: Currency.optional(),
    expectedCloseDate: CalendarDate.optional(),
    productNeeds: z.array(z.string().min(1).max(200)).max(50).default([]),
    capturedAt: Timestamp,
    convertedAt: Timestamp,
    historical: Historical,
  }),
});

export const RepUpserted = defineEvent({
  topic: Topics.reps,
  source: 'leads',
  name: 'rep.upserted',
  summary: 'A sales rep was created or changed (team, region, capacity, active).',
  data: z.object({
    repId: Id,
    name: z.string().min(1).max(200),
    email: z.email(),
    team: z.string().optional(),
    managerId: Id.optional(),
    regions: z.array(Region).default([]),
    productLines: z.array(ProductLine).default([]),
    capacity: z.number().int().min(0),
    active: z.boolean(),
    updatedAt: Timestamp,
  }),
});

export const RepHandedOver = defineEvent({
  topic: Topics.reps,
  source: 'leads',
  name: 'rep.handed_over',
  summary:
    "A rep's open work was handed over to another rep, with the reason (ADR 0022). Leads moved their open leads in the same transaction; opportunities and orders move that rep's open records when they read this.",
  data: z.object({
    handOverId: Id,
    fromRepId: Id.describe('the rep who hands over (active or not); also the Kafka key'),
    toRepId: Id.describe('the rep who takes over: known and active when leads published this'),
    toTeam: z.string().optional().describe("the new owner's team, which the moved records take"),
    reason: HandOverReason,
    kinds: z.array(HandOverKind).min(1).describe("which of the rep's open records move"),
    leadsMoved: z.number().int().min(0).describe('how many open leads leads moved'),
    by: Actor,
    at: Timestamp,
  }),
});

export const LeadErased = defineEvent({
  ...lead,
  name: 'lead.erased',
  summary:
    "A lead's personal data was erased, on request or when its retention period ended: each service scrubs it from the lead and what came of it, and keeps the business facts.",
  data: z.object({
    leadId: Id,
    reason: z.enum(['request', 'retention']),
    opportunityIds: z.array(Id).describe("the lead's opportunity, when it was converted"),
    by: Actor,
    erasedAt: Timestamp,
  }),
});
