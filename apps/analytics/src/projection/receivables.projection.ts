import type { Projections } from './projection-context';

/**
 * Receivables and payments: a payment moves its order's paid figures and its lead's funnel (paid in full). The
 * writes are keyed by receivable: a payment adds to its receivable's paid amount, which an overdue notice reads.
 */
export const receivableProjections: Projections = {
  'payment.received': ({ data }, batch) => {
    batch.write('paymentReceived', data.receivableId, data);
    batch.orders.add(data.orderId);
    batch.leadsOfOrders.add(data.orderId);
  },
  // Receivables feed the overdue gauges only: no aggregate moves.
  'receivable.created': ({ data }, batch) => batch.write('receivableCreated', data.receivableId, data),
  'receivable.overdue': ({ data }, batch) => batch.later(({ m, repos }) => repos.receivables.overdue(m, data)),
  'receivable.voided': ({ data }, batch) => batch.write('receivableVoided', data.receivableId, data),
};
