import { z } from 'zod';
import { defineEvent } from '../event-definition';
import { CalendarDate, Currency, Decimal, Id, PaymentTerms, Timestamp } from '../primitives';
import { Topics } from '../topics';

const finance = { topic: Topics.finance, source: 'finance' } as const;

export const ReceivableCreated = defineEvent({
  ...finance,
  name: 'receivable.created',
  summary: 'A receivable was opened for a confirmed order.',
  data: z.object({
    receivableId: Id,
    orderId: Id,
    accountId: Id.optional().describe("the order's account in the customers service, when it named one (ADR 0018)"),
    amount: Decimal,
    currency: Currency,
    paymentTerms: PaymentTerms,
    dueDate: CalendarDate,
    createdAt: Timestamp,
  }),
});

export const ReceivableVoided = defineEvent({
  ...finance,
  name: 'receivable.voided',
  summary: 'The receivable of a cancelled order was voided (or credited when partly paid).',
  data: z.object({ receivableId: Id, orderId: Id, reason: z.string().min(1), creditedAmount: Decimal.default('0'), voidedAt: Timestamp }),
});

export const ReceivableRefused = defineEvent({
  ...finance,
  name: 'receivable.refused',
  summary: 'The ERP refused the receivable of a confirmed order (a 4xx): none was opened; orders holds the order (subject = order id).',
  data: z.object({ orderId: Id, erpStatus: z.number().int().min(400).max(499), reason: z.string().min(1).max(2000), at: Timestamp }),
});

export const PaymentReceived = defineEvent({
  ...finance,
  name: 'payment.received',
  summary: 'A payment was recorded against a receivable.',
  data: z.object({
    paymentId: Id,
    receivableId: Id,
    orderId: Id,
    amount: Decimal,
    currency: Currency,
    outstanding: Decimal.describe('what is still owed after this payment'),
    method: z.string().max(40).optional(),
    receivedAt: Timestamp,
  }),
});

export const ReceivableOverdue = defineEvent({
  ...finance,
  name: 'receivable.overdue',
  summary: 'A receivable passed its due date with money still owed.',
  data: z.object({
    receivableId: Id,
    orderId: Id,
    outstanding: Decimal,
    currency: Currency,
    dueDate: CalendarDate,
    daysOverdue: z.number().int().positive(),
    detectedAt: Timestamp,
  }),
});
