import { DEFAULT_TIME_ZONE } from '@crm/calendar';
import { formatAmount } from '@crm/money';
import type { CreditNoteEntity, PaymentEntity, ReceivableEntity } from './receivable.entities';
import type { CreditNoteView, PaymentView, ReceivableView } from './receivables.dto';
import { OWING_STATUSES, daysOverdue, outstandingOf } from './receivables.domain';

export function receivableView(r: ReceivableEntity, now = new Date(), zone = DEFAULT_TIME_ZONE): ReceivableView {
  return {
    id: r.id,
    orderId: r.orderId,
    repId: r.repId,
    team: r.team,
    customerName: r.customerName,
    accountId: r.accountId,
    contactId: r.contactId,
    amount: formatAmount(r.amount),
    paid: formatAmount(r.paid),
    outstanding: outstandingOf(r.amount, r.paid),
    currency: r.currency,
    paymentTerms: r.paymentTerms,
    dueDate: r.dueDate,
    status: r.status,
    overdue: OWING_STATUSES.includes(r.status) && daysOverdue(r.dueDate, now, zone) > 0,
    overdueAlertedAt: r.overdueAlertedAt?.toISOString() ?? null,
    version: r.version,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

export const paymentView = (p: PaymentEntity): PaymentView => ({
  id: p.id,
  receivableId: p.receivableId,
  amount: formatAmount(p.amount),
  currency: p.currency,
  method: p.method,
  reference: p.reference,
  receivedAt: p.receivedAt.toISOString(),
  createdBy: p.createdBy,
  createdAt: p.createdAt.toISOString(),
});

export const creditNoteView = (c: CreditNoteEntity): CreditNoteView => ({
  id: c.id,
  receivableId: c.receivableId,
  amount: formatAmount(c.amount),
  reason: c.reason,
  createdAt: c.createdAt.toISOString(),
});
