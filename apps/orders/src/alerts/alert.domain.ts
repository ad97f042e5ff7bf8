import { dayOf, DEFAULT_TIME_ZONE } from '@crm/calendar';
import type { EventOf } from '@crm/contracts';
import type { Decision } from '@crm/domain';
import { newEvent } from '@crm/messaging';
import { daysLate, type OrderStatus } from '../orders/order-workflow.domain';

export type AlertKind = 'stock_shortage' | 'past_promised_date' | 'quality_problem' | 'erp_refused';
/** Who an alert is for: the order's rep (the default), or finance (ADR 0013). */
export type AlertAudience = 'rep' | 'finance';

/** An alert about an order, for its rep (or for finance; it still names the order's rep and team). */
export interface NewAlert {
  id: string;
  orderId: string;
  repId: string;
  team: string | null;
  kind: AlertKind;
  audience?: AlertAudience;
  /** Identifies the occurrence (a delay, a report, an inventory answer): the same key never alerts twice. */
  dedupeKey: string;
  message: string;
  details: Record<string, unknown>;
}

interface AlertedOrder {
  id: string;
  repId: string;
  team: string | null;
}

type Shortages = EventOf<'stock.insufficient'>['data']['shortages'];

/** The rep's alert for an order put on hold, once per inventory answer. */
export const stockShortageAlert = (order: AlertedOrder, a: { id: string; eventId: string; reason: string; shortages: Shortages }): NewAlert => ({
  id: a.id,
  orderId: order.id,
  repId: order.repId,
  team: order.team,
  kind: 'stock_shortage',
  dedupeKey: `stock_shortage:${a.eventId}`,
  message: `Order ${order.id} is on hold: ${a.reason}.`,
  details: { shortages: a.shortages },
});

/** The rep's alert for a reported quality problem; every report is its own occurrence. */
export const qualityProblemAlert = (order: AlertedOrder, a: { id: string; occurrence: string; note: string; reportedBy: string }): NewAlert => ({
  id: a.id,
  orderId: order.id,
  repId: order.repId,
  team: order.team,
  kind: 'quality_problem',
  dedupeKey: `quality_problem:${a.occurrence}`,
  message: `Quality problem on order ${order.id}: ${a.note}`,
  details: { note: a.note, reportedBy: a.reportedBy },
});

/** An order past its promised date and not yet shipped, as the delay scan finds it. */
export interface LateOrder extends AlertedOrder {
  status: OrderStatus;
  /** The promised delivery date, `YYYY-MM-DD`. */
  promised: string;
}

/**
 * A delay is one occurrence per order and promised date: its alert and `order.delayed`. The event is
 * published only with a new alert (the repository appends it when the alert was not raised before). Days late
 * count business days of `zone` (CRM_TIMEZONE, default UTC).
 */
export function decideDelayAlert(
  order: LateOrder,
  { id, now, zone = DEFAULT_TIME_ZONE }: { id: string; now: Date; zone?: string },
): Decision<{ alert: NewAlert }> {
  const today = dayOf(now, zone);
  const late = daysLate(order.promised, today);
  const alert: NewAlert = {
    id,
    orderId: order.id,
    repId: order.repId,
    team: order.team,
    kind: 'past_promised_date',
    dedupeKey: `past_promised_date:${order.id}:${order.promised}`,
    message: `Order ${order.id} was promised for ${order.promised} and is still ${order.status} (${late} day(s) late).`,
    details: { promisedDeliveryDate: order.promised, daysLate: late, status: order.status },
  };
  const delayed = newEvent('order.delayed', {
    subject: order.id,
    data: {
      orderId: order.id,
      repId: order.repId,
      status: order.status,
      reason: 'past_promised_date',
      promisedDeliveryDate: order.promised,
      daysLate: late,
      detectedAt: now.toISOString(),
    },
  });
  return { changes: { alert }, events: [delayed] };
}

export interface Acknowledgement {
  acknowledgedAt: Date;
  acknowledgedBy: string;
}

/** The first acknowledgement stands; acknowledging again changes nothing. */
export function decideAcknowledge(alert: { acknowledgedAt: Date | null }, by: string, now: Date): Decision<Acknowledgement | null> {
  return { changes: alert.acknowledgedAt ? null : { acknowledgedAt: now, acknowledgedBy: by }, events: [] };
}
