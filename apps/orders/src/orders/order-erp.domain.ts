import { DomainError, nothingToDo, type Decision } from '@crm/domain';
import { newEvent } from '@crm/messaging';
import type { NewAlert } from '../alerts/alert.domain';
import { canApply, IllegalTransitionError } from './order-workflow.domain';
import { decided, move, orderTerms, planFor, SYSTEM, type Actor, type ErpRefusal, type Order, type OrderChanges } from './order.domain';

// ADR 0013: an ERP refusal (a 4xx on inventory's deduction or finance's receivable) holds the order, alerts its
// rep and finance, and (through order.on_hold) has inventory put back what it took; an operator retries it.

const STEP_NAMES: Record<ErpRefusal['step'], string> = { inventory: 'the stock deduction', finance: 'the receivable' };

export interface ErpRefusedCommand {
  refusal: ErpRefusal;
  /** The refusal event: one hold and one pair of alerts per refusal, however often it is delivered. */
  eventId: string;
  alertIds: { rep: string; finance: string };
}

const refusalAlert = (order: Order, cmd: ErpRefusedCommand, audience: 'rep' | 'finance', message: string): NewAlert => ({
  id: cmd.alertIds[audience],
  orderId: order.id,
  repId: order.repId,
  team: order.team,
  kind: 'erp_refused',
  audience,
  dedupeKey: `erp_refused:${cmd.eventId}:${audience}`,
  message,
  details: { ...cmd.refusal },
});

/** The ERP refused a step: the order goes on hold (kind erp_refused) with the reason, rep and finance are alerted. */
export function decideErpRefused(order: Order, cmd: ErpRefusedCommand, now: Date): Decision<OrderChanges> {
  if (!canApply('erpHold', order.status)) {
    return nothingToDo({ steps: [], ignored: new IllegalTransitionError('erpHold', order.status).message });
  }
  const { refusal } = cmd;
  const reason = `ERP refused ${STEP_NAMES[refusal.step]} (HTTP ${refusal.erpStatus}): ${refusal.reason}`;
  const plan = move(
    planFor(order),
    {
      action: 'erpHold',
      by: SYSTEM,
      note: reason,
      set: { holdReason: reason, holdKind: 'erp_refused', erpRefusal: refusal },
      events: (o, at) => [
        newEvent('order.on_hold', {
          subject: o.id,
          data: {
            orderId: o.id,
            repId: o.repId,
            reason,
            kind: 'erp_refused',
            erpStep: refusal.step,
            erpStatus: refusal.erpStatus,
            notify: ['rep', 'finance'],
            at,
          },
        }),
      ],
    },
    now,
  );
  const message = `Order ${order.id} is on hold: ${reason}. Fix the data in the ERP, then retry the order (POST /api/v1/orders/${order.id}/erp-retry).`;
  const alerts = [refusalAlert(order, cmd, 'rep', message), refusalAlert(order, cmd, 'finance', message)];
  return { changes: { ...plan.changes, alerts }, events: plan.events };
}

/**
 * An operator retries an order held by an ERP refusal: it is confirmed again and `order.erp_retry_requested`
 * re-runs the saga's steps (inventory deducts again, finance opens the receivable if it has none). Only an
 * ERP hold can be retried; a second retry finds the order confirmed and is refused.
 */
export function decideErpRetry(order: Order, { by, now }: Actor): Decision<OrderChanges> {
  if (order.status !== 'on_hold' || order.holdKind !== 'erp_refused') {
    throw DomainError.conflict(
      'NOT_HELD_BY_ERP',
      `order ${order.id} is ${order.status}${order.holdKind ? ` (${order.holdKind})` : ''}, not held by an ERP refusal`,
    );
  }
  const note = `retried after the ERP refused ${STEP_NAMES[order.erpRefusal?.step ?? 'inventory']}`;
  return decided(
    move(
      planFor(order),
      {
        action: 'erpRetry',
        by,
        note,
        set: { holdReason: null, holdKind: null, erpRefusal: null },
        events: (o, at) => [newEvent('order.erp_retry_requested', { subject: o.id, data: { ...orderTerms(o), by, requestedAt: at } })],
      },
      now,
    ),
  );
}
