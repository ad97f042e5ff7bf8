import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { EventEnvelope, EventName, EventOf } from '@crm/contracts';
import { weightedAmount } from '../reporting/stats.domain';
import { AGGREGATES, DATE_DIMS, type AggregateTable, type Contribution } from './aggregates';
import {
  DIRECT, UNASSIGNED, UNKNOWN, diffContributions, leadContributions, opportunityContributions, orderContributions, stageIntervals,
  type HistoryEntry,
} from './projection.domain';

// Rows of hand-written SQL: typed where they are read.
type Q = (sql: string, params?: unknown[]) => Promise<any[]>;
const query = (manager: EntityManager): Q => (sql, params) => manager.query(sql, params);
const ts = (v: string | undefined | null) => (v ? new Date(v) : null);

/** Where the applied event came from: its partition's watermark moves. */
export interface EventOrigin {
  topic: string;
  partition: number;
}

/**
 * Applies events to the read model. Each handler updates the facts the event is about, then re-projects
 * every fact whose contribution could change (the fact itself and the facts that resolve a dimension
 * through it), writing only the difference to the aggregates. A fact row is locked (FOR UPDATE) before it
 * is re-read, so two consumers (replicas, or a rebuild running next to the live consumer) never apply a
 * fact's difference twice.
 */
@Injectable()
export class Projector {
  /** The event types the read model is built from, and how each is applied. */
  readonly handlers: { [N in EventName]?: (event: EventOf<N>, q: Q) => Promise<void> } = {
    'rep.upserted': (e, q) => this.repUpserted(e, q),
    'item.upserted': (e, q) => this.itemUpserted(e, q),
    'lead.captured': (e, q) => this.leadCaptured(e, q),
    'lead.assigned': (e, q) => this.leadAssigned(e.data.leadId, e.data.repId, e.data.team ?? null, e.data.assignedAt, q),
    'lead.reassigned': (e, q) => this.leadAssigned(e.data.leadId, e.data.toRepId, null, e.data.reassignedAt, q),
    'lead.followed_up': (e, q) => this.leadUpdate(e.data.leadId, 'first_follow_up_at = LEAST(lead_facts.first_follow_up_at, $2), follow_ups = lead_facts.follow_ups + 1', [ts(e.data.at)], q),
    'lead.qualified': (e, q) => this.leadUpdate(e.data.leadId, 'qualified_at = LEAST(lead_facts.qualified_at, $2)', [ts(e.data.qualifiedAt)], q),
    'lead.disqualified': (e, q) => this.leadUpdate(e.data.leadId, 'disqualified_at = GREATEST(lead_facts.disqualified_at, $2)', [ts(e.data.disqualifiedAt)], q),
    'lead.converted': (e, q) =>
      this.leadUpdate(
        e.data.leadId,
        `converted_at = LEAST(lead_facts.converted_at, $2), rep_id = COALESCE(lead_facts.rep_id, $3), team = COALESCE(lead_facts.team, $4),
         region = COALESCE(lead_facts.region, $5), product_line = COALESCE(lead_facts.product_line, $6)`,
        [ts(e.data.convertedAt), e.data.repId, e.data.team ?? null, e.data.region ?? null, e.data.productLine ?? null],
        q,
      ),
    'opportunity.created': (e, q) => this.opportunityCreated(e, q),
    'opportunity.stage_changed': (e, q) =>
      this.opportunityHistory(e.data.opportunityId, { kind: 'stage', at: e.data.changedAt, stage: e.data.toStage, p: e.data.winProbability ?? null }, q),
    'opportunity.won': (e, q) => this.opportunityWon(e, q),
    'opportunity.lost': (e, q) => this.opportunityLost(e, q),
    'order.confirmed': (e, q) => this.orderConfirmed(e, q),
    'order.on_hold': (e, q) => this.orderStatus(e.data.orderId, 'on_hold', e.data.at, q),
    'order.allocated': (e, q) => this.orderStatus(e.data.orderId, 'allocated', e.data.at, q),
    'order.status_changed': (e, q) => this.orderStatus(e.data.orderId, e.data.to, e.data.at, q),
    'order.shipped': (e, q) => this.orderMilestone(e.data.orderId, 'shipped', e.data.shippedAt, q, true),
    'order.delivered': (e, q) => this.orderMilestone(e.data.orderId, 'delivered', e.data.deliveredAt, q, false),
    'order.completed': (e, q) => this.orderMilestone(e.data.orderId, 'completed', e.data.completedAt, q, false),
    'order.cancelled': (e, q) => this.orderMilestone(e.data.orderId, 'cancelled', e.data.cancelledAt, q, true),
    'order.feedback_received': (e, q) => this.feedbackReceived(e, q),
    'payment.received': (e, q) => this.paymentReceived(e, q),
    'receivable.created': (e, q) => this.receivableCreated(e, q),
    'receivable.overdue': (e, q) =>
      this.receivableUpdate(e.data.receivableId, e.data.orderId, 'overdue_at = COALESCE(receivable_facts.overdue_at, $3), paid = GREATEST(receivable_facts.paid, receivable_facts.amount - $4)', [ts(e.data.detectedAt), e.data.outstanding], q),
    'receivable.voided': (e, q) => this.receivableUpdate(e.data.receivableId, e.data.orderId, 'voided_at = $3', [ts(e.data.voidedAt)], q),
  };

  readonly eventTypes: string[] = Object.keys(this.handlers).map((name) => `crm.${name}`);

  handles(type: string): boolean {
    return this.eventTypes.includes(type);
  }

  /** Applies one event inside the caller's transaction (the inbox transaction, or a rebuild batch). */
  async apply(event: EventEnvelope, manager: EntityManager, origin: EventOrigin): Promise<void> {
    const name = event.type.replace(/^crm\./, '') as EventName;
    const handler = this.handlers[name] as ((e: EventEnvelope, q: Q) => Promise<void>) | undefined;
    if (!handler) return;
    const q = query(manager);
    await handler(event, q);
    await q(
      `INSERT INTO analytics_watermark (topic, partition, last_event_time, events_applied) VALUES ($1, $2, $3, 1)
       ON CONFLICT (topic, partition) DO UPDATE SET last_event_time = GREATEST(analytics_watermark.last_event_time, EXCLUDED.last_event_time),
         events_applied = analytics_watermark.events_applied + 1`,
      [origin.topic, origin.partition, new Date(event.time)],
    );
  }

  // ------------------------------------------------------------ directories

  private async repUpserted({ data }: EventOf<'rep.upserted'>, q: Q) {
    const [before] = await q('SELECT team FROM reps WHERE rep_id = $1 FOR UPDATE', [data.repId]);
    const [after] = await q(
      `INSERT INTO reps (rep_id, name, team, active, updated_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (rep_id) DO UPDATE SET name = EXCLUDED.name, team = EXCLUDED.team, active = EXCLUDED.active, updated_at = EXCLUDED.updated_at
       WHERE reps.updated_at <= EXCLUDED.updated_at RETURNING team`,
      [data.repId, data.name, data.team ?? null, data.active, ts(data.updatedAt)],
    );
    // The team is a fallback for facts whose own events named none: those move with the rep.
    if (!after || (before && before.team === after.team)) return;
    for (const r of await q('SELECT lead_id FROM lead_facts WHERE rep_id = $1 AND team IS NULL', [data.repId])) await this.reprojectLead(r.lead_id, q);
    for (const r of await q('SELECT opportunity_id FROM opportunity_facts WHERE rep_id = $1 AND team IS NULL', [data.repId])) await this.reprojectOpportunity(r.opportunity_id, q, false);
    for (const r of await q('SELECT order_id FROM order_facts WHERE rep_id = $1 AND team IS NULL', [data.repId])) await this.reprojectOrder(r.order_id, q);
  }

  private async itemUpserted({ data }: EventOf<'item.upserted'>, q: Q) {
    const [before] = await q('SELECT product_line FROM items WHERE sku = $1 FOR UPDATE', [data.sku]);
    const [after] = await q(
      `INSERT INTO items (sku, name, product_line, active, updated_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (sku) DO UPDATE SET name = EXCLUDED.name, product_line = EXCLUDED.product_line, active = EXCLUDED.active, updated_at = EXCLUDED.updated_at
       WHERE items.updated_at <= EXCLUDED.updated_at RETURNING product_line`,
      [data.sku, data.name, data.productLine ?? null, data.active, ts(data.updatedAt)],
    );
    if (!after || (before && before.product_line === after.product_line)) return;
    // Revenue by product line follows the catalogue's current classification (restated when it changes).
    for (const r of await q('SELECT DISTINCT order_id FROM order_line_facts WHERE sku = $1 ORDER BY order_id', [data.sku])) await this.reprojectOrder(r.order_id, q);
  }

  // ------------------------------------------------------------ leads

  private async leadCaptured({ data }: EventOf<'lead.captured'>, q: Q) {
    await q(
      `INSERT INTO lead_facts (lead_id, source, campaign, region, product_line, captured_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (lead_id) DO UPDATE SET source = EXCLUDED.source, campaign = EXCLUDED.campaign, region = COALESCE(EXCLUDED.region, lead_facts.region),
         product_line = COALESCE(EXCLUDED.product_line, lead_facts.product_line), captured_at = EXCLUDED.captured_at`,
      [data.leadId, data.source, data.campaign ?? null, data.region ?? null, data.productLine ?? null, ts(data.capturedAt)],
    );
    await this.reprojectLead(data.leadId, q);
    // The lead's source is a dimension of its opportunities and their orders.
    for (const r of await q('SELECT opportunity_id FROM opportunity_facts WHERE lead_id = $1 ORDER BY opportunity_id', [data.leadId])) {
      await this.reprojectOpportunity(r.opportunity_id, q, true);
    }
  }

  private async leadAssigned(leadId: string, repId: string, team: string | null, at: string, q: Q) {
    await q(
      `INSERT INTO lead_facts (lead_id, rep_id, team, assigned_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (lead_id) DO UPDATE SET rep_id = EXCLUDED.rep_id, team = EXCLUDED.team, assigned_at = EXCLUDED.assigned_at
       WHERE lead_facts.assigned_at IS NULL OR lead_facts.assigned_at <= EXCLUDED.assigned_at`,
      [leadId, repId, team, ts(at)],
    );
    await this.reprojectLead(leadId, q);
  }

  private async leadUpdate(leadId: string, set: string, params: unknown[], q: Q) {
    await q(`INSERT INTO lead_facts (lead_id) VALUES ($1) ON CONFLICT (lead_id) DO NOTHING`, [leadId]);
    await q(`UPDATE lead_facts SET ${set} WHERE lead_id = $1`, [leadId, ...params]);
    await this.reprojectLead(leadId, q);
  }

  async reprojectLead(leadId: string, q: Q): Promise<void> {
    const [locked] = await q('SELECT contrib FROM lead_facts WHERE lead_id = $1 FOR UPDATE', [leadId]);
    if (!locked) return;
    const [l] = await q(
      `SELECT l.*, r.team AS rep_team, deals.opportunity_at, deals.won_at, deals.paid_at
         FROM lead_facts l
         LEFT JOIN reps r ON r.rep_id = l.rep_id
         LEFT JOIN LATERAL (
           SELECT min(o.created_at) AS opportunity_at, min(o.won_at) FILTER (WHERE o.status = 'won') AS won_at, min(paid.at) AS paid_at
             FROM opportunity_facts o
             LEFT JOIN order_facts ord ON ord.opportunity_id = o.opportunity_id
             LEFT JOIN LATERAL (SELECT min(p.received_at) AS at FROM payment_facts p WHERE p.order_id = ord.order_id AND p.outstanding = 0) paid ON true
            WHERE o.lead_id = l.lead_id) deals ON true
        WHERE l.lead_id = $1`,
      [leadId],
    );
    const contributions = leadContributions({
      capturedAt: l.captured_at, qualifiedAt: l.qualified_at, disqualifiedAt: l.disqualified_at, convertedAt: l.converted_at,
      firstFollowUpAt: l.first_follow_up_at, opportunityAt: l.opportunity_at, wonAt: l.won_at, paidAt: l.paid_at,
      dims: {
        region: l.region ?? UNKNOWN, productLine: l.product_line ?? UNKNOWN, source: l.source ?? UNKNOWN,
        repId: l.rep_id ?? UNASSIGNED, team: l.team ?? l.rep_team ?? (l.rep_id ? UNKNOWN : UNASSIGNED),
      },
    });
    await this.settle('lead_facts', 'lead_id', leadId, locked.contrib, contributions, q);
  }

  // ------------------------------------------------------------ opportunities

  private appendHistory(opportunityId: string, entry: HistoryEntry, q: Q) {
    return q(
      `INSERT INTO opportunity_facts (opportunity_id, history) VALUES ($1, jsonb_build_array($2::jsonb))
       ON CONFLICT (opportunity_id) DO UPDATE SET history = opportunity_facts.history || $2::jsonb`,
      [opportunityId, JSON.stringify(entry)],
    );
  }

  private async opportunityCreated({ data }: EventOf<'opportunity.created'>, q: Q) {
    await this.appendHistory(data.opportunityId, { kind: 'created', at: data.createdAt, stage: data.stage, p: data.winProbability ?? null }, q);
    await q(
      `UPDATE opportunity_facts SET deal_known = true, lead_id = $2, rep_id = $3, team = $4, region = $5, product_line = $6, currency = $7,
         expected_amount = $8, expected_close_date = $9, created_at = $10 WHERE opportunity_id = $1`,
      [data.opportunityId, data.leadId, data.repId, data.team ?? null, data.region ?? null, data.productLine ?? null, data.currency,
        data.expectedAmount, data.expectedCloseDate, ts(data.createdAt)],
    );
    await this.reprojectOpportunity(data.opportunityId, q, true);
    if (data.leadId) await this.reprojectLead(data.leadId, q);
  }

  private async opportunityHistory(opportunityId: string, entry: HistoryEntry, q: Q) {
    await this.appendHistory(opportunityId, entry, q);
    await this.reprojectOpportunity(opportunityId, q, false);
  }

  private async opportunityWon({ data }: EventOf<'opportunity.won'>, q: Q) {
    await this.appendHistory(data.opportunityId, { kind: 'won', at: data.wonAt }, q);
    await q(
      `UPDATE opportunity_facts SET deal_known = true, lead_id = $2, rep_id = $3, team = COALESCE($4, team), region = COALESCE($5, region),
         currency = COALESCE(currency, $6), won_amount = $7, won_at = $8, created_at = COALESCE(created_at, $9) WHERE opportunity_id = $1`,
      [data.opportunityId, data.leadId, data.repId, data.team ?? null, data.region ?? null, data.currency, data.amount, ts(data.wonAt), ts(data.createdAt)],
    );
    await this.reprojectOpportunity(data.opportunityId, q, true);
    if (data.leadId) await this.reprojectLead(data.leadId, q);
  }

  private async opportunityLost({ data }: EventOf<'opportunity.lost'>, q: Q) {
    await this.appendHistory(data.opportunityId, { kind: 'lost', at: data.lostAt, stage: data.stage }, q);
    await q('UPDATE opportunity_facts SET lost_at = $2, rep_id = COALESCE(rep_id, $3) WHERE opportunity_id = $1', [data.opportunityId, ts(data.lostAt), data.repId]);
    await this.reprojectOpportunity(data.opportunityId, q, false);
  }

  async reprojectOpportunity(opportunityId: string, q: Q, withOrders: boolean): Promise<void> {
    const [locked] = await q('SELECT contrib FROM opportunity_facts WHERE opportunity_id = $1 FOR UPDATE', [opportunityId]);
    if (!locked) return;
    const [o] = await q(
      `SELECT o.*, o.expected_close_date::text AS close_date, l.source AS lead_source, r.team AS rep_team
         FROM opportunity_facts o LEFT JOIN lead_facts l ON l.lead_id = o.lead_id LEFT JOIN reps r ON r.rep_id = o.rep_id
        WHERE o.opportunity_id = $1`,
      [opportunityId],
    );
    const intervals = stageIntervals(o.history as HistoryEntry[]);
    const current = intervals.at(-1) ?? null;
    const dims = {
      region: o.region ?? UNKNOWN,
      productLine: o.product_line ?? UNKNOWN,
      source: o.deal_known ? (o.lead_id ? (o.lead_source ?? UNKNOWN) : DIRECT) : UNKNOWN,
      repId: o.rep_id ?? UNKNOWN,
      team: o.team ?? o.rep_team ?? UNKNOWN,
    };
    await q('UPDATE opportunity_facts SET stage = $2, status = $3, win_probability = $4 WHERE opportunity_id = $1', [
      opportunityId, current?.stage ?? null, current?.status ?? null, current?.winProbability ?? null,
    ]);
    await q('DELETE FROM opportunity_stage_intervals WHERE opportunity_id = $1', [opportunityId]);
    if (o.currency && o.expected_amount !== null && intervals.length) {
      await q(
        `INSERT INTO opportunity_stage_intervals (opportunity_id, seq, stage, status, win_probability, currency, amount, weighted_amount,
           valid_from, valid_to, region, product_line, source, rep_id, team)
         SELECT $1, x.seq, x.stage, x.status, x.p, $2, $3, x.weighted, x.valid_from, x.valid_to, $4, $5, $6, $7, $8
           FROM jsonb_to_recordset($9::jsonb) AS x(seq int, stage text, status text, p numeric, weighted numeric, valid_from timestamptz, valid_to timestamptz)`,
        [opportunityId, o.currency, o.expected_amount, dims.region, dims.productLine, dims.source, dims.repId, dims.team,
          JSON.stringify(intervals.map((i) => ({
            seq: i.seq, stage: i.stage, status: i.status, p: i.winProbability, weighted: weightedAmount(o.expected_amount, i.winProbability),
            valid_from: i.validFrom, valid_to: i.validTo,
          })))],
      );
    }
    const contributions = opportunityContributions({
      currency: o.currency, expectedAmount: o.expected_amount, expectedCloseDate: o.close_date, createdAt: o.created_at,
      wonAt: o.won_at, wonAmount: o.won_amount, lostAt: o.lost_at, current, dims,
    });
    await this.settle('opportunity_facts', 'opportunity_id', opportunityId, locked.contrib, contributions, q);
    if (withOrders) {
      for (const r of await q('SELECT order_id FROM order_facts WHERE opportunity_id = $1 ORDER BY order_id', [opportunityId])) await this.reprojectOrder(r.order_id, q);
    }
  }

  // ------------------------------------------------------------ orders and money

  private async orderConfirmed({ data }: EventOf<'order.confirmed'>, q: Q) {
    await q(
      `INSERT INTO order_facts (order_id, opportunity_id, rep_id, team, region, currency, total, payment_terms, confirmed_at, status, status_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'confirmed', $9)
       ON CONFLICT (order_id) DO UPDATE SET opportunity_id = EXCLUDED.opportunity_id, rep_id = EXCLUDED.rep_id, team = EXCLUDED.team,
         region = EXCLUDED.region, currency = EXCLUDED.currency, total = EXCLUDED.total, payment_terms = EXCLUDED.payment_terms,
         confirmed_at = EXCLUDED.confirmed_at,
         status = CASE WHEN order_facts.status_at IS NULL OR order_facts.status_at <= EXCLUDED.status_at THEN 'confirmed' ELSE order_facts.status END,
         status_at = GREATEST(order_facts.status_at, EXCLUDED.status_at)`,
      [data.orderId, data.opportunityId, data.repId, data.team ?? null, data.region ?? null, data.currency, data.total, data.paymentTerms, ts(data.confirmedAt)],
    );
    await q('DELETE FROM order_line_facts WHERE order_id = $1', [data.orderId]);
    await q(
      `INSERT INTO order_line_facts (order_id, line_id, sku, line_total)
       SELECT $1, x.line_id, x.sku, x.line_total FROM jsonb_to_recordset($2::jsonb) AS x(line_id uuid, sku text, line_total numeric)`,
      [data.orderId, JSON.stringify(data.lines.map((l) => ({ line_id: l.lineId, sku: l.sku, line_total: l.lineTotal })))],
    );
    await this.reprojectOrder(data.orderId, q);
    await this.reprojectLeadOfOrder(data.orderId, q);
  }

  private async orderStatus(orderId: string, status: string, at: string, q: Q) {
    await q(
      `INSERT INTO order_facts (order_id, status, status_at) VALUES ($1, $2, $3)
       ON CONFLICT (order_id) DO UPDATE SET status = EXCLUDED.status, status_at = EXCLUDED.status_at
       WHERE order_facts.status_at IS NULL OR order_facts.status_at <= EXCLUDED.status_at`,
      [orderId, status, ts(at)],
    );
  }

  private async orderMilestone(orderId: string, milestone: 'shipped' | 'delivered' | 'completed' | 'cancelled', at: string, q: Q, affectsSales: boolean) {
    await this.orderStatus(orderId, milestone, at, q);
    await q(`UPDATE order_facts SET ${milestone}_at = $2 WHERE order_id = $1`, [orderId, ts(at)]);
    if (affectsSales) await this.reprojectOrder(orderId, q);
  }

  private async feedbackReceived({ data }: EventOf<'order.feedback_received'>, q: Q) {
    await q(
      `INSERT INTO feedback_facts (feedback_id, order_id, rep_id, rating, category, complaint, received_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (feedback_id) DO NOTHING`,
      [data.feedbackId, data.orderId, data.repId, data.rating, data.category, data.complaint, ts(data.receivedAt)],
    );
    await q('INSERT INTO order_facts (order_id) VALUES ($1) ON CONFLICT (order_id) DO NOTHING', [data.orderId]);
    await this.reprojectOrder(data.orderId, q);
  }

  private async paymentReceived({ data }: EventOf<'payment.received'>, q: Q) {
    await q(
      `INSERT INTO payment_facts (payment_id, receivable_id, order_id, amount, currency, outstanding, received_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (payment_id) DO NOTHING`,
      [data.paymentId, data.receivableId, data.orderId, data.amount, data.currency, data.outstanding, ts(data.receivedAt)],
    );
    await this.receivableUpdate(data.receivableId, data.orderId, 'paid = receivable_facts.paid + $3', [data.amount], q);
    await q('INSERT INTO order_facts (order_id) VALUES ($1) ON CONFLICT (order_id) DO NOTHING', [data.orderId]);
    await this.reprojectOrder(data.orderId, q);
    await this.reprojectLeadOfOrder(data.orderId, q);
  }

  private async receivableCreated({ data }: EventOf<'receivable.created'>, q: Q) {
    await this.receivableUpdate(data.receivableId, data.orderId, 'currency = $3, amount = $4, due_date = $5', [data.currency, data.amount, data.dueDate], q);
  }

  private async receivableUpdate(receivableId: string, orderId: string, set: string, params: unknown[], q: Q) {
    await q('INSERT INTO receivable_facts (receivable_id, order_id) VALUES ($1, $2) ON CONFLICT (receivable_id) DO NOTHING', [receivableId, orderId]);
    await q(`UPDATE receivable_facts SET ${set} WHERE receivable_id = $1 AND order_id = $2`, [receivableId, orderId, ...params]);
  }

  private async reprojectLeadOfOrder(orderId: string, q: Q) {
    const [row] = await q(
      'SELECT o.lead_id FROM order_facts f JOIN opportunity_facts o ON o.opportunity_id = f.opportunity_id WHERE f.order_id = $1 AND o.lead_id IS NOT NULL',
      [orderId],
    );
    if (row) await this.reprojectLead(row.lead_id, q);
  }

  async reprojectOrder(orderId: string, q: Q): Promise<void> {
    const [locked] = await q('SELECT contrib FROM order_facts WHERE order_id = $1 FOR UPDATE', [orderId]);
    if (!locked) return;
    const [o] = await q(
      `SELECT f.*, opp.deal_known, opp.lead_id, opp.region AS opp_region, opp.team AS opp_team, opp.product_line AS opp_product_line,
              l.source AS lead_source, r.team AS rep_team
         FROM order_facts f
         LEFT JOIN opportunity_facts opp ON opp.opportunity_id = f.opportunity_id
         LEFT JOIN lead_facts l ON l.lead_id = opp.lead_id
         LEFT JOIN reps r ON r.rep_id = f.rep_id
        WHERE f.order_id = $1`,
      [orderId],
    );
    const lines = await q(
      'SELECT l.line_total::text AS line_total, i.product_line FROM order_line_facts l LEFT JOIN items i ON i.sku = l.sku WHERE l.order_id = $1 ORDER BY l.line_id',
      [orderId],
    );
    const payments = await q('SELECT amount::text AS amount, currency, received_at FROM payment_facts WHERE order_id = $1 ORDER BY payment_id', [orderId]);
    const feedback = await q('SELECT rating, complaint, received_at, rep_id FROM feedback_facts WHERE order_id = $1 ORDER BY feedback_id', [orderId]);
    const known = o.confirmed_at !== null;
    const source = !known ? UNKNOWN : !o.opportunity_id ? DIRECT : !o.deal_known ? UNKNOWN : o.lead_id ? (o.lead_source ?? UNKNOWN) : DIRECT;
    const contributions = orderContributions({
      currency: o.currency, total: o.total, confirmedAt: o.confirmed_at, shippedAt: o.shipped_at, cancelledAt: o.cancelled_at,
      lines: lines.map((l) => ({ lineTotal: l.line_total, productLine: l.product_line ?? o.opp_product_line ?? UNKNOWN })),
      dims: {
        region: o.region ?? o.opp_region ?? UNKNOWN,
        source,
        repId: o.rep_id ?? feedback[0]?.rep_id ?? UNKNOWN,
        team: o.team ?? o.opp_team ?? o.rep_team ?? UNKNOWN,
      },
      payments: payments.map((p) => ({ amount: p.amount, currency: p.currency, receivedAt: p.received_at })),
      feedback: feedback.map((f) => ({ rating: f.rating, complaint: f.complaint, receivedAt: f.received_at })),
    });
    await this.settle('order_facts', 'order_id', orderId, locked.contrib, contributions, q);
  }

  // ------------------------------------------------------------ aggregates

  /** Applies after − before to the aggregates and remembers `after` on the fact row. */
  private async settle(table: string, idColumn: string, id: string, before: Contribution[], after: Contribution[], q: Q) {
    const delta = diffContributions(before, after);
    if (!delta.length) return;
    await applyDeltas(delta, q);
    await q(`UPDATE ${table} SET contrib = $2::jsonb WHERE ${idColumn} = $1`, [id, JSON.stringify(after)]);
  }
}

/** One INSERT … ON CONFLICT DO UPDATE (x = x + EXCLUDED.x) per aggregate table, rows in key order. */
export async function applyDeltas(delta: readonly Contribution[], q: Q): Promise<void> {
  const byTable = new Map<AggregateTable, Contribution[]>();
  for (const c of delta) byTable.set(c.t, [...(byTable.get(c.t) ?? []), c]);
  for (const [table, rows] of byTable) {
    const spec = AGGREGATES[table];
    const measures = Object.entries(spec.measures);
    const dims = spec.dims.join(', ');
    const recordDef = [
      ...spec.dims.map((d) => `${d} ${DATE_DIMS.has(d) ? 'date' : 'text'}`),
      ...measures.map(([m, type]) => `${m} ${type === 'amount' ? 'numeric' : 'bigint'}`),
    ].join(', ');
    const records = rows.map((r) => ({ ...Object.fromEntries(spec.dims.map((d, i) => [d, r.k[i]])), ...r.m }));
    await q(
      `INSERT INTO ${table} (${dims}, ${measures.map(([m]) => m).join(', ')})
       SELECT ${dims}, ${measures.map(([m]) => `COALESCE(${m}, 0)`).join(', ')} FROM jsonb_to_recordset($1::jsonb) AS x(${recordDef})
       ON CONFLICT (${dims}) DO UPDATE SET ${measures.map(([m]) => `${m} = ${table}.${m} + EXCLUDED.${m}`).join(', ')}`,
      [JSON.stringify(records)],
    );
  }
}
