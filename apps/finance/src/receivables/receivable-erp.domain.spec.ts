import { decideOpenRefused, erpPaymentOf, paymentRefusedByErp } from './receivable-erp.domain';

const ORDER = '8f6a3c1e-2b4d-4e5f-9a7b-1c2d3e4f5a6b';
const now = new Date('2026-12-03T08:00:00.000Z');

describe('receivable ERP rules (ADR 0013)', () => {
  it('a refused receivable opens none and publishes receivable.refused keyed by the order, with the reason', () => {
    const { changes, events } = decideOpenRefused(ORDER, { erpStatus: 422, reason: 'no such customer' }, now);
    expect(changes).toEqual({ receivable: null });
    expect(events.map((e) => [e.type, e.subject, e.data])).toEqual([
      ['crm.receivable.refused', ORDER, { orderId: ORDER, erpStatus: 422, reason: 'no such customer', at: now.toISOString() }],
    ]);
  });

  it('a payment goes to the ERP with its id, receivable, order and canonical amount', () => {
    const payment = { id: 'pay-1', amount: '55.1700', currency: 'EUR', method: 'wire', reference: 'R-1', receivedAt: now };
    expect(erpPaymentOf(payment, { id: 'rcv-1', orderId: ORDER })).toEqual({
      paymentId: 'pay-1',
      receivableId: 'rcv-1',
      orderId: ORDER,
      amount: '55.17',
      currency: 'EUR',
      method: 'wire',
      reference: 'R-1',
      receivedAt: now.toISOString(),
    });
  });

  it('a refused payment is a 409 ERP_REFUSED_PAYMENT naming the ERP answer', () => {
    expect(paymentRefusedByErp({ erpStatus: 409, reason: 'period closed' })).toMatchObject({ kind: 'conflict', code: 'ERP_REFUSED_PAYMENT' });
    expect(paymentRefusedByErp({ erpStatus: 409, reason: 'period closed' }).message).toMatch(/HTTP 409.*period closed/);
  });
});
