import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { EventData } from '@crm/contracts';
import { KEEP_CUSTOMER, select, ts, upsertRows, type FeedbackFactRow, type OrderFactRow, type PaymentFactRow } from './fact-rows';

export type OrderMilestone = 'shipped' | 'delivered' | 'completed' | 'cancelled';
export interface OrderStatusRow {
  orderId: string;
  status: string;
  at: string;
}
export interface OrderMilestoneRow {
  orderId: string;
  at: string;
}

/** An order with what its dimensions resolve through: its opportunity, that one's lead source, its rep's team. */
export interface OrderProjectionRow extends OrderFactRow {
  deal_known: boolean | null;
  lead_id: string | null;
  opp_region: string | null;
  opp_team: string | null;
  opp_product_line: string | null;
  lead_source: string | null;
  rep_team: string | null;
}

/** An order and everything its contribution is computed from, as read at the flush. */
export interface OrderProjectionRows {
  orders: OrderProjectionRow[];
  /** Line totals with the catalogue's product line of their SKU, in line order. */
  lines: { order_id: string; line_total: string; product_line: string | null }[];
  payments: Pick<PaymentFactRow, 'order_id' | 'amount' | 'currency' | 'received_at'>[];
  feedback: Pick<FeedbackFactRow, 'order_id' | 'rating' | 'complaint' | 'received_at' | 'rep_id'>[];
}

/** order_facts, order_line_facts and feedback_facts. Each write takes a set of rows with distinct orders (one statement per kind). */
@Injectable()
export class OrderFactsRepository {
  async confirmed(m: EntityManager, rows: readonly EventData<'order.confirmed'>[]): Promise<void> {
    if (!rows.length) return;
    // The orders and the removal of their previous lines in one statement; the new lines after it.
    await upsertRows(
      m,
      `WITH x AS (SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(order_id uuid, opportunity_id uuid, rep_id uuid, team text, region text, currency text,
         total numeric, payment_terms text, confirmed_at timestamptz, account_id uuid, contact_id uuid)),
       old_lines AS (DELETE FROM order_line_facts WHERE order_id IN (SELECT order_id FROM x))
       INSERT INTO order_facts (order_id, opportunity_id, rep_id, team, region, currency, total, payment_terms, confirmed_at, status, status_at,
         account_id, contact_id)
       SELECT order_id, opportunity_id, rep_id, team, region, currency, total, payment_terms, confirmed_at, 'confirmed', confirmed_at, account_id, contact_id FROM x
       ON CONFLICT (order_id) DO UPDATE SET opportunity_id = EXCLUDED.opportunity_id, rep_id = EXCLUDED.rep_id, team = EXCLUDED.team,
         region = EXCLUDED.region, currency = EXCLUDED.currency, total = EXCLUDED.total, payment_terms = EXCLUDED.payment_terms,
         confirmed_at = EXCLUDED.confirmed_at,
         status = CASE WHEN order_facts.status_at IS NULL OR order_facts.status_at <= EXCLUDED.status_at THEN 'confirmed' ELSE order_facts.status END,
         status_at = GREATEST(order_facts.status_at, EXCLUDED.status_at), ${KEEP_CUSTOMER('order_facts')}`,
      rows.map((d) => ({
        order_id: d.orderId,
        opportunity_id: d.opportunityId,
        rep_id: d.repId,
        team: d.team ?? null,
        region: d.region ?? null,
        currency: d.currency,
        total: d.total,
        payment_terms: d.paymentTerms,
        confirmed_at: ts(d.confirmedAt),
        account_id: d.accountId ?? null,
        contact_id: d.contactId ?? null,
      })),
    );
    await upsertRows(
      m,
      `INSERT INTO order_line_facts (order_id, line_id, sku, line_total)
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(order_id uuid, line_id uuid, sku text, line_total numeric)`,
      rows.flatMap((d) => d.lines.map((l) => ({ order_id: d.orderId, line_id: l.lineId, sku: l.sku, line_total: l.lineTotal }))),
    );
  }

  /** The status, when it is the latest the order has seen. */
  async status(m: EntityManager, rows: readonly OrderStatusRow[]): Promise<void> {
    await upsertRows(
      m,
      `INSERT INTO order_facts (order_id, status, status_at) SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(order_id uuid, status text, at timestamptz)
       ON CONFLICT (order_id) DO UPDATE SET status = EXCLUDED.status, status_at = EXCLUDED.status_at
       WHERE order_facts.status_at IS NULL OR order_facts.status_at <= EXCLUDED.status_at`,
      rows.map((r) => ({ order_id: r.orderId, status: r.status, at: ts(r.at) })),
    );
  }

  /** The milestone's time always; the status only when it is the latest (as `status`). */
  async milestone(m: EntityManager, milestone: OrderMilestone, rows: readonly OrderMilestoneRow[]): Promise<void> {
    const latest = 'order_facts.status_at IS NULL OR order_facts.status_at <= EXCLUDED.status_at';
    await upsertRows(
      m,
      `INSERT INTO order_facts (order_id, status, status_at, ${milestone}_at)
       SELECT x.order_id, '${milestone}', x.at, x.at FROM jsonb_to_recordset($1::jsonb) AS x(order_id uuid, at timestamptz)
       ON CONFLICT (order_id) DO UPDATE SET status = CASE WHEN ${latest} THEN EXCLUDED.status ELSE order_facts.status END,
         status_at = CASE WHEN ${latest} THEN EXCLUDED.status_at ELSE order_facts.status_at END, ${milestone}_at = EXCLUDED.${milestone}_at`,
      rows.map((r) => ({ order_id: r.orderId, at: ts(r.at) })),
    );
  }

  async feedback(m: EntityManager, rows: readonly EventData<'order.feedback_received'>[]): Promise<void> {
    await upsertRows(
      m,
      `WITH x AS (SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(feedback_id uuid, order_id uuid, rep_id uuid, rating integer, category text,
         complaint boolean, received_at timestamptz)),
       feedback AS (INSERT INTO feedback_facts (feedback_id, order_id, rep_id, rating, category, complaint, received_at) SELECT * FROM x
         ON CONFLICT (feedback_id) DO NOTHING)
       INSERT INTO order_facts (order_id) SELECT DISTINCT order_id FROM x ON CONFLICT (order_id) DO NOTHING`,
      rows.map((d) => ({
        feedback_id: d.feedbackId,
        order_id: d.orderId,
        rep_id: d.repId,
        rating: d.rating,
        category: d.category,
        complaint: d.complaint,
        received_at: ts(d.receivedAt),
      })),
    );
  }

  /** The orders of these opportunities (they resolve their lead and source through them). */
  async idsOfOpportunities(m: EntityManager, opportunityIds: readonly string[]): Promise<string[]> {
    if (!opportunityIds.length) return [];
    const rows = await select<{ order_id: string }>(m, 'SELECT order_id FROM order_facts WHERE opportunity_id = ANY($1::uuid[])', [opportunityIds]);
    return rows.map((r) => r.order_id);
  }

  /** The leads these orders came from (their funnel reads won and paid through them). */
  async leadsOf(m: EntityManager, orderIds: readonly string[]): Promise<string[]> {
    if (!orderIds.length) return [];
    const rows = await select<{ lead_id: string }>(
      m,
      'SELECT o.lead_id FROM order_facts f JOIN opportunity_facts o ON o.opportunity_id = f.opportunity_id WHERE f.order_id = ANY($1::uuid[]) AND o.lead_id IS NOT NULL',
      [orderIds],
    );
    return rows.map((r) => r.lead_id);
  }

  async loadForProjection(m: EntityManager, ids: readonly string[]): Promise<OrderProjectionRows> {
    const orders = await select<OrderProjectionRow>(
      m,
      `SELECT f.*, opp.deal_known, opp.lead_id, opp.region AS opp_region, opp.team AS opp_team, opp.product_line AS opp_product_line,
              l.source AS lead_source, r.team AS rep_team
         FROM order_facts f
         LEFT JOIN opportunity_facts opp ON opp.opportunity_id = f.opportunity_id
         LEFT JOIN lead_facts l ON l.lead_id = opp.lead_id
         LEFT JOIN reps r ON r.rep_id = f.rep_id
        WHERE f.order_id = ANY($1::uuid[])`,
      [ids],
    );
    const lines = await select<OrderProjectionRows['lines'][number]>(
      m,
      `SELECT l.order_id, l.line_total::text AS line_total, i.product_line FROM order_line_facts l LEFT JOIN items i ON i.sku = l.sku
        WHERE l.order_id = ANY($1::uuid[]) ORDER BY l.order_id, l.line_id`,
      [ids],
    );
    const payments = await select<OrderProjectionRows['payments'][number]>(
      m,
      'SELECT order_id, amount::text AS amount, currency, received_at FROM payment_facts WHERE order_id = ANY($1::uuid[]) ORDER BY order_id, payment_id',
      [ids],
    );
    const feedback = await select<OrderProjectionRows['feedback'][number]>(
      m,
      'SELECT order_id, rating, complaint, received_at, rep_id FROM feedback_facts WHERE order_id = ANY($1::uuid[]) ORDER BY order_id, feedback_id',
      [ids],
    );
    return { orders, lines, payments, feedback };
  }
}
