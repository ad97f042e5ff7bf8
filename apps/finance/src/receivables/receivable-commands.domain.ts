import type { EventOf } from '@crm/contracts';
import { DomainError, nothingToDo, type Decision } from '@crm/domain';
import { newEvent } from '@crm/messaging';
import { formatAmount } from '@crm/money';
import { applyPayment, cancellationOf, dueDateFor, orderTotalMismatch, statusFor, type ReceivableStatus } from './receivables.domain';

// The commands on a receivable, each a pure decision on its state: open, record a payment, void.

/** A receivable as its commands see it (the entity has more, for reading). */
export interface Receivable {
  id: string;
  orderId: string;
  repId: string;
  team: string | null;
  customerName: string;
  /** The customers-service account and contact (ADR 0018), when the order named them. */
  accountId: string | null;
  contactId: string | null;
  amount: string;
  paid: string;
  currency: string;
  paymentTerms: string;
  dueDate: string;
  status: ReceivableStatus;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

// A clock a little ahead of ours is not a payment from the future.
export const CLOCK_SKEW_MS = 5 * 60_000;

/** `Receivable was not found.`, `The receivable of this order was not found.` */
export const notFound = (what: string) => new DomainError({ kind: 'not_found', detail: `${what} was not found.` });

/** The order's receivable, if it has one (a confirmation re-sent, a cancellation). */
export interface OrderReceivable {
  version: number;
  receivable: Receivable | null;
}

/** What a receivable is opened from: `order.confirmed`, or an operator's retry after an ERP refusal. */
export type OrderToInvoice = Pick<
  EventOf<'order.confirmed'>['data'],
  'orderId' | 'repId' | 'team' | 'customer' | 'accountId' | 'contactId' | 'currency' | 'lines' | 'total' | 'paymentTerms' | 'confirmedAt'
>;

export interface OpenCommand {
  order: OrderToInvoice;
  /** The new receivable's id. */
  id: string;
  now: Date;
  /** The business time zone the due date is a day of (default UTC). */
  zone?: string;
}

/**
 * A confirmed order opens a receivable for its total, due by its payment terms; once: a confirmation
 * re-sent under a new event id finds the order's receivable and changes nothing. An order whose money does
 * not add up is refused for good (its event is dead-lettered): a receivable is never opened for an amount we cannot explain.
 */
export function decideOpen(state: OrderReceivable, { order, id, now, zone }: OpenCommand): Decision<{ receivable: Receivable | null }> {
  const mismatch = orderTotalMismatch(order.lines, order.total);
  if (mismatch) throw new DomainError({ kind: 'invalid', code: 'ORDER_NOT_INVOICEABLE', detail: `order ${order.orderId} cannot be invoiced: ${mismatch}` });
  if (state.receivable) return nothingToDo({ receivable: null });
  const amount = formatAmount(order.total);
  const dueDate = dueDateFor(order.paymentTerms, order.confirmedAt, zone);
  const receivable: Receivable = {
    id,
    orderId: order.orderId,
    repId: order.repId,
    team: order.team ?? null,
    customerName: order.customer.name,
    accountId: order.accountId ?? null,
    contactId: order.contactId ?? null,
    amount,
    paid: '0',
    currency: order.currency,
    paymentTerms: order.paymentTerms,
    dueDate,
    status: statusFor(amount, '0'),
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
  const data = {
    receivableId: id,
    orderId: order.orderId,
    ...(order.accountId ? { accountId: order.accountId } : {}),
    amount,
    currency: order.currency,
    paymentTerms: order.paymentTerms,
    dueDate,
    createdAt: now.toISOString(),
  };
  return { changes: { receivable }, events: [newEvent('receivable.created', { subject: id, data })] };
}

export interface VoidCommand {
  orderId: string;
  reason: string;
  now: Date;
  /** The id a credit note gets, if one is needed. */
  creditNoteId: string;
}

export interface Voiding {
  receivableId: string;
  at: Date;
  creditNote: { id: string; amount: string; reason: string } | null;
  /** What was voided, as published and as told to an ERP. */
  voided: EventOf<'receivable.voided'>['data'];
}

/** A cancelled order's receivable is voided, once; what was paid is credited back with a credit note. */
export function decideVoid(state: OrderReceivable, cmd: VoidCommand): Decision<{ voiding: Voiding | null }> {
  // Cancelled before it was confirmed: there is nothing to void.
  if (!state.receivable) return nothingToDo({ voiding: null });
  const outcome = cancellationOf(state.receivable);
  if (outcome.kind === 'nothing') return nothingToDo({ voiding: null });
  const receivableId = state.receivable.id;
  const voided = { receivableId, orderId: cmd.orderId, creditedAmount: outcome.creditedAmount, reason: cmd.reason, voidedAt: cmd.now.toISOString() };
  const creditNote = outcome.creditNote ? { id: cmd.creditNoteId, amount: outcome.creditNote, reason: cmd.reason } : null;
  return {
    changes: { voiding: { receivableId, at: cmd.now, creditNote, voided } },
    events: [newEvent('receivable.voided', { subject: receivableId, data: voided })],
  };
}

/** When the money arrived: as given, or now; never in the future (beyond a little clock skew). */
export function paymentReceivedAt(receivedAt: string | undefined, now: Date): Date {
  const at = receivedAt ? new Date(receivedAt) : now;
  if (at.getTime() > now.getTime() + CLOCK_SKEW_MS) throw DomainError.invalidInput('receivedAt', 'notInFuture', 'receivedAt must not be in the future');
  return at;
}

/** The receivable a payment is for, locked, and whether the payment's reference was used on it before. */
export interface PaymentTarget {
  version: number;
  receivable: Receivable;
  referenceTaken: boolean;
}

export interface PaymentCommand {
  paymentId: string;
  amount: string;
  currency: string;
  method?: string;
  reference?: string;
  receivedAt: Date;
  by: string;
  now: Date;
}

export interface NewPayment {
  id: string;
  receivableId: string;
  amount: string;
  currency: string;
  method: string | null;
  reference: string | null;
  receivedAt: Date;
  createdBy: string;
  createdAt: Date;
}

export interface PaymentChanges {
  payment: NewPayment;
  receivable: Pick<Receivable, 'paid' | 'status' | 'version' | 'updatedAt'>;
}

/**
 * A payment in the receivable's currency, of at most what is outstanding, on a receivable not voided, with a
 * reference not used on it before: partial → partially_paid, the rest → paid. Payment locks serialise, so
 * concurrent payments are applied one after another and never overpay together.
 */
export function decidePayment({ receivable: r, referenceTaken }: PaymentTarget, cmd: PaymentCommand): Decision<PaymentChanges> {
  if (cmd.currency !== r.currency) {
    throw DomainError.invalidInput('currency', 'matchesReceivableCurrency', `currency must be ${r.currency}, the currency of the receivable`);
  }
  const outcome = applyPayment(r, cmd.amount);
  if (!outcome.ok) {
    if (outcome.reason === 'voided') throw DomainError.conflict('RECEIVABLE_VOIDED', 'The receivable was voided; it takes no payments.');
    if (outcome.reason === 'overpayment') {
      const amount = formatAmount(cmd.amount);
      throw DomainError.conflict('OVERPAYMENT', `The payment of ${amount} ${r.currency} exceeds the outstanding ${outcome.outstanding} ${r.currency}.`);
    }
    throw DomainError.invalidInput('amount', 'isPositiveAmount', 'amount must be greater than 0');
  }
  if (cmd.reference && referenceTaken) {
    throw DomainError.conflict('DUPLICATE_PAYMENT_REFERENCE', 'A payment with this reference was already recorded for this receivable.');
  }
  const payment: NewPayment = {
    id: cmd.paymentId,
    receivableId: r.id,
    amount: formatAmount(cmd.amount),
    currency: r.currency,
    method: cmd.method ?? null,
    reference: cmd.reference ?? null,
    receivedAt: cmd.receivedAt,
    createdBy: cmd.by,
    createdAt: cmd.now,
  };
  const data = {
    paymentId: payment.id,
    receivableId: r.id,
    orderId: r.orderId,
    amount: payment.amount,
    currency: payment.currency,
    outstanding: outcome.outstanding,
    method: payment.method ?? undefined,
    receivedAt: cmd.receivedAt.toISOString(),
  };
  return {
    changes: { payment, receivable: { paid: outcome.paid, status: outcome.status, version: r.version + 1, updatedAt: cmd.now } },
    events: [newEvent('payment.received', { subject: r.id, data })],
  };
}
