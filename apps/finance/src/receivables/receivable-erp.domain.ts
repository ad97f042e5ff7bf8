import { DomainError, type Decision } from '@crm/domain';
import { newEvent } from '@crm/messaging';
import { formatAmount } from '@crm/money';
import type { ErpPayment, ErpReceivable } from '../erp/finance-erp.connector';
import type { Receivable } from './receivable-commands.domain';

// What finance tells the ERP, and what an ERP refusal (a 4xx) means for each push (ADR 0013).

export interface ErpRefused {
  erpStatus: number;
  reason: string;
}

export const erpReceivableOf = (r: Receivable): ErpReceivable => ({
  receivableId: r.id,
  orderId: r.orderId,
  customerName: r.customerName,
  amount: r.amount,
  currency: r.currency,
  paymentTerms: r.paymentTerms,
  dueDate: r.dueDate,
});

export const erpPaymentOf = (
  p: { id: string; amount: string; currency: string; method: string | null; reference: string | null; receivedAt: Date },
  r: { id: string; orderId: string },
): ErpPayment => ({
  paymentId: p.id,
  receivableId: r.id,
  orderId: r.orderId,
  amount: formatAmount(p.amount),
  currency: p.currency,
  method: p.method,
  reference: p.reference,
  receivedAt: p.receivedAt.toISOString(),
});

/**
 * The ERP refused the receivable of a confirmed order: none is opened here either (the ledgers stay alike), and
 * `receivable.refused` (keyed by the order) tells orders to hold the order; an operator's retry opens it later.
 */
export function decideOpenRefused(orderId: string, refused: ErpRefused, now: Date): Decision<{ receivable: null }> {
  const event = newEvent('receivable.refused', { subject: orderId, data: { orderId, ...refused, at: now.toISOString() } });
  return { changes: { receivable: null }, events: [event] };
}

/** A payment the ERP refuses is not recorded: the caller hears why, with the ERP's reason. */
export const paymentRefusedByErp = (refused: ErpRefused): DomainError =>
  DomainError.conflict('ERP_REFUSED_PAYMENT', `The ERP refused the payment (HTTP ${refused.erpStatus}); nothing was recorded: ${refused.reason}`);
