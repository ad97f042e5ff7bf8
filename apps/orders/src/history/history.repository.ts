import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { OrderHistoryPlan } from './history.domain';

/** The SQL of the historical import: one order with its lines and status history, stored whole or not at all. */
@Injectable()
export class OrderHistoryRepository {
  /** Opportunities (of these ids) that already have an order, with its id. */
  async ordersOfOpportunities(m: EntityManager, opportunityIds: readonly string[]): Promise<Map<string, string>> {
    if (!opportunityIds.length) return new Map();
    const rows: { id: string; opportunity_id: string }[] = await m.query('SELECT id, opportunity_id FROM orders WHERE opportunity_id = ANY($1::uuid[])', [
      opportunityIds,
    ]);
    return new Map(rows.map((r) => [r.opportunity_id, r.id]));
  }

  /**
   * Stores it; false (nothing stored) when its id, or an order of its opportunity, is here already. No feedback
   * request and no alert: after-sales of a past order happened, or not, in the system it came from.
   */
  async insert(m: EntityManager, { row: o, lines, history }: OrderHistoryPlan): Promise<boolean> {
    const inserted: unknown[] = await m.query(
      `INSERT INTO orders (id, status, opportunity_id, rep_id, team, customer, region, currency, total, payment_terms, promised_delivery_date,
                           payment_status, outstanding, hold_reason, carrier, tracking_number, cancel_reason, created_by, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)
       ON CONFLICT DO NOTHING RETURNING id`,
      [
        o.id,
        o.status,
        o.opportunityId,
        o.repId,
        o.team,
        JSON.stringify(o.customer),
        o.region,
        o.currency,
        o.total,
        o.paymentTerms,
        o.promisedDeliveryDate,
        o.paymentStatus,
        o.outstanding,
        o.holdReason,
        o.carrier,
        o.trackingNumber,
        o.cancelReason,
        o.createdBy,
        o.createdAt,
      ],
    );
    if (!inserted.length) return false;
    for (const [position, l] of lines.entries()) {
      await m.query(
        'INSERT INTO order_lines (id, order_id, position, sku, product_name, quantity, unit_price, discount, line_total) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)',
        [l.id, o.id, position, l.sku, l.productName, l.quantity, l.unitPrice, l.discount, l.lineTotal],
      );
    }
    for (const h of history) {
      await m.query('INSERT INTO order_status_history (order_id, from_status, to_status, by, note, at) VALUES ($1, $2, $3, $4, $5, $6)', [
        o.id,
        h.fromStatus,
        h.toStatus,
        h.by,
        h.note,
        h.at,
      ]);
    }
    return true;
  }
}
