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
  readonly handlers: { [N in EventName]?: (event: EventOf<N>, q: Q, b: ProjectionBatch) => Promise<void> } = {
    'rep.upserted': (e, q, b) => this.repUpserted(e, q, b),
    'item.upserted': (e, q, b) => this.itemUpserted(e, q, b),
    'lead.captured': (e, q, b) => this.leadCaptured(e, q, b),
    'lead.assigned': (e, q, b) => this.leadAssigned(e.data.leadId, e.data.repId, e.data.team ?? null, e.data.assignedAt, q, b),
    'lead.reassigned': (e, q, b) => this.leadAssigned(e.data.leadId, e.data.toRepId, null, e.data.reassignedAt, q, b),
    'lead.followed_up': (e, q, b) =>
      this.leadUpdate(e.data.leadId, { first_follow_up_at: '$2', follow_ups: '1' }, 'first_follow_up_at = LEAST(lead_facts.first_follow_up_at, $2), follow_ups = lead_facts.follow_ups + 1', [ts(e.data.at)], q, b),
    'lead.qualified': (e, q, b) => this.leadUpdate(e.data.leadId, { qualified_at: '$2' }, 'qualified_at = LEAST(lead_facts.qualified_at, $2)', [ts(e.data.qualifiedAt)], q, b),
    'lead.disqualified': (e, q, b) => this.leadUpdate(e.data.leadId, { disqualified_at: '$2' }, 'disqualified_at = GREATEST(lead_facts.disqualified_at, $2)', [ts(e.data.disqualifiedAt)], q, b),
    'lead.converted': (e, q, b) =>
      this.leadUpdate(
        e.data.leadId,
        { converted_at: '$2', rep_id: '$3', team: '$4', region: '$5', product_line: '$6' },
        `converted_at = LEAST(lead_facts.converted_at, $2), rep_id = COALESCE(lead_facts.rep_id, $3), team = COALESCE(lead_facts.team, $4),
         region = COALESCE(lead_facts.region, $5), product_line = COALESCE(lead_facts.product_line, $6)`,
        [ts(e.data.convertedAt), e.data.repId, e.data.team ?? null, e.data.region ?? null, e.data.productLine ?? null],
        q,
        b,
      ),
    'opportunity.created': (e, q, b) => this.opportunityCreated(e, q, b),
    'opportunity.stage_changed': (e, q, b) =>
      this.opportunityHistory(e.data.opportunityId, { kind: 'stage', at: e.data.changedAt, stage: e.data.toStage, p: e.data.winProbability ?? null }, q, b),
    'opportunity.won': (e, q, b) => this.opportunityWon(e, q, b),
    'opportunity.lost': (e, q, b) => this.opportunityLost(e, q, b),
    'order.confirmed': (e, q, b) => this.orderConfirmed(e, q, b),
    'order.on_hold': (e, q) => this.orderStatus(e.data.orderId, 'on_hold', e.data.at, q),
    'order.allocated': (e, q) => this.orderStatus(e.data.orderId, 'allocated', e.data.at, q),
    'order.status_changed': (e, q) => this.orderStatus(e.data.orderId, e.data.to, e.data.at, q),
    'order.shipped': (e, q, b) => this.orderMilestone(e.data.orderId, 'shipped', e.data.shippedAt, q, b, true),
    'order.delivered': (e, q, b) => this.orderMilestone(e.data.orderId, 'delivered', e.data.deliveredAt, q, b, false),
    'order.completed': (e, q, b) => this.orderMilestone(e.data.orderId, 'completed', e.data.completedAt, q, b, false),
    'order.cancelled': (e, q, b) => this.orderMilestone(e.data.orderId, 'cancelled', e.data.cancelledAt, q, b, true),
    'order.feedback_received': (e, q, b) => this.feedbackReceived(e, q, b),
    'payment.received': (e, q, b) => this.paymentReceived(e, q, b),
    'receivable.created': (e, q) => this.receivableCreated(e, q),
    // A new row has no amount yet: paid stays 0 (GREATEST ignores the null), as on an empty row.
    'receivable.overdue': (e, q) =>
      q(receivableUpsert({ overdue_at: '$3' }, 'overdue_at = COALESCE(receivable_facts.overdue_at, $3), paid = GREATEST(receivable_facts.paid, receivable_facts.amount - $4)'), [
        e.data.receivableId, e.data.orderId, ts(e.data.detectedAt), e.data.outstanding,
      ]).then(() => undefined),
    'receivable.voided': (e, q) =>
      q(receivableUpsert({ voided_at: '$3' }, 'voided_at = $3'), [e.data.receivableId, e.data.orderId, ts(e.data.voidedAt)]).then(() => undefined),
  };

  readonly eventTypes: string[] = Object.keys(this.handlers).map((name) => `crm.${name}`);

  handles(type: string): boolean {
    return this.eventTypes.includes(type);
  }

  /**
   * Applies one event inside the caller's transaction (the inbox transaction, or a rebuild chunk). With a
   * `batch`, the re-projections and the aggregate and watermark writes wait for `flush(batch)`, which the
   * caller runs once before commit; without one they happen now.
   */
  async apply(event: EventEnvelope, manager: EntityManager, origin: EventOrigin, batch?: ProjectionBatch): Promise<void> {
    const name = event.type.replace(/^crm\./, '') as EventName;
    const handler = this.handlers[name] as ((e: EventEnvelope, q: Q, b: ProjectionBatch) => Promise<void>) | undefined;
    if (!handler) return;
    const b = batch ?? new ProjectionBatch();
    await handler(event, query(manager), b);
    b.applied(origin, new Date(event.time));
    if (!batch) await this.flush(b, manager);
  }

  /**
   * Re-projects every fact the batch's events touched, once, from the facts as they stand now, and writes the
   * summed differences to each aggregate table and the watermarks in one statement each. Re-projection is a
   * pure function of the facts, so doing it once at the end gives the same contributions as after every event
   * (the differences add up to the same total). Opportunities go first: a lead's funnel reads their status.
   */
  async flush(batch: ProjectionBatch, manager: EntityManager): Promise<void> {
    const q = query(manager);
    const deltas: Contribution[] = [];
    // Cascades resolved now rather than per event: a superset of the facts each event would have found,
    // which is harmless (re-projecting an unchanged fact writes nothing).
    const captured = [...batch.capturedLeads];
    if (captured.length) {
      for (const r of await q('SELECT opportunity_id FROM opportunity_facts WHERE lead_id = ANY($1::uuid[])', [captured])) batch.opportunity(r.opportunity_id, true);
    }
    const withOrders = [...batch.opportunitiesWithOrders];
    if (withOrders.length) {
      for (const r of await q('SELECT order_id FROM order_facts WHERE opportunity_id = ANY($1::uuid[])', [withOrders])) batch.orders.add(r.order_id);
    }
    const leadsOfOrders = [...batch.leadsOfOrders];
    if (leadsOfOrders.length) {
      const rows = await q(
        'SELECT o.lead_id FROM order_facts f JOIN opportunity_facts o ON o.opportunity_id = f.opportunity_id WHERE f.order_id = ANY($1::uuid[]) AND o.lead_id IS NOT NULL',
        [leadsOfOrders],
      );
      for (const r of rows) batch.leads.add(r.lead_id);
    }
    await this.reprojectOpportunities([...batch.opportunities].sort(), q, deltas);
    await this.reprojectOrders([...batch.orders].sort(), q, deltas);
    await this.reprojectLeads([...batch.leads].sort(), q, deltas);
    await applyDeltas(diffContributions([], deltas), q);
    const marks = [...batch.watermarks.values()].sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
    if (marks.length) {
      await q(
        `INSERT INTO analytics_watermark (topic, partition, last_event_time, events_applied)
         SELECT * FROM unnest($1::text[], $2::int[], $3::timestamptz[], $4::bigint[])
         ON CONFLICT (topic, partition) DO UPDATE SET last_event_time = GREATEST(analytics_watermark.last_event_time, EXCLUDED.last_event_time),
           events_applied = analytics_watermark.events_applied + EXCLUDED.events_applied`,
        [marks.map((m) => m.topic), marks.map((m) => m.partition), marks.map((m) => m.time), marks.map((m) => m.count)],
      );
    }
    batch.clear();
  }

  // ------------------------------------------------------------ directories

  private async repUpserted({ data }: EventOf<'rep.upserted'>, q: Q, b: ProjectionBatch) {
    const [before] = await q('SELECT team FROM reps WHERE rep_id = $1 FOR UPDATE', [data.repId]);
    const [after] = await q(
      `INSERT INTO reps (rep_id, name, team, active, updated_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (rep_id) DO UPDATE SET name = EXCLUDED.name, team = EXCLUDED.team, active = EXCLUDED.active, updated_at = EXCLUDED.updated_at
       WHERE reps.updated_at <= EXCLUDED.updated_at RETURNING team`,
      [data.repId, data.name, data.team ?? null, data.active, ts(data.updatedAt)],
    );
    // The team is a fallback for facts whose own events named none: those move with the rep.
    if (!after || (before && before.team === after.team)) return;
    for (const r of await q('SELECT lead_id FROM lead_facts WHERE rep_id = $1 AND team IS NULL', [data.repId])) b.leads.add(r.lead_id);
    for (const r of await q('SELECT opportunity_id FROM opportunity_facts WHERE rep_id = $1 AND team IS NULL', [data.repId])) b.opportunity(r.opportunity_id, false);
    for (const r of await q('SELECT order_id FROM order_facts WHERE rep_id = $1 AND team IS NULL', [data.repId])) b.orders.add(r.order_id);
  }

  private async itemUpserted({ data }: EventOf<'item.upserted'>, q: Q, b: ProjectionBatch) {
    const [before] = await q('SELECT product_line FROM items WHERE sku = $1 FOR UPDATE', [data.sku]);
    const [after] = await q(
      `INSERT INTO items (sku, name, product_line, active, updated_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (sku) DO UPDATE SET name = EXCLUDED.name, product_line = EXCLUDED.product_line, active = EXCLUDED.active, updated_at = EXCLUDED.updated_at
       WHERE items.updated_at <= EXCLUDED.updated_at RETURNING product_line`,
      [data.sku, data.name, data.productLine ?? null, data.active, ts(data.updatedAt)],
    );
    if (!after || (before && before.product_line === after.product_line)) return;
    // Revenue by product line follows the catalogue's current classification (restated when it changes).
    for (const r of await q('SELECT DISTINCT order_id FROM order_line_facts WHERE sku = $1', [data.sku])) b.orders.add(r.order_id);
  }

  // ------------------------------------------------------------ leads

  private async leadCaptured({ data }: EventOf<'lead.captured'>, q: Q, b: ProjectionBatch) {
    await q(
      `INSERT INTO lead_facts (lead_id, source, campaign, region, product_line, captured_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (lead_id) DO UPDATE SET source = EXCLUDED.source, campaign = EXCLUDED.campaign, region = COALESCE(EXCLUDED.region, lead_facts.region),
         product_line = COALESCE(EXCLUDED.product_line, lead_facts.product_line), captured_at = EXCLUDED.captured_at`,
      [data.leadId, data.source, data.campaign ?? null, data.region ?? null, data.productLine ?? null, ts(data.capturedAt)],
    );
    b.leads.add(data.leadId);
    // The lead's source is a dimension of its opportunities and their orders (looked up at the flush).
    b.capturedLeads.add(data.leadId);
  }

  private async leadAssigned(leadId: string, repId: string, team: string | null, at: string, q: Q, b: ProjectionBatch) {
    await q(
      `INSERT INTO lead_facts (lead_id, rep_id, team, assigned_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (lead_id) DO UPDATE SET rep_id = EXCLUDED.rep_id, team = EXCLUDED.team, assigned_at = EXCLUDED.assigned_at
       WHERE lead_facts.assigned_at IS NULL OR lead_facts.assigned_at <= EXCLUDED.assigned_at`,
      [leadId, repId, team, ts(at)],
    );
    b.leads.add(leadId);
  }

  /** Applies `set` to the lead's row, or creates it with `inserted`: what `set` makes of an empty row. */
  private async leadUpdate(leadId: string, inserted: Record<string, string>, set: string, params: unknown[], q: Q, b: ProjectionBatch) {
    await q(
      `INSERT INTO lead_facts (lead_id, ${Object.keys(inserted).join(', ')}) VALUES ($1, ${Object.values(inserted).join(', ')})
       ON CONFLICT (lead_id) DO UPDATE SET ${set}`,
      [leadId, ...params],
    );
    b.leads.add(leadId);
  }

  /** Locks the leads (in id order), re-reads them with what their funnel depends on, and settles their contributions. */
  private async reprojectLeads(ids: string[], q: Q, deltas: Contribution[]): Promise<void> {
    if (!ids.length) return;
    const locked = await lockFacts('lead_facts', 'lead_id', ids, q);
    if (!locked.size) return;
    const rows = await q(
      `SELECT l.*, r.team AS rep_team, deals.opportunity_at, deals.won_at, deals.paid_at
         FROM lead_facts l
         LEFT JOIN reps r ON r.rep_id = l.rep_id
         LEFT JOIN LATERAL (
           SELECT min(o.created_at) AS opportunity_at, min(o.won_at) FILTER (WHERE o.status = 'won') AS won_at, min(paid.at) AS paid_at
             FROM opportunity_facts o
             LEFT JOIN order_facts ord ON ord.opportunity_id = o.opportunity_id
             LEFT JOIN LATERAL (SELECT min(p.received_at) AS at FROM payment_facts p WHERE p.order_id = ord.order_id AND p.outstanding = 0) paid ON true
            WHERE o.lead_id = l.lead_id) deals ON true
        WHERE l.lead_id = ANY($1::uuid[])`,
      [[...locked.keys()]],
    );
    const settled: Settled[] = [];
    for (const l of rows) {
      const contributions = leadContributions({
        capturedAt: l.captured_at, qualifiedAt: l.qualified_at, disqualifiedAt: l.disqualified_at, convertedAt: l.converted_at,
        firstFollowUpAt: l.first_follow_up_at, opportunityAt: l.opportunity_at, wonAt: l.won_at, paidAt: l.paid_at,
        dims: {
          region: l.region ?? UNKNOWN, productLine: l.product_line ?? UNKNOWN, source: l.source ?? UNKNOWN,
          repId: l.rep_id ?? UNASSIGNED, team: l.team ?? l.rep_team ?? (l.rep_id ? UNKNOWN : UNASSIGNED),
        },
      });
      settled.push({ id: l.lead_id, before: locked.get(l.lead_id)!, after: contributions });
    }
    await settle('lead_facts', 'lead_id', settled, q, deltas);
  }

  // ------------------------------------------------------------ opportunities

  private appendHistory(opportunityId: string, entry: HistoryEntry, q: Q) {
    return q(
      `INSERT INTO opportunity_facts (opportunity_id, history) VALUES ($1, jsonb_build_array($2::jsonb))
       ON CONFLICT (opportunity_id) DO UPDATE SET history = opportunity_facts.history || $2::jsonb`,
      [opportunityId, JSON.stringify(entry)],
    );
  }

  private async opportunityCreated({ data }: EventOf<'opportunity.created'>, q: Q, b: ProjectionBatch) {
    const entry: HistoryEntry = { kind: 'created', at: data.createdAt, stage: data.stage, p: data.winProbability ?? null };
    await q(
      `INSERT INTO opportunity_facts (opportunity_id, history, deal_known, lead_id, rep_id, team, region, product_line, currency,
         expected_amount, expected_close_date, created_at)
       VALUES ($1, jsonb_build_array($2::jsonb), true, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (opportunity_id) DO UPDATE SET history = opportunity_facts.history || $2::jsonb, deal_known = true, lead_id = EXCLUDED.lead_id,
         rep_id = EXCLUDED.rep_id, team = EXCLUDED.team, region = EXCLUDED.region, product_line = EXCLUDED.product_line, currency = EXCLUDED.currency,
         expected_amount = EXCLUDED.expected_amount, expected_close_date = EXCLUDED.expected_close_date, created_at = EXCLUDED.created_at`,
      [data.opportunityId, JSON.stringify(entry), data.leadId, data.repId, data.team ?? null, data.region ?? null, data.productLine ?? null, data.currency,
        data.expectedAmount, data.expectedCloseDate, ts(data.createdAt)],
    );
    b.opportunity(data.opportunityId, true);
    if (data.leadId) b.leads.add(data.leadId);
  }

  private async opportunityHistory(opportunityId: string, entry: HistoryEntry, q: Q, b: ProjectionBatch) {
    await this.appendHistory(opportunityId, entry, q);
    b.opportunity(opportunityId, false);
  }

  private async opportunityWon({ data }: EventOf<'opportunity.won'>, q: Q, b: ProjectionBatch) {
    const entry: HistoryEntry = { kind: 'won', at: data.wonAt };
    await q(
      `INSERT INTO opportunity_facts (opportunity_id, history, deal_known, lead_id, rep_id, team, region, currency, won_amount, won_at, created_at)
       VALUES ($1, jsonb_build_array($2::jsonb), true, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (opportunity_id) DO UPDATE SET history = opportunity_facts.history || $2::jsonb, deal_known = true, lead_id = EXCLUDED.lead_id,
         rep_id = EXCLUDED.rep_id, team = COALESCE(EXCLUDED.team, opportunity_facts.team), region = COALESCE(EXCLUDED.region, opportunity_facts.region),
         currency = COALESCE(opportunity_facts.currency, EXCLUDED.currency), won_amount = EXCLUDED.won_amount, won_at = EXCLUDED.won_at,
         created_at = COALESCE(opportunity_facts.created_at, EXCLUDED.created_at)`,
      [data.opportunityId, JSON.stringify(entry), data.leadId, data.repId, data.team ?? null, data.region ?? null, data.currency, data.amount,
        ts(data.wonAt), ts(data.createdAt)],
    );
    b.opportunity(data.opportunityId, true);
    if (data.leadId) b.leads.add(data.leadId);
  }

  private async opportunityLost({ data }: EventOf<'opportunity.lost'>, q: Q, b: ProjectionBatch) {
    const entry: HistoryEntry = { kind: 'lost', at: data.lostAt, stage: data.stage };
    await q(
      `INSERT INTO opportunity_facts (opportunity_id, history, lost_at, rep_id) VALUES ($1, jsonb_build_array($2::jsonb), $3, $4)
       ON CONFLICT (opportunity_id) DO UPDATE SET history = opportunity_facts.history || $2::jsonb, lost_at = EXCLUDED.lost_at,
         rep_id = COALESCE(opportunity_facts.rep_id, EXCLUDED.rep_id)`,
      [data.opportunityId, JSON.stringify(entry), ts(data.lostAt), data.repId],
    );
    b.opportunity(data.opportunityId, false);
  }

  /**
   * Locks the opportunities (in id order), re-reads them, rewrites their current stage and stage intervals,
   * and settles their contributions.
   */
  private async reprojectOpportunities(ids: string[], q: Q, deltas: Contribution[]): Promise<void> {
    if (!ids.length) return;
    const locked = await lockFacts('opportunity_facts', 'opportunity_id', ids, q);
    if (!locked.size) return;
    const lockedIds = [...locked.keys()];
    const rows = await q(
      `SELECT o.*, o.expected_close_date::text AS close_date, l.source AS lead_source, r.team AS rep_team
         FROM opportunity_facts o LEFT JOIN lead_facts l ON l.lead_id = o.lead_id LEFT JOIN reps r ON r.rep_id = o.rep_id
        WHERE o.opportunity_id = ANY($1::uuid[]) ORDER BY o.opportunity_id`,
      [lockedIds],
    );
    const states: { id: string; stage: string | null; status: string | null; p: number | null }[] = [];
    const intervalRows: Record<string, unknown>[] = [];
    const settled: Settled[] = [];
    for (const o of rows) {
      const intervals = stageIntervals(o.history as HistoryEntry[]);
      const current = intervals.at(-1) ?? null;
      const dims = {
        region: o.region ?? UNKNOWN,
        productLine: o.product_line ?? UNKNOWN,
        source: o.deal_known ? (o.lead_id ? (o.lead_source ?? UNKNOWN) : DIRECT) : UNKNOWN,
        repId: o.rep_id ?? UNKNOWN,
        team: o.team ?? o.rep_team ?? UNKNOWN,
      };
      states.push({ id: o.opportunity_id, stage: current?.stage ?? null, status: current?.status ?? null, p: current?.winProbability ?? null });
      if (o.currency && o.expected_amount !== null) {
        for (const i of intervals) {
          intervalRows.push({
            opportunity_id: o.opportunity_id, seq: i.seq, stage: i.stage, status: i.status, p: i.winProbability, currency: o.currency,
            amount: o.expected_amount, weighted: weightedAmount(o.expected_amount, i.winProbability), valid_from: i.validFrom, valid_to: i.validTo,
            region: dims.region, product_line: dims.productLine, source: dims.source, rep_id: dims.repId, team: dims.team,
          });
        }
      }
      const contributions = opportunityContributions({
        currency: o.currency, expectedAmount: o.expected_amount, expectedCloseDate: o.close_date, createdAt: o.created_at,
        wonAt: o.won_at, wonAmount: o.won_amount, lostAt: o.lost_at, current, dims,
      });
      settled.push({ id: o.opportunity_id, before: locked.get(o.opportunity_id)!, after: contributions });
    }
    await q(
      `UPDATE opportunity_facts f SET stage = x.stage, status = x.status, win_probability = x.p
         FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, stage text, status text, p numeric) WHERE f.opportunity_id = x.id`,
      [JSON.stringify(states)],
    );
    // The intervals are rewritten from the history as a whole: it may have gained an entry anywhere in time.
    await q('DELETE FROM opportunity_stage_intervals WHERE opportunity_id = ANY($1::uuid[])', [lockedIds]);
    if (intervalRows.length) {
      await q(
        `INSERT INTO opportunity_stage_intervals (opportunity_id, seq, stage, status, win_probability, currency, amount, weighted_amount,
           valid_from, valid_to, region, product_line, source, rep_id, team)
         SELECT x.opportunity_id, x.seq, x.stage, x.status, x.p, x.currency, x.amount, x.weighted, x.valid_from, x.valid_to,
                x.region, x.product_line, x.source, x.rep_id, x.team
           FROM jsonb_to_recordset($1::jsonb) AS x(opportunity_id uuid, seq int, stage text, status text, p numeric, currency text, amount numeric,
             weighted numeric, valid_from timestamptz, valid_to timestamptz, region text, product_line text, source text, rep_id text, team text)`,
        [JSON.stringify(intervalRows)],
      );
    }
    await settle('opportunity_facts', 'opportunity_id', settled, q, deltas);
  }

  // ------------------------------------------------------------ orders and money

  private async orderConfirmed({ data }: EventOf<'order.confirmed'>, q: Q, b: ProjectionBatch) {
    // The order and the removal of its previous lines in one statement; the new lines after it.
    await q(
      `WITH old_lines AS (DELETE FROM order_line_facts WHERE order_id = $1)
       INSERT INTO order_facts (order_id, opportunity_id, rep_id, team, region, currency, total, payment_terms, confirmed_at, status, status_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'confirmed', $9)
       ON CONFLICT (order_id) DO UPDATE SET opportunity_id = EXCLUDED.opportunity_id, rep_id = EXCLUDED.rep_id, team = EXCLUDED.team,
         region = EXCLUDED.region, currency = EXCLUDED.currency, total = EXCLUDED.total, payment_terms = EXCLUDED.payment_terms,
         confirmed_at = EXCLUDED.confirmed_at,
         status = CASE WHEN order_facts.status_at IS NULL OR order_facts.status_at <= EXCLUDED.status_at THEN 'confirmed' ELSE order_facts.status END,
         status_at = GREATEST(order_facts.status_at, EXCLUDED.status_at)`,
      [data.orderId, data.opportunityId, data.repId, data.team ?? null, data.region ?? null, data.currency, data.total, data.paymentTerms, ts(data.confirmedAt)],
    );
    await q(
      `INSERT INTO order_line_facts (order_id, line_id, sku, line_total)
       SELECT $1, x.line_id, x.sku, x.line_total FROM jsonb_to_recordset($2::jsonb) AS x(line_id uuid, sku text, line_total numeric)`,
      [data.orderId, JSON.stringify(data.lines.map((l) => ({ line_id: l.lineId, sku: l.sku, line_total: l.lineTotal })))],
    );
    b.orders.add(data.orderId);
    b.leadsOfOrders.add(data.orderId);
  }

  private async orderStatus(orderId: string, status: string, at: string, q: Q) {
    await q(
      `INSERT INTO order_facts (order_id, status, status_at) VALUES ($1, $2, $3)
       ON CONFLICT (order_id) DO UPDATE SET status = EXCLUDED.status, status_at = EXCLUDED.status_at
       WHERE order_facts.status_at IS NULL OR order_facts.status_at <= EXCLUDED.status_at`,
      [orderId, status, ts(at)],
    );
  }

  /** The milestone's time always; the status only when it is the latest (as orderStatus). */
  private async orderMilestone(orderId: string, milestone: 'shipped' | 'delivered' | 'completed' | 'cancelled', at: string, q: Q, b: ProjectionBatch, affectsSales: boolean) {
    const latest = 'order_facts.status_at IS NULL OR order_facts.status_at <= EXCLUDED.status_at';
    await q(
      `INSERT INTO order_facts (order_id, status, status_at, ${milestone}_at) VALUES ($1, $2, $3, $3)
       ON CONFLICT (order_id) DO UPDATE SET status = CASE WHEN ${latest} THEN EXCLUDED.status ELSE order_facts.status END,
         status_at = CASE WHEN ${latest} THEN EXCLUDED.status_at ELSE order_facts.status_at END, ${milestone}_at = EXCLUDED.${milestone}_at`,
      [orderId, milestone, ts(at)],
    );
    if (affectsSales) b.orders.add(orderId);
  }

  private async feedbackReceived({ data }: EventOf<'order.feedback_received'>, q: Q, b: ProjectionBatch) {
    await q(
      `WITH feedback AS (
         INSERT INTO feedback_facts (feedback_id, order_id, rep_id, rating, category, complaint, received_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (feedback_id) DO NOTHING)
       INSERT INTO order_facts (order_id) VALUES ($2) ON CONFLICT (order_id) DO NOTHING`,
      [data.feedbackId, data.orderId, data.repId, data.rating, data.category, data.complaint, ts(data.receivedAt)],
    );
    b.orders.add(data.orderId);
  }

  private async paymentReceived({ data }: EventOf<'payment.received'>, q: Q, b: ProjectionBatch) {
    // Three tables in one statement: the payment, its receivable's paid amount, the order row it settles.
    await q(
      `WITH payment AS (
         INSERT INTO payment_facts (payment_id, receivable_id, order_id, amount, currency, outstanding, received_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (payment_id) DO NOTHING),
       receivable AS (${receivableUpsert({ paid: '$4' }, 'paid = receivable_facts.paid + $4', '$2', '$3')})
       INSERT INTO order_facts (order_id) VALUES ($3) ON CONFLICT (order_id) DO NOTHING`,
      [data.paymentId, data.receivableId, data.orderId, data.amount, data.currency, data.outstanding, ts(data.receivedAt)],
    );
    b.orders.add(data.orderId);
    b.leadsOfOrders.add(data.orderId);
  }

  private async receivableCreated({ data }: EventOf<'receivable.created'>, q: Q) {
    await q(receivableUpsert({ currency: '$3', amount: '$4', due_date: '$5' }, 'currency = $3, amount = $4, due_date = $5'), [
      data.receivableId, data.orderId, data.currency, data.amount, data.dueDate,
    ]);
  }

  /** Locks the orders (in id order), re-reads them with their lines, payments and feedback, and settles their contributions. */
  private async reprojectOrders(ids: string[], q: Q, deltas: Contribution[]): Promise<void> {
    if (!ids.length) return;
    const locked = await lockFacts('order_facts', 'order_id', ids, q);
    if (!locked.size) return;
    const lockedIds = [...locked.keys()];
    const orders = await q(
      `SELECT f.*, opp.deal_known, opp.lead_id, opp.region AS opp_region, opp.team AS opp_team, opp.product_line AS opp_product_line,
              l.source AS lead_source, r.team AS rep_team
         FROM order_facts f
         LEFT JOIN opportunity_facts opp ON opp.opportunity_id = f.opportunity_id
         LEFT JOIN lead_facts l ON l.lead_id = opp.lead_id
         LEFT JOIN reps r ON r.rep_id = f.rep_id
        WHERE f.order_id = ANY($1::uuid[])`,
      [lockedIds],
    );
    const lines = groupBy(await q(
      `SELECT l.order_id, l.line_total::text AS line_total, i.product_line FROM order_line_facts l LEFT JOIN items i ON i.sku = l.sku
        WHERE l.order_id = ANY($1::uuid[]) ORDER BY l.order_id, l.line_id`,
      [lockedIds],
    ));
    const payments = groupBy(await q(
      'SELECT order_id, amount::text AS amount, currency, received_at FROM payment_facts WHERE order_id = ANY($1::uuid[]) ORDER BY order_id, payment_id',
      [lockedIds],
    ));
    const feedbackRows = groupBy(await q(
      'SELECT order_id, rating, complaint, received_at, rep_id FROM feedback_facts WHERE order_id = ANY($1::uuid[]) ORDER BY order_id, feedback_id',
      [lockedIds],
    ));
    const settled: Settled[] = [];
    for (const o of orders) {
      const feedback = feedbackRows.get(o.order_id) ?? [];
      const known = o.confirmed_at !== null;
      const source = !known ? UNKNOWN : !o.opportunity_id ? DIRECT : !o.deal_known ? UNKNOWN : o.lead_id ? (o.lead_source ?? UNKNOWN) : DIRECT;
      const contributions = orderContributions({
        currency: o.currency, total: o.total, confirmedAt: o.confirmed_at, shippedAt: o.shipped_at, cancelledAt: o.cancelled_at,
        lines: (lines.get(o.order_id) ?? []).map((l) => ({ lineTotal: l.line_total, productLine: l.product_line ?? o.opp_product_line ?? UNKNOWN })),
        dims: {
          region: o.region ?? o.opp_region ?? UNKNOWN,
          source,
          repId: o.rep_id ?? feedback[0]?.rep_id ?? UNKNOWN,
          team: o.team ?? o.opp_team ?? o.rep_team ?? UNKNOWN,
        },
        payments: (payments.get(o.order_id) ?? []).map((p) => ({ amount: p.amount, currency: p.currency, receivedAt: p.received_at })),
        feedback: feedback.map((f) => ({ rating: f.rating, complaint: f.complaint, receivedAt: f.received_at })),
      });
      settled.push({ id: o.order_id, before: locked.get(o.order_id)!, after: contributions });
    }
    await settle('order_facts', 'order_id', settled, q, deltas);
  }
}

/**
 * What a transaction's events left for `Projector.flush`: the facts to re-project (each once, however many
 * events touched it) and, per topic partition, how many events were applied and the latest event time.
 */
export class ProjectionBatch {
  readonly leads = new Set<string>();
  /** Leads whose source changed: their opportunities (and those's orders) are re-projected too. */
  readonly capturedLeads = new Set<string>();
  readonly opportunities = new Set<string>();
  /** Opportunities whose orders resolve a dimension through them (lead, source): those are re-projected too. */
  readonly opportunitiesWithOrders = new Set<string>();
  readonly orders = new Set<string>();
  /** Orders whose lead's funnel (won, paid) may have moved. */
  readonly leadsOfOrders = new Set<string>();
  readonly watermarks = new Map<string, { topic: string; partition: number; time: Date; count: number }>();

  opportunity(id: string, withOrders: boolean): void {
    this.opportunities.add(id);
    if (withOrders) this.opportunitiesWithOrders.add(id);
  }

  applied({ topic, partition }: EventOrigin, time: Date): void {
    const key = `${topic}\u0000${partition}`;
    const mark = this.watermarks.get(key);
    if (!mark) this.watermarks.set(key, { topic, partition, time, count: 1 });
    else {
      mark.count += 1;
      if (time > mark.time) mark.time = time;
    }
  }

  clear(): void {
    for (const set of [this.leads, this.capturedLeads, this.opportunities, this.opportunitiesWithOrders, this.orders, this.leadsOfOrders]) set.clear();
    this.watermarks.clear();
  }
}

/**
 * Applies `set` to the receivable's row when it belongs to that order, or creates it with `inserted` (what
 * `set` makes of an empty row).
 */
function receivableUpsert(inserted: Record<string, string>, set: string, id = '$1', orderId = '$2'): string {
  return `INSERT INTO receivable_facts (receivable_id, order_id, ${Object.keys(inserted).join(', ')}) VALUES (${id}, ${orderId}, ${Object.values(inserted).join(', ')})
    ON CONFLICT (receivable_id) DO UPDATE SET ${set} WHERE receivable_facts.order_id = EXCLUDED.order_id`;
}

interface Settled {
  id: string;
  before: Contribution[];
  after: Contribution[];
}

/** Locks the fact rows in id order (so concurrent batches cannot deadlock on them); their stored contributions by id. */
async function lockFacts(table: string, idColumn: string, ids: string[], q: Q): Promise<Map<string, Contribution[]>> {
  const rows = await q(`SELECT ${idColumn} AS id, contrib FROM ${table} WHERE ${idColumn} = ANY($1::uuid[]) ORDER BY ${idColumn} FOR UPDATE`, [ids]);
  return new Map(rows.map((r) => [r.id as string, r.contrib as Contribution[]]));
}

/** Collects after − before of each fact for the aggregates and remembers `after` on the rows that changed. */
async function settle(table: string, idColumn: string, facts: readonly Settled[], q: Q, deltas: Contribution[]): Promise<void> {
  const changed: { id: string; contrib: Contribution[] }[] = [];
  for (const f of facts) {
    const delta = diffContributions(f.before, f.after);
    if (!delta.length) continue;
    deltas.push(...delta);
    changed.push({ id: f.id, contrib: f.after });
  }
  if (!changed.length) return;
  await q(
    `UPDATE ${table} f SET contrib = x.contrib FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, contrib jsonb) WHERE f.${idColumn} = x.id`,
    [JSON.stringify(changed)],
  );
}

const groupBy = (rows: any[]): Map<string, any[]> => {
  const out = new Map<string, any[]>();
  for (const r of rows) {
    const list = out.get(r.order_id);
    if (list) list.push(r);
    else out.set(r.order_id, [r]);
  }
  return out;
};

/**
 * One INSERT … ON CONFLICT DO UPDATE (x = x + EXCLUDED.x) per aggregate table, tables and rows in key order
 * (the order diffContributions returns), so concurrent writers take the row locks in the same order.
 */
export async function applyDeltas(delta: readonly Contribution[], q: Q): Promise<void> {
  const byTable = new Map<AggregateTable, Contribution[]>();
  for (const c of delta) {
    const rows = byTable.get(c.t);
    if (rows) rows.push(c);
    else byTable.set(c.t, [c]);
  }
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
