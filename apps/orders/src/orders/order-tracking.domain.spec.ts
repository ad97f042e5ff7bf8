import type { EventEnvelope } from '@crm/contracts';
import { anOrder, ids, NOW } from '../../test/order.fixture';
import { decideTracking, type TrackingReport } from './order-tracking.domain';
import type { Order } from './order.domain';

const track = (order: Order, report: TrackingReport) => decideTracking(order, report, { by: 'erp-bridge', now: NOW, newId: ids() });
const types = (events: EventEnvelope[]) => events.map((e) => e.type);

describe('decideTracking', () => {
  it('records every report as sent, at its own time or now', () => {
    const { changes } = track(anOrder({ status: 'shipped' }), { kind: 'logistics', location: 'Shanghai hub', at: '2026-11-26T10:00:00Z' });
    expect(changes.tracking).toEqual({
      id: '00000000-0000-4000-8000-000000000001',
      kind: 'logistics',
      percent: null,
      carrier: null,
      trackingNumber: null,
      location: 'Shanghai hub',
      note: null,
      by: 'erp-bridge',
      at: new Date('2026-11-26T10:00:00Z'),
    });
    expect(changes.steps).toEqual([]);
    expect(track(anOrder({ status: 'shipped' }), { kind: 'logistics' }).changes.tracking?.at).toEqual(NOW);
  });

  it('starts production on an allocated order, then only moves its percentage', () => {
    const started = track(anOrder({ status: 'allocated' }), { kind: 'production', percent: 40, note: 'line 2' });
    expect(started.changes.steps).toEqual([
      {
        set: { productionPercent: 40, status: 'in_production' },
        history: expect.objectContaining({ fromStatus: 'allocated', note: 'line 2', by: 'erp-bridge' }),
      },
    ]);
    expect(types(started.events)).toEqual(['crm.order.status_changed']);
    const progressed = track(anOrder({ status: 'in_production' }), { kind: 'production', percent: 100 });
    expect(progressed).toMatchObject({ changes: { steps: [{ set: { productionPercent: 100 } }] }, events: [] });
    expect(progressed.changes.steps[0].history).toBeUndefined();
  });

  it('refuses a production report without a percentage, or on an order not allocated or in production', () => {
    expect(() => track(anOrder({ status: 'allocated' }), { kind: 'production' })).toThrow(
      expect.objectContaining({ fields: [expect.objectContaining({ field: 'percent' })] }),
    );
    expect(() => track(anOrder({ status: 'confirmed' }), { kind: 'production', percent: 5 })).toThrow(
      expect.objectContaining({ code: 'ILLEGAL_TRANSITION', detail: expect.stringContaining('cannot startProduction an order that is confirmed') }),
    );
  });

  it('ships with carrier and tracking number, both required', () => {
    const { changes, events } = track(anOrder({ status: 'in_production' }), {
      kind: 'shipment',
      carrier: 'SF Express',
      trackingNumber: 'SF123',
      at: '2026-11-26T10:00:00Z',
    });
    expect(changes.steps[0].set).toEqual({ carrier: 'SF Express', trackingNumber: 'SF123', status: 'shipped' });
    expect(events[1].data).toEqual({ orderId: anOrder().id, carrier: 'SF Express', trackingNumber: 'SF123', shippedAt: '2026-11-26T10:00:00.000Z' });
    expect(() => track(anOrder({ status: 'allocated' }), { kind: 'shipment', carrier: 'SF Express' })).toThrow(
      expect.objectContaining({ fields: [{ field: 'trackingNumber', message: 'carrier and trackingNumber are required for a shipment' }] }),
    );
    expect(() => track(anOrder({ status: 'allocated' }), { kind: 'shipment' })).toThrow(
      expect.objectContaining({ fields: [expect.objectContaining({ field: 'carrier' })] }),
    );
  });

  it('delivers a shipped order, and completes it when it is already paid', () => {
    const unpaid = track(anOrder({ status: 'shipped' }), { kind: 'delivered' });
    expect(types(unpaid.events)).toEqual(['crm.order.status_changed', 'crm.order.delivered']);
    expect(unpaid.changes.feedbackRequest).toBeUndefined();
    const paid = track(anOrder({ status: 'shipped', paymentStatus: 'paid' }), { kind: 'delivered' });
    expect(paid.changes.steps.map((s) => s.set.status)).toEqual(['delivered', 'completed']);
    expect(types(paid.events)).toEqual(['crm.order.status_changed', 'crm.order.delivered', 'crm.order.status_changed', 'crm.order.completed']);
    expect(paid.changes.feedbackRequest).toMatchObject({ status: 'open' });
    expect(() => track(anOrder({ status: 'allocated' }), { kind: 'delivered' })).toThrow(expect.objectContaining({ code: 'ILLEGAL_TRANSITION' }));
  });

  it('takes logistics reports only while shipped', () => {
    expect(() => track(anOrder({ status: 'delivered' }), { kind: 'logistics' })).toThrow(expect.objectContaining({ code: 'ILLEGAL_TRANSITION' }));
  });

  it('alerts the rep of a quality problem at once and publishes order.delayed; the problem must be described', () => {
    const { changes, events } = track(anOrder({ status: 'confirmed' }), { kind: 'quality_problem', note: 'seal leaks in batch 7' });
    expect(changes.steps).toEqual([]);
    expect(changes.alert).toMatchObject({
      kind: 'quality_problem',
      repId: anOrder().repId,
      dedupeKey: 'quality_problem:00000000-0000-4000-8000-000000000003',
      message: `Quality problem on order ${anOrder().id}: seal leaks in batch 7`,
      details: { note: 'seal leaks in batch 7', reportedBy: 'erp-bridge' },
    });
    expect(events.map((e) => e.data)).toEqual([
      {
        orderId: anOrder().id,
        repId: anOrder().repId,
        status: 'confirmed',
        reason: 'quality_problem',
        note: 'seal leaks in batch 7',
        detectedAt: NOW.toISOString(),
      },
    ]);
    expect(() => track(anOrder({ status: 'confirmed' }), { kind: 'quality_problem' })).toThrow(
      expect.objectContaining({ fields: [expect.objectContaining({ field: 'note' })] }),
    );
  });
});
