import { DomainError, type Decision } from '@crm/domain';
import { newEvent } from '@crm/messaging';
import { qualityProblemAlert } from '../alerts/alert.domain';
import { IllegalTransitionError, readyToComplete } from './order-workflow.domain';
import { completed, decided, move, planFor, SYSTEM, type Order, type OrderChanges, type Plan, type TrackingEntry } from './order.domain';

/** A production, shipment, logistics, delivery or quality report, as the caller sent it. */
export interface TrackingReport {
  kind: TrackingEntry['kind'];
  percent?: number;
  carrier?: string;
  trackingNumber?: string;
  location?: string;
  note?: string;
  /** When it happened (ISO); default now. */
  at?: string;
}

/**
 * Records the report and what it means for the order: production starts or progresses, a shipment ships it,
 * a delivery delivers it (and completes it when it is already paid), a quality problem alerts the rep at once.
 * A report the order's state does not allow is refused as a whole, the report included.
 */
export function decideTracking(order: Order, report: TrackingReport, ctx: { by: string; now: Date; newId: () => string }): Decision<OrderChanges> {
  const { by, now } = ctx;
  const at = report.at ? new Date(report.at).toISOString() : now.toISOString();
  const tracking: TrackingEntry = {
    id: ctx.newId(),
    kind: report.kind,
    percent: report.percent ?? null,
    carrier: report.carrier ?? null,
    trackingNumber: report.trackingNumber ?? null,
    location: report.location ?? null,
    note: report.note ?? null,
    by,
    at: new Date(at),
  };
  const start: Plan = { ...planFor(order), changes: { steps: [], tracking } };
  switch (report.kind) {
    case 'production': {
      const percent = report.percent;
      if (percent === undefined) throw DomainError.invalidField('percent', 'percent is required for a production report');
      if (order.status === 'allocated')
        return decided(move(start, { action: 'startProduction', by, note: report.note, set: { productionPercent: percent } }, now));
      if (order.status === 'in_production') return { changes: { ...start.changes, steps: [{ set: { productionPercent: percent } }] }, events: [] };
      throw new IllegalTransitionError('startProduction', order.status);
    }
    case 'shipment': {
      const { carrier, trackingNumber } = report;
      if (!carrier || !trackingNumber)
        throw DomainError.invalidField(carrier ? 'trackingNumber' : 'carrier', 'carrier and trackingNumber are required for a shipment');
      return decided(
        move(
          start,
          {
            action: 'ship',
            by,
            note: report.note,
            set: { carrier, trackingNumber },
            events: (o) => [newEvent('order.shipped', { subject: o.id, data: { orderId: o.id, carrier, trackingNumber, shippedAt: at } })],
          },
          now,
        ),
      );
    }
    case 'delivered': {
      const delivered = move(
        start,
        {
          action: 'deliver',
          by,
          note: report.note,
          events: (o) => [newEvent('order.delivered', { subject: o.id, data: { orderId: o.id, deliveredAt: at } })],
        },
        now,
      );
      return decided(readyToComplete(delivered.order.status, delivered.order.paymentStatus) ? completed(delivered, SYSTEM, now) : delivered);
    }
    case 'logistics':
      if (order.status !== 'shipped') throw new IllegalTransitionError('deliver', order.status);
      return decided(start);
    case 'quality_problem': {
      const note = report.note;
      if (!note) throw DomainError.invalidField('note', 'describe the quality problem in note');
      // A quality problem is news for the rep now, not at the next scheduled scan.
      const alert = qualityProblemAlert(order, { id: ctx.newId(), occurrence: ctx.newId(), note, reportedBy: by });
      const delayed = newEvent('order.delayed', {
        subject: order.id,
        data: { orderId: order.id, repId: order.repId, status: order.status, reason: 'quality_problem', note, detectedAt: at },
      });
      return { changes: { ...start.changes, alert }, events: [delayed] };
    }
  }
}
