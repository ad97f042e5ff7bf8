import { formatAmount } from '@crm/money';
import type { AccessScope } from '@crm/http';
import type { SelectQueryBuilder } from 'typeorm';
import type { CreditNoteEntity, PaymentEntity, ReceivableEntity } from './receivable.entities';
import type { CreditNoteView, PaymentView, ReceivableView } from './receivables.dto';
import { OWING_STATUSES, daysOverdue, outstandingOf } from './receivables.domain';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function receivableView(r: ReceivableEntity, now = new Date()): ReceivableView {
  return {
    id: r.id,
    orderId: r.orderId,
    repId: r.repId,
    team: r.team,
    customerName: r.customerName,
    amount: formatAmount(r.amount),
    paid: formatAmount(r.paid),
    outstanding: outstandingOf(r.amount, r.paid),
    currency: r.currency,
    paymentTerms: r.paymentTerms,
    dueDate: r.dueDate,
    status: r.status,
    overdue: OWING_STATUSES.includes(r.status) && daysOverdue(r.dueDate, now) > 0,
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

/** Reps see the receivables of their own orders, managers their team's, admin and integration all. */
export function whereVisible(qb: SelectQueryBuilder<ReceivableEntity>, scope: AccessScope): SelectQueryBuilder<ReceivableEntity> {
  const alias = qb.alias;
  if (scope.kind === 'own') {
    // rep_id is a uuid: a token whose sub is not one owns nothing (and must not become a cast error).
    if (!UUID.test(scope.repId)) return qb.andWhere('1 = 0');
    return qb.andWhere(`${alias}.repId = :scopeRepId`, { scopeRepId: scope.repId });
  }
  if (scope.kind === 'team') return qb.andWhere(`${alias}.team = :scopeTeam`, { scopeTeam: scope.team });
  return qb;
}
