// Handing an order over to another rep as a pure decision (ADR 0022): an open order only (completed and
// cancelled ones are history), to a known, active rep in the caller's reach. Its open alerts go with it.
import { assertHandOverTarget, assertNewOwner, assertOpenForHandOver, type Decision, type HandOverCommand, type HandOverTo } from '@crm/domain';
import { newEvent } from '@crm/messaging';
import type { OrderStatus } from '../orders/order-workflow.domain';

/** An order is history once completed or cancelled; every other status still needs its rep. */
export const CLOSED_ORDER_STATUSES: readonly OrderStatus[] = ['completed', 'cancelled'];

/** An order as a hand-over reads it, locked. */
export interface OrderToHandOver {
  id: string;
  status: OrderStatus;
  opportunityId: string | null;
  repId: string;
  team: string | null;
  version: number;
}

/** What a hand-over stores: the new owner and team, the record of the move, the open alerts' new rep. */
export interface OrderMove {
  orderId: string;
  fromRepId: string;
  toRepId: string;
  team: string | null;
  status: OrderStatus;
  reason: string;
  handOverId: string | null;
  by: string;
  at: Date;
}

export function decideOrderHandOver(o: OrderToHandOver, to: HandOverTo, cmd: HandOverCommand): Decision<OrderMove> {
  assertOpenForHandOver('order', o.id, o.status, !CLOSED_ORDER_STATUSES.includes(o.status));
  const target = assertHandOverTarget(to.scope, to.toRepId, to.target);
  assertNewOwner('order', o.id, o.repId, target.id);
  const event = newEvent('order.reassigned', {
    subject: o.id,
    data: {
      orderId: o.id,
      opportunityId: o.opportunityId,
      fromRepId: o.repId,
      toRepId: target.id,
      team: target.team ?? undefined,
      status: o.status,
      reason: cmd.reason,
      handOverId: cmd.handOverId,
      by: cmd.by,
      reassignedAt: cmd.now.toISOString(),
    },
  });
  const move: OrderMove = {
    orderId: o.id,
    fromRepId: o.repId,
    toRepId: target.id,
    team: target.team,
    status: o.status,
    reason: cmd.reason,
    handOverId: cmd.handOverId ?? null,
    by: cmd.by,
    at: cmd.now,
  };
  return { changes: move, events: [event] };
}
