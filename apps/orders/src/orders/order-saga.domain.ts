import type { EventOf } from '@crm/contracts';
import { nothingToDo, type Decision } from '@crm/domain';
import { newEvent } from '@crm/messaging';
import { compareAmounts } from '@crm/money';
import { stockShortageAlert } from '../alerts/alert.domain';
import { canApply, IllegalTransitionError, readyToComplete, type OrderAction, type PaymentStatus } from './order-workflow.domain';
import { completed, decided, move, planFor, SYSTEM, type Order, type OrderChanges, type Plan } from './order.domain';

// The saga's answers to an order: inventory's (stock deducted or short) and finance's (payment received).

/** Inventory's answer moves a confirmed order on; an answer for an order that moved on (cancelled) is moot. */
const moot = (action: OrderAction, order: Order): Decision<OrderChanges> =>
  nothingToDo({ steps: [], ignored: new IllegalTransitionError(action, order.status).message });

/** `stock.deducted`: the order is allocated (from confirmed, or from on hold once stock came in). */
export function decideStockDeducted(order: Order, now: Date): Decision<OrderChanges> {
  if (!canApply('allocate', order.status)) return moot('allocate', order);
  // Inventory puts this stock back on the hold's event; a retry deducts again and answers anew.
  if (order.holdKind === 'erp_refused') return nothingToDo({ steps: [], ignored: 'the order is held by an ERP refusal' });
  return decided(
    move(
      planFor(order),
      {
        action: 'allocate',
        by: SYSTEM,
        set: { holdReason: null, holdKind: null },
        events: (o, at) => [newEvent('order.allocated', { subject: o.id, data: { orderId: o.id, at } })],
      },
      now,
    ),
  );
}

type Shortages = EventOf<'stock.insufficient'>['data']['shortages'];

/** `stock.insufficient`: the order goes on hold and its rep is alerted, once per inventory answer (`eventId`). */
export function decideStockInsufficient(order: Order, cmd: { shortages: Shortages; eventId: string; alertId: string }, now: Date): Decision<OrderChanges> {
  const reason = `insufficient stock: ${cmd.shortages.map((s) => `${s.sku} needs ${s.requested}, has ${s.available}`).join('; ')}`;
  if (!canApply('hold', order.status)) return moot('hold', order);
  const plan = move(
    planFor(order),
    {
      action: 'hold',
      by: SYSTEM,
      note: reason,
      set: { holdReason: reason, holdKind: 'stock_shortage' },
      events: (o, at) => [newEvent('order.on_hold', { subject: o.id, data: { orderId: o.id, repId: o.repId, reason, shortages: cmd.shortages, at } })],
    },
    now,
  );
  const alert = stockShortageAlert(plan.order, { id: cmd.alertId, eventId: cmd.eventId, reason, shortages: cmd.shortages });
  return { changes: { ...plan.changes, alert }, events: plan.events };
}

/** `payment.received`: keeps the payment state; a delivered order that is now paid completes. */
export function decidePaymentReceived(order: Order, outstanding: string, now: Date): Decision<OrderChanges> {
  const paymentStatus: PaymentStatus = compareAmounts(outstanding, '0') <= 0 ? 'paid' : 'partially_paid';
  let plan: Plan = { order: { ...order, paymentStatus, outstanding }, changes: { steps: [{ set: { paymentStatus, outstanding } }] }, events: [] };
  if (readyToComplete(plan.order.status, paymentStatus)) plan = completed(plan, SYSTEM, now);
  return decided(plan);
}
