import type { EventEnvelope } from '@crm/contracts';
import { anOrder, NOW } from '../../test/order.fixture';
import { decidePaymentReceived, decideStockDeducted, decideStockInsufficient } from './order-saga.domain';

const types = (events: EventEnvelope[]) => events.map((e) => e.type);

describe("inventory's answers", () => {
  it('allocates a confirmed or on-hold order and clears the hold reason', () => {
    for (const status of ['confirmed', 'on_hold'] as const) {
      const { changes, events } = decideStockDeducted(anOrder({ status, holdReason: 'x' }), NOW);
      expect(changes.steps[0]).toMatchObject({ set: { holdReason: null, status: 'allocated' }, history: { by: 'system' } });
      expect(types(events)).toEqual(['crm.order.status_changed', 'crm.order.allocated']);
    }
  });

  it('ignores an answer for an order that moved on', () => {
    const decision = decideStockDeducted(anOrder({ status: 'cancelled' }), NOW);
    expect(decision).toEqual({ changes: { steps: [], ignored: expect.stringContaining('cannot allocate an order that is cancelled') }, events: [] });
  });

  it('puts a confirmed order on hold with the shortages and alerts its rep once per answer', () => {
    const shortages = [{ sku: 'VALVE-10', requested: 2, available: 1 }];
    const { changes, events } = decideStockInsufficient(anOrder({ status: 'confirmed' }), { shortages, eventId: 'evt-1', alertId: 'alert-1' }, NOW);
    const reason = 'insufficient stock: VALVE-10 needs 2, has 1';
    expect(changes.steps[0]).toMatchObject({ set: { holdReason: reason, status: 'on_hold' }, history: { note: reason, by: 'system' } });
    expect(events[1].data).toEqual({
      orderId: anOrder().id,
      repId: anOrder().repId,
      reason,
      shortages,
      kind: 'stock_shortage',
      notify: ['rep'],
      at: NOW.toISOString(),
    });
    expect(changes.alert).toEqual({
      id: 'alert-1',
      orderId: anOrder().id,
      repId: anOrder().repId,
      team: 'east',
      kind: 'stock_shortage',
      dedupeKey: 'stock_shortage:evt-1',
      message: `Order ${anOrder().id} is on hold: ${reason}.`,
      details: { shortages },
    });
    const moot = decideStockInsufficient(anOrder({ status: 'allocated' }), { shortages, eventId: 'evt-1', alertId: 'alert-1' }, NOW);
    expect(moot.changes).toEqual({ steps: [], ignored: expect.stringContaining('cannot hold') });
  });
});

describe('decidePaymentReceived', () => {
  it('keeps a partial payment without moving the order', () => {
    const { changes, events } = decidePaymentReceived(anOrder({ status: 'delivered' }), '100.00', NOW);
    expect(changes.steps).toEqual([{ set: { paymentStatus: 'partially_paid', outstanding: '100.00' } }]);
    expect(events).toEqual([]);
  });

  it('completes a delivered order once nothing is outstanding', () => {
    const { changes, events } = decidePaymentReceived(anOrder({ status: 'delivered' }), '0.00', NOW);
    expect(changes.steps.map((s) => s.set)).toEqual([{ paymentStatus: 'paid', outstanding: '0.00' }, { status: 'completed' }]);
    expect(changes.feedbackRequest).toMatchObject({ status: 'open' });
    expect(types(events)).toEqual(['crm.order.status_changed', 'crm.order.completed']);
  });

  it('records a full payment of an order not yet delivered without completing it', () => {
    const { changes } = decidePaymentReceived(anOrder({ status: 'shipped' }), '0', NOW);
    expect(changes.steps).toEqual([{ set: { paymentStatus: 'paid', outstanding: '0' } }]);
  });
});
