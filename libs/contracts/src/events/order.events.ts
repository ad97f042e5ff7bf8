import { z } from 'zod';
import { defineEvent } from '../event-definition';
import {
  Actor,
  Address,
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
  Region,
  Shortage,
  Timestamp,
} from '../primitives';
import { Topics } from '../topics';

const order = { topic: Topics.orders, source: 'orders' } as const;
export const OrderStatus = z.enum([
  'draft',
  'submitted',
  'confirmed',
  'on_hold',
  'allocated',
  'in_production',
  'shipped',
  'delivered',
  'completed',
  'cancelled',
]);

const OrderTerms = {
  orderId: Id,
  opportunityId: Id.nullable(),
  repId: Id,
  team: z.string().optional(),
  customer: Customer,
  ...CustomerRefs,
  billingAddress: Address.optional().describe("by default the account's billing address"),
  shippingAddress: Address.optional().describe("by default the account's shipping address"),
  region: Region.optional(),
  currency: Currency,
  lines: z.array(OrderLine.extend({ lineId: Id, lineTotal: Decimal })).min(1),
  total: Decimal,
  paymentTerms: PaymentTerms,
  promisedDeliveryDate: CalendarDate.optional(),
};

export const OrderDrafted = defineEvent({
  ...order,
  name: 'order.drafted',
  summary: 'An order draft was created, directly or from a won opportunity.',
  personal: personalCustomer('customer'),
  data: z.object({ ...OrderTerms, by: Actor, draftedAt: Timestamp }),
});

/** The parts of a draft an edit may change (PATCH /api/v1/orders/{id}). */
export const DraftTerm = z.enum(['lines', 'currency', 'paymentTerms', 'billingAddress', 'shippingAddress', 'promisedDeliveryDate']);

export const OrderDraftUpdated = defineEvent({
  ...order,
  name: 'order.draft_updated',
  summary: "A draft's lines, terms, addresses or promised date were edited before it was submitted: the order's terms as they now stand.",
  personal: personalCustomer('customer'),
  data: z.object({
    ...OrderTerms,
    changed: z.array(DraftTerm).min(1).describe('which parts this edit changed; the other terms are repeated as they stand'),
    note: z.string().max(2000).optional().describe("the editor's reason, when given"),
    by: Actor,
    updatedAt: Timestamp,
  }),
});

export const OrderSubmitted = defineEvent({
  ...order,
  name: 'order.submitted',
  summary: 'The rep submitted the order for review.',
  data: z.object({ orderId: Id, by: Actor, submittedAt: Timestamp }),
});

export const OrderConfirmed = defineEvent({
  ...order,
  name: 'order.confirmed',
  summary: 'The order was confirmed: inventory deducts stock, finance opens a receivable.',
  personal: personalCustomer('customer'),
  data: z.object({ ...OrderTerms, by: Actor, autoConfirmed: z.boolean(), confirmedAt: Timestamp, historical: Historical }),
});

/** Why an order waits: stock is short, or the ERP refused a step of the saga (ADR 0013). */
export const HoldKind = z.enum(['stock_shortage', 'erp_refused']);
/** The saga step the ERP refused: inventory's deduction or finance's receivable. */
export const ErpStep = z.enum(['inventory', 'finance']);

export const OrderOnHold = defineEvent({
  ...order,
  name: 'order.on_hold',
  summary:
    'The order waits: stock is short (the rep is alerted), or the ERP refused a step (rep and finance are alerted, inventory releases what it deducted).',
  data: z.object({
    orderId: Id,
    repId: Id,
    reason: z.string().min(1),
    shortages: z.array(Shortage).default([]),
    kind: HoldKind.default('stock_shortage'),
    erpStep: ErpStep.optional().describe('set when kind is erp_refused'),
    erpStatus: z.number().int().min(400).max(499).optional().describe('the ERP answer, set when kind is erp_refused'),
    notify: z
      .array(z.enum(['rep', 'finance']))
      .default(['rep'])
      .describe('who was alerted'),
    at: Timestamp,
  }),
});

export const OrderErpRetryRequested = defineEvent({
  ...order,
  name: 'order.erp_retry_requested',
  summary: 'An operator retries an order held by an ERP refusal: inventory deducts again, finance opens the receivable if it has none.',
  personal: personalCustomer('customer'),
  data: z.object({ ...OrderTerms, by: Actor, requestedAt: Timestamp }),
});

export const OrderAllocated = defineEvent({
  ...order,
  name: 'order.allocated',
  summary: 'Stock for every line was deducted.',
  data: z.object({ orderId: Id, at: Timestamp }),
});

export const OrderStatusChanged = defineEvent({
  ...order,
  name: 'order.status_changed',
  summary: 'Any status transition, with who and when (the status history).',
  data: z.object({ orderId: Id, from: OrderStatus, to: OrderStatus, by: Actor, note: z.string().max(2000).optional(), at: Timestamp }),
});

export const OrderDelayed = defineEvent({
  ...order,
  name: 'order.delayed',
  summary: 'An alert for the rep: the order is past its promised date and not shipped, or a quality problem was reported.',
  data: z.object({
    orderId: Id,
    repId: Id,
    status: OrderStatus,
    reason: z.enum(['past_promised_date', 'quality_problem']).default('past_promised_date'),
    promisedDeliveryDate: CalendarDate.optional().describe('set when reason is past_promised_date'),
    daysLate: z.number().int().positive().optional().describe('set when reason is past_promised_date'),
    note: z.string().max(2000).optional(),
    detectedAt: Timestamp,
  }),
});

export const OrderShipped = defineEvent({
  ...order,
  name: 'order.shipped',
  summary: 'The order left the warehouse with a carrier.',
  data: z.object({ orderId: Id, carrier: z.string().min(1).max(100), trackingNumber: z.string().min(1).max(100), shippedAt: Timestamp }),
});

export const OrderDelivered = defineEvent({
  ...order,
  name: 'order.delivered',
  summary: 'The customer received the order.',
  data: z.object({ orderId: Id, deliveredAt: Timestamp }),
});

export const OrderCompleted = defineEvent({
  ...order,
  name: 'order.completed',
  summary: 'The order is complete; after-sales feedback is requested.',
  data: z.object({ orderId: Id, repId: Id, currency: Currency, total: Decimal, completedAt: Timestamp }),
});

export const OrderCancelled = defineEvent({
  ...order,
  name: 'order.cancelled',
  summary: 'The order was cancelled: confirmed stock is released and the unpaid receivable voided.',
  data: z.object({ orderId: Id, previousStatus: OrderStatus, reason: z.string().min(1).max(500), by: Actor, cancelledAt: Timestamp, historical: Historical }),
});

export const OrderFeedbackReceived = defineEvent({
  ...order,
  name: 'order.feedback_received',
  summary: 'After-sales feedback, published for R&D and production.',
  personal: ['comment?'],
  data: z.object({
    orderId: Id,
    feedbackId: Id,
    repId: Id,
    rating: z.number().int().min(1).max(5),
    category: z.enum(['quality', 'delivery', 'service', 'product', 'other']),
    comment: z.string().max(4000).optional(),
    complaint: z.boolean().default(false),
    receivedAt: Timestamp,
  }),
});

export const OrderReassigned = defineEvent({
  ...order,
  name: 'order.reassigned',
  summary: "An open order (not completed or cancelled) was handed over to another rep, with the reason: alone, or as part of a rep's hand-over (handOverId).",
  data: z.object({
    orderId: Id,
    opportunityId: Id.nullable(),
    fromRepId: Id,
    toRepId: Id,
    team: z.string().optional().describe("the new owner's team (absent: none)"),
    status: OrderStatus.describe('the status the order had when it changed hands'),
    reason: HandOverReason,
    handOverId: HandOverId.optional(),
    by: Actor,
    reassignedAt: Timestamp,
  }),
});
