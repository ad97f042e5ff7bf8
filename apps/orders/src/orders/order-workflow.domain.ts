import type { z } from 'zod';
import type { OrderStatus as OrderStatusSchema } from '@crm/contracts';
import { DomainError } from '@crm/domain';

export type OrderStatus = z.infer<typeof OrderStatusSchema>;

/**
 * The order workflow (issue 3): what may follow what. Reps and managers act through the API; inventory's
 * answer (allocate / hold) and tracking reports move the rest. Cancelling is allowed until the goods ship.
 */
export const TRANSITIONS = {
  submit: { from: ['draft'], to: 'submitted' },
  reject: { from: ['submitted'], to: 'draft' },
  confirm: { from: ['submitted'], to: 'confirmed' },
  allocate: { from: ['confirmed', 'on_hold'], to: 'allocated' },
  hold: { from: ['confirmed'], to: 'on_hold' },
  // ADR 0013: the ERP refused a step; inventory puts back what it took, so an allocated order is held too.
  erpHold: { from: ['confirmed', 'on_hold', 'allocated'], to: 'on_hold' },
  // An operator's retry once the ERP data is fixed: the saga's steps run again from confirmed.
  erpRetry: { from: ['on_hold'], to: 'confirmed' },
  startProduction: { from: ['allocated'], to: 'in_production' },
  ship: { from: ['allocated', 'in_production'], to: 'shipped' },
  deliver: { from: ['shipped'], to: 'delivered' },
  complete: { from: ['delivered'], to: 'completed' },
  cancel: { from: ['draft', 'submitted', 'confirmed', 'on_hold', 'allocated', 'in_production'], to: 'cancelled' },
} as const satisfies Record<string, { from: readonly OrderStatus[]; to: OrderStatus }>;

export type OrderAction = keyof typeof TRANSITIONS;

/** A move the workflow does not allow from the order's status: 409 ILLEGAL_TRANSITION naming what is allowed. */
export class IllegalTransitionError extends DomainError {
  override name = 'IllegalTransitionError';
  constructor(
    readonly action: OrderAction,
    readonly status: OrderStatus,
  ) {
    const allowed = TRANSITIONS[action].from.join(', ');
    super({ kind: 'conflict', code: 'ILLEGAL_TRANSITION', detail: `cannot ${action} an order that is ${status} (allowed from: ${allowed})` });
  }
}

export const canApply = (action: OrderAction, status: OrderStatus): boolean => (TRANSITIONS[action].from as readonly OrderStatus[]).includes(status);

/** The status after `action`, or an IllegalTransitionError naming what is allowed. */
export function nextStatus(action: OrderAction, status: OrderStatus): OrderStatus {
  if (!canApply(action, status)) throw new IllegalTransitionError(action, status);
  return TRANSITIONS[action].to;
}

/** Orders that have not left the warehouse: a passed promised date on them is a delay. */
export const NOT_YET_SHIPPED: readonly OrderStatus[] = ['draft', 'submitted', 'confirmed', 'on_hold', 'allocated', 'in_production'];

/** Whole days from the promised date to `today` (both business days); 0 when not late. */
export function daysLate(promisedDeliveryDate: string, today: string): number {
  const ms = Date.parse(`${today}T00:00:00Z`) - Date.parse(`${promisedDeliveryDate}T00:00:00Z`);
  return Math.max(0, Math.round(ms / 86_400_000));
}

/** An order is completed once it is both delivered and fully paid (or by a manager after delivery). */
export const readyToComplete = (status: OrderStatus, paymentStatus: PaymentStatus): boolean => status === 'delivered' && paymentStatus === 'paid';

export type PaymentStatus = 'unpaid' | 'partially_paid' | 'paid';
