import { z } from 'zod';
import { defineEvent } from '../event-definition';
import {
  Actor,
  CalendarDate,
  Currency,
  Customer,
  personalCustomer,
  CustomerRefs,
  Decimal,
  HandOverId,
  HandOverReason,
  Historical,
  Id,
  OrderLine,
  PaymentTerms,
  ProductLine,
  Region,
  Timestamp,
} from '../primitives';
import { Topics } from '../topics';

const opportunity = { topic: Topics.opportunities, source: 'opportunities' } as const;
const Stage = z.string().min(1).max(64);
// Who the deal is with and who owns it: carried by the events analytics and orders build on.
const Deal = {
  opportunityId: Id,
  leadId: Id.nullable(),
  repId: Id,
  team: z.string().optional(),
  customer: Customer,
  ...CustomerRefs,
  region: Region.optional(),
};

export const OpportunityCreated = defineEvent({
  ...opportunity,
  name: 'opportunity.created',
  summary: 'An opportunity was opened, from a converted lead or directly.',
  personal: personalCustomer('customer'),
  data: z.object({
    ...Deal,
    productLine: ProductLine.optional(),
    expectedAmount: Decimal,
    currency: Currency,
    expectedCloseDate: CalendarDate,
    stage: Stage,
    winProbability: z.number().min(0).max(1).optional().describe("the stage's win probability"),
    createdAt: Timestamp,
  }),
});

export const OpportunityScored = defineEvent({
  ...opportunity,
  name: 'opportunity.scored',
  summary: 'The opportunity got a new score, with each factor explained.',
  data: z.object({
    opportunityId: Id,
    score: z.number().min(0).max(100),
    factors: z.array(
      z.object({
        factor: z.string().min(1),
        weight: z.number(),
        value: z.number(),
        contribution: z.number(),
        explanation: z.string(),
      }),
    ),
    scoredAt: Timestamp,
  }),
});

export const OpportunityStageChanged = defineEvent({
  ...opportunity,
  name: 'opportunity.stage_changed',
  summary: 'The opportunity moved to another pipeline stage after meeting the exit criteria.',
  data: z.object({
    opportunityId: Id,
    repId: Id,
    fromStage: Stage,
    toStage: Stage,
    winProbability: z.number().min(0).max(1).optional().describe("the new stage's win probability"),
    by: Actor,
    changedAt: Timestamp,
  }),
});

export const OpportunityTermsChanged = defineEvent({
  ...opportunity,
  name: 'opportunity.terms_changed',
  summary: "An open opportunity's amount, expected close date or product lines changed: its terms as they now stand, in effect from changedAt.",
  data: z.object({
    opportunityId: Id,
    repId: Id,
    expectedAmount: Decimal,
    currency: Currency,
    expectedCloseDate: CalendarDate,
    lines: z.array(OrderLine).describe('the product lines now (empty when it has none)'),
    changed: z
      .array(z.enum(['expectedAmount', 'expectedCloseDate', 'lines']))
      .min(1)
      .describe('which of the terms this change touched'),
    by: Actor,
    changedAt: Timestamp,
  }),
});

export const OpportunityStageOverdue = defineEvent({
  ...opportunity,
  name: 'opportunity.stage_overdue',
  summary: 'The opportunity stayed in a stage beyond its time limit.',
  data: z.object({
    opportunityId: Id,
    repId: Id,
    stage: Stage,
    enteredAt: Timestamp,
    limitHours: z.number().positive(),
    detectedAt: Timestamp,
  }),
});

export const OpportunityStrategyRecorded = defineEvent({
  ...opportunity,
  name: 'opportunity.strategy_recorded',
  summary: 'A sales strategy (products, pricing, promotions) was appended to the history.',
  data: z.object({
    opportunityId: Id,
    strategyId: Id,
    by: Actor,
    recommendedProducts: z.array(z.string().min(1)).default([]),
    pricing: z.string().max(2000).optional(),
    promotions: z.array(z.string().min(1)).default([]),
    note: z.string().max(4000).optional(),
    discountPercent: z.number().min(0).max(100).optional().describe('discount offered, percent of the list price'),
    replacesId: Id.nullable().optional().describe('the strategy record this one adjusts (null for the first)'),
    recordedAt: Timestamp,
  }),
});

export const OpportunityWon = defineEvent({
  ...opportunity,
  name: 'opportunity.won',
  summary: 'The customer said yes: orders drafts an order from it.',
  personal: personalCustomer('customer'),
  data: z.object({
    ...Deal,
    currency: Currency,
    amount: Decimal,
    lines: z.array(OrderLine).min(1),
    paymentTerms: PaymentTerms.optional(),
    promisedDeliveryDate: CalendarDate.optional(),
    createdAt: Timestamp,
    wonAt: Timestamp,
    historical: Historical,
  }),
});

export const OpportunityCustomerLinked = defineEvent({
  ...opportunity,
  name: 'opportunity.customer_linked',
  summary: "The opportunity now points at its customer's account and contact (after its lead was matched, or a merge).",
  data: z.object({
    opportunityId: Id,
    leadId: Id.nullable(),
    accountId: Id,
    contactId: Id.nullable(),
    linkedAt: Timestamp,
  }),
});

export const OpportunityLost = defineEvent({
  ...opportunity,
  name: 'opportunity.lost',
  summary: 'The opportunity was lost, with the reason.',
  data: z.object({
    opportunityId: Id,
    repId: Id,
    stage: Stage,
    reason: z.string().min(1).max(500),
    competitor: z.string().max(200).optional(),
    lostAt: Timestamp,
  }),
});

export const OpportunityReassigned = defineEvent({
  ...opportunity,
  name: 'opportunity.reassigned',
  summary: "An open opportunity was handed over to another rep, with the reason: alone, or as part of a rep's hand-over (handOverId).",
  data: z.object({
    opportunityId: Id,
    fromRepId: Id,
    toRepId: Id,
    team: z.string().optional().describe("the new owner's team (absent: none)"),
    reason: HandOverReason,
    handOverId: HandOverId.optional(),
    by: Actor,
    reassignedAt: Timestamp,
  }),
});
