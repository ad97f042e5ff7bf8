import { sumAmounts } from '@crm/money';
import { DAY, iso, type Emit, type GenOrder, type GenRep, type Prng } from './year-model';

/** An order confirmed at `confirmedAt`: cancelled, or shipped, paid in one or two payments and rated, at random. */
export function newOrder(
  r: Prng,
  opportunityId: string | null,
  rep: GenRep,
  region: string,
  currency: string,
  confirmedAt: number,
  lines: GenOrder['lines'],
): GenOrder {
  const total = sumAmounts(lines.map((l) => l.lineTotal));
  const order: GenOrder = { orderId: r.uuid(), opportunityId, repId: rep.repId, team: rep.team, region, currency, lines, total, confirmedAt, payments: [] };
  if (r.chance(0.1)) {
    order.cancelledAt = confirmedAt + DAY;
    return order;
  }
  if (r.chance(0.85)) order.shippedAt = confirmedAt + r.int(2, 9) * DAY;
  const cents = Math.round(Number(total) * 100);
  if (r.chance(0.75)) {
    if (r.chance(0.4) && cents > 1) {
      const first = Math.floor(cents / 3);
      order.payments.push({
        paymentId: r.uuid(),
        amount: (first / 100).toFixed(2),
        outstanding: ((cents - first) / 100).toFixed(2),
        at: confirmedAt + 10 * DAY,
      });
      order.payments.push({ paymentId: r.uuid(), amount: ((cents - first) / 100).toFixed(2), outstanding: '0.00', at: confirmedAt + 25 * DAY });
    } else {
      order.payments.push({ paymentId: r.uuid(), amount: total, outstanding: '0.00', at: confirmedAt + r.int(5, 40) * DAY });
    }
  } else if (r.chance(0.4) && cents > 1) {
    order.payments.push({
      paymentId: r.uuid(),
      amount: (Math.floor(cents / 2) / 100).toFixed(2),
      outstanding: ((cents - Math.floor(cents / 2)) / 100).toFixed(2),
      at: confirmedAt + 15 * DAY,
    });
  }
  if (order.shippedAt && r.chance(0.35)) order.feedback = { rating: r.int(1, 5), complaint: r.chance(0.1), at: order.shippedAt + 10 * DAY };
  return order;
}

/** The events of the orders: confirmed, then cancelled or shipped, payments, feedback. */
export function emitOrders(r: Prng, emit: Emit, orders: readonly GenOrder[]): void {
  for (const o of orders) {
    emit('order.confirmed', o.confirmedAt, {
      subject: o.orderId,
      data: {
        orderId: o.orderId,
        opportunityId: o.opportunityId,
        repId: o.repId,
        team: o.team,
        customer: { name: 'Customer' },
        region: o.region,
        currency: o.currency,
        lines: o.lines.map((l) => ({ ...l, productName: l.sku })),
        total: o.total,
        paymentTerms: 'NET30',
        by: o.repId,
        autoConfirmed: false,
        confirmedAt: iso(o.confirmedAt),
      },
    });
    const receivableId = r.uuid();
    if (o.cancelledAt)
      emit('order.cancelled', o.cancelledAt, {
        subject: o.orderId,
        data: { orderId: o.orderId, previousStatus: 'confirmed', reason: 'changed mind', by: o.repId, cancelledAt: iso(o.cancelledAt) },
      });
    if (o.shippedAt)
      emit('order.shipped', o.shippedAt, {
        subject: o.orderId,
        data: { orderId: o.orderId, carrier: 'DHL', trackingNumber: 'T1', shippedAt: iso(o.shippedAt) },
      });
    for (const p of o.payments) {
      emit('payment.received', p.at, {
        subject: receivableId,
        data: {
          paymentId: p.paymentId,
          receivableId,
          orderId: o.orderId,
          amount: p.amount,
          currency: o.currency,
          outstanding: p.outstanding,
          receivedAt: iso(p.at),
        },
      });
    }
    if (o.feedback) {
      emit('order.feedback_received', o.feedback.at, {
        subject: o.orderId,
        data: {
          orderId: o.orderId,
          feedbackId: r.uuid(),
          repId: o.repId,
          rating: o.feedback.rating,
          category: 'product',
          complaint: o.feedback.complaint,
          receivedAt: iso(o.feedback.at),
        },
      });
    }
  }
}
