import type { Contribution } from './aggregates';
import { byOrder, settle } from './fact-changes';
import type { OrderProjectionRow, OrderProjectionRows } from './order-facts.repository';
import type { ProjectionContext, Projections } from './projection-context';
import { DIRECT, UNKNOWN, orderContributions, type OrderFactView } from './projection.domain';

/** Order facts: confirmation (with its lines), status and milestones, feedback. */
export const orderProjections: Projections = {
  'order.confirmed': ({ data }, batch) => {
    batch.write('orderConfirmed', data.orderId, data);
    batch.orders.add(data.orderId);
    batch.leadsOfOrders.add(data.orderId);
  },
  // A status alone moves no figure: the order is not re-projected.
  'order.on_hold': ({ data }, batch) => batch.write('orderStatus', data.orderId, { orderId: data.orderId, status: 'on_hold', at: data.at }),
  'order.allocated': ({ data }, batch) => batch.write('orderStatus', data.orderId, { orderId: data.orderId, status: 'allocated', at: data.at }),
  'order.status_changed': ({ data }, batch) => batch.write('orderStatus', data.orderId, { orderId: data.orderId, status: data.to, at: data.at }),
  // Shipped and cancelled amounts are sales figures; delivered and completed only move the status.
  'order.shipped': ({ data }, batch) => {
    batch.write('orderShipped', data.orderId, { orderId: data.orderId, at: data.shippedAt });
    batch.orders.add(data.orderId);
  },
  'order.delivered': ({ data }, batch) => batch.write('orderDelivered', data.orderId, { orderId: data.orderId, at: data.deliveredAt }),
  'order.completed': ({ data }, batch) => batch.write('orderCompleted', data.orderId, { orderId: data.orderId, at: data.completedAt }),
  'order.cancelled': ({ data }, batch) => {
    batch.write('orderCancelled', data.orderId, { orderId: data.orderId, at: data.cancelledAt });
    batch.orders.add(data.orderId);
  },
  'order.feedback_received': ({ data }, batch) => {
    batch.write('orderFeedback', data.orderId, data);
    batch.orders.add(data.orderId);
  },
};

/**
 * An order as the aggregates see it. Its source is its lead's (direct without an opportunity or a lead,
 * unknown until the order or its deal is known); region, team and product line fall back on the opportunity's.
 */
export function orderView(o: OrderProjectionRow, read: Omit<OrderProjectionRows, 'orders'>): OrderFactView {
  const feedback = read.feedback.filter((f) => f.order_id === o.order_id);
  const known = o.confirmed_at !== null;
  const source = !known ? UNKNOWN : !o.opportunity_id ? DIRECT : !o.deal_known ? UNKNOWN : o.lead_id ? (o.lead_source ?? UNKNOWN) : DIRECT;
  return {
    currency: o.currency,
    total: o.total,
    confirmedAt: o.confirmed_at,
    shippedAt: o.shipped_at,
    cancelledAt: o.cancelled_at,
    lines: read.lines
      .filter((l) => l.order_id === o.order_id)
      .map((l) => ({ lineTotal: l.line_total, productLine: l.product_line ?? o.opp_product_line ?? UNKNOWN })),
    dims: {
      region: o.region ?? o.opp_region ?? UNKNOWN,
      source,
      repId: o.rep_id ?? feedback[0]?.rep_id ?? UNKNOWN,
      team: o.team ?? o.opp_team ?? o.rep_team ?? UNKNOWN,
    },
    payments: read.payments.filter((p) => p.order_id === o.order_id).map((p) => ({ amount: p.amount, currency: p.currency, receivedAt: p.received_at })),
    feedback: feedback.map((f) => ({ rating: f.rating, complaint: f.complaint, receivedAt: f.received_at })),
  };
}

/** Locks the orders (in id order), re-reads them with their lines, payments and feedback, and settles their contributions. */
export async function reprojectOrders(ctx: ProjectionContext, ids: readonly string[], deltas: Contribution[]): Promise<void> {
  if (!ids.length) return;
  const locked = await ctx.repos.aggregates.lockContributions(ctx.m, 'order_facts', ids);
  if (!locked.size) return;
  const read = await ctx.repos.orders.loadForProjection(ctx.m, [...locked.keys()]);
  const [lines, payments, feedback] = [byOrder(read.lines), byOrder(read.payments), byOrder(read.feedback)];
  const settled = read.orders.map((o) => {
    const own = { lines: lines.get(o.order_id) ?? [], payments: payments.get(o.order_id) ?? [], feedback: feedback.get(o.order_id) ?? [] };
    return { id: o.order_id, before: locked.get(o.order_id)!, after: orderContributions(orderView(o, own), ctx.zone) };
  });
  await settle(ctx, 'order_facts', settled, deltas);
}
