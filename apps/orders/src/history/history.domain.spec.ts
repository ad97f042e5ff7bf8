import { historicalId } from '@crm/contracts';
import { decideOrderHistory, orderHistoryIssues, type OrderHistoryRecord } from './history.domain';

const now = new Date('2026-01-01T00:00:00Z');
const order = (statusChanges: OrderHistoryRecord['statusChanges'], more: Partial<OrderHistoryRecord> = {}): OrderHistoryRecord => ({
  externalId: 'SO-1',
  customer: { name: 'Li Wei' },
  repId: '00000000-0000-4000-8000-000000000001',
  currency: 'CNY',
  lines: [{ sku: 'P-1', productName: 'Pump', quantity: 2, unitPrice: '100.00', discount: '10.00' }],
  createdAt: '2025-03-14T10:00:00Z',
  statusChanges,
  ...more,
});
const at = (day: number) => `2025-03-${String(day).padStart(2, '0')}T10:00:00Z`;

describe('orderHistoryIssues', () => {
  it('follows the order workflow: confirmed only after submitted, shipped only after allocation', () => {
    expect(orderHistoryIssues(order([{ status: 'confirmed', at: at(15) }]), now)).toEqual([
      expect.objectContaining({ field: 'statusChanges[0].status', constraint: 'workflow' }),
    ]);
    const ok = order([
      { status: 'submitted', at: at(14) },
      { status: 'confirmed', at: at(15) },
      { status: 'allocated', at: at(16) },
      { status: 'shipped', at: at(17) },
    ]);
    expect(orderHistoryIssues(ok, now)).toEqual([expect.objectContaining({ field: 'carrier', constraint: 'required' })]);
    expect(orderHistoryIssues({ ...ok, carrier: 'SF', trackingNumber: 'SF1' }, now)).toEqual([]);
  });

  it('completes only a paid order, cancels only with a reason, and keeps the dates in order', () => {
    const done = order(
      [
        { status: 'submitted', at: at(14) },
        { status: 'confirmed', at: at(15) },
        { status: 'allocated', at: at(16) },
        { status: 'shipped', at: at(17) },
        { status: 'delivered', at: at(12) },
        { status: 'completed', at: at(20) },
      ],
      { carrier: 'SF', trackingNumber: 'SF1', paymentStatus: 'partially_paid' },
    );
    expect(orderHistoryIssues(done, now).map((i) => i.field)).toEqual(['paymentStatus', 'statusChanges[4].at']);
    const cancelled = order([{ status: 'cancelled', at: at(15) }]);
    expect(orderHistoryIssues(cancelled, now).map((i) => i.field)).toEqual(['cancelReason']);
    expect(orderHistoryIssues({ ...cancelled, cancelReason: 'gone' }, now)).toEqual([]);
  });
});

describe('decideOrderHistory', () => {
  it('stores the last status and publishes every step at its own time, the confirmation and cancellation as historical', () => {
    const plan = decideOrderHistory(
      order(
        [
          { status: 'submitted', at: at(14) },
          { status: 'confirmed', at: at(15) },
          { status: 'cancelled', at: at(18) },
        ],
        { cancelReason: 'gone', opportunityExternalId: 'D-1' },
      ),
      { by: 'importer', correlationId: 'c-1' },
    );
    expect(plan.row).toMatchObject({
      id: historicalId('order', 'SO-1'),
      opportunityId: historicalId('opportunity', 'D-1'),
      status: 'cancelled',
      total: '190.00',
      paymentStatus: 'unpaid',
      createdAt: '2025-03-14T10:00:00.000Z',
    });
    expect(plan.history.map((h) => `${h.fromStatus}>${h.toStatus}@${h.at}`)).toEqual([
      'null>draft@2025-03-14T10:00:00.000Z',
      'draft>submitted@2025-03-14T10:00:00.000Z',
      'submitted>confirmed@2025-03-15T10:00:00.000Z',
      'confirmed>cancelled@2025-03-18T10:00:00.000Z',
    ]);
    expect(plan.events.map((e) => `${e.type}@${e.time}`)).toEqual([
      'crm.order.drafted@2025-03-14T10:00:00.000Z',
      'crm.order.status_changed@2025-03-14T10:00:00.000Z',
      'crm.order.submitted@2025-03-14T10:00:00.000Z',
      'crm.order.status_changed@2025-03-15T10:00:00.000Z',
      'crm.order.confirmed@2025-03-15T10:00:00.000Z',
      'crm.order.status_changed@2025-03-18T10:00:00.000Z',
      'crm.order.cancelled@2025-03-18T10:00:00.000Z',
    ]);
    const confirmed = plan.events.find((e) => e.type === 'crm.order.confirmed')!;
    expect(confirmed.data).toMatchObject({ confirmedAt: '2025-03-15T10:00:00.000Z', historical: true, total: '190.00' });
    expect(plan.events.find((e) => e.type === 'crm.order.cancelled')!.data).toMatchObject({ previousStatus: 'confirmed', historical: true });
    expect(new Set(plan.events.map((e) => e.correlationid))).toEqual(new Set(['c-1']));
  });
});
