import type { Projections } from './projection-context';

/** Receivables and payments: a payment moves its order's paid figures and its lead's funnel (paid in full). */
export const receivableProjections: Projections = {
  'payment.received': async ({ data }, { m, batch, repos }) => {
    await repos.receivables.paymentReceived(m, data);
    batch.orders.add(data.orderId);
    batch.leadsOfOrders.add(data.orderId);
  },
  // Receivables feed the overdue gauges only: no aggregate moves.
  'receivable.created': ({ data }, { m, repos }) => repos.receivables.created(m, data),
  'receivable.overdue': ({ data }, { m, repos }) => repos.receivables.overdue(m, data),
  'receivable.voided': ({ data }, { m, repos }) => repos.receivables.voided(m, data),
};
