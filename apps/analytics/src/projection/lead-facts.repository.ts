import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { EventData } from '@crm/contracts';
import { select, ts, upsertRows, type LeadFactRow } from './fact-rows';

/** A lead with what its funnel depends on: its rep's team and its deals' milestones. */
export interface LeadProjectionRow extends LeadFactRow {
  rep_team: string | null;
  /** First opportunity of the lead created, first won, first order of it fully paid. */
  opportunity_at: Date | null;
  won_at: Date | null;
  paid_at: Date | null;
}

/** A lead's (re)assignment. */
export interface LeadAssignment {
  leadId: string;
  repId: string;
  team: string | null;
  at: string;
}

/** lead_facts. Each write takes a set of rows with distinct leads (one statement for a batch's events of one kind). */
@Injectable()
export class LeadFactsRepository {
  async captured(m: EntityManager, rows: readonly EventData<'lead.captured'>[]): Promise<void> {
    await upsertRows(
      m,
      `INSERT INTO lead_facts (lead_id, source, campaign, region, product_line, captured_at)
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(lead_id uuid, source text, campaign text, region text, product_line text, captured_at timestamptz)
       ON CONFLICT (lead_id) DO UPDATE SET source = EXCLUDED.source, campaign = EXCLUDED.campaign, region = COALESCE(EXCLUDED.region, lead_facts.region),
         product_line = COALESCE(EXCLUDED.product_line, lead_facts.product_line), captured_at = EXCLUDED.captured_at`,
      rows.map((d) => ({
        lead_id: d.leadId,
        source: d.source,
        campaign: d.campaign ?? null,
        region: d.region ?? null,
        product_line: d.productLine ?? null,
        captured_at: ts(d.capturedAt),
      })),
    );
  }

  /** The latest assignment wins, whatever order the (re)assignments arrive in. */
  async assigned(m: EntityManager, rows: readonly LeadAssignment[]): Promise<void> {
    await upsertRows(
      m,
      `INSERT INTO lead_facts (lead_id, rep_id, team, assigned_at)
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(lead_id uuid, rep_id uuid, team text, assigned_at timestamptz)
       ON CONFLICT (lead_id) DO UPDATE SET rep_id = EXCLUDED.rep_id, team = EXCLUDED.team, assigned_at = EXCLUDED.assigned_at
       WHERE lead_facts.assigned_at IS NULL OR lead_facts.assigned_at <= EXCLUDED.assigned_at`,
      rows.map((r) => ({ lead_id: r.leadId, rep_id: r.repId, team: r.team, assigned_at: ts(r.at) })),
    );
  }

  async followedUp(m: EntityManager, rows: readonly EventData<'lead.followed_up'>[]): Promise<void> {
    await upsertRows(
      m,
      `INSERT INTO lead_facts (lead_id, first_follow_up_at, follow_ups)
       SELECT x.lead_id, x.at, 1 FROM jsonb_to_recordset($1::jsonb) AS x(lead_id uuid, at timestamptz)
       ON CONFLICT (lead_id) DO UPDATE SET first_follow_up_at = LEAST(lead_facts.first_follow_up_at, EXCLUDED.first_follow_up_at),
         follow_ups = lead_facts.follow_ups + 1`,
      rows.map((d) => ({ lead_id: d.leadId, at: ts(d.at) })),
    );
  }

  async qualified(m: EntityManager, rows: readonly EventData<'lead.qualified'>[]): Promise<void> {
    await upsertRows(
      m,
      `INSERT INTO lead_facts (lead_id, qualified_at) SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(lead_id uuid, at timestamptz)
       ON CONFLICT (lead_id) DO UPDATE SET qualified_at = LEAST(lead_facts.qualified_at, EXCLUDED.qualified_at)`,
      rows.map((d) => ({ lead_id: d.leadId, at: ts(d.qualifiedAt) })),
    );
  }

  async disqualified(m: EntityManager, rows: readonly EventData<'lead.disqualified'>[]): Promise<void> {
    await upsertRows(
      m,
      `INSERT INTO lead_facts (lead_id, disqualified_at) SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(lead_id uuid, at timestamptz)
       ON CONFLICT (lead_id) DO UPDATE SET disqualified_at = GREATEST(lead_facts.disqualified_at, EXCLUDED.disqualified_at)`,
      rows.map((d) => ({ lead_id: d.leadId, at: ts(d.disqualifiedAt) })),
    );
  }

  async converted(m: EntityManager, rows: readonly EventData<'lead.converted'>[]): Promise<void> {
    await upsertRows(
      m,
      `INSERT INTO lead_facts (lead_id, converted_at, rep_id, team, region, product_line)
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(lead_id uuid, converted_at timestamptz, rep_id uuid, team text, region text, product_line text)
       ON CONFLICT (lead_id) DO UPDATE SET converted_at = LEAST(lead_facts.converted_at, EXCLUDED.converted_at),
         rep_id = COALESCE(lead_facts.rep_id, EXCLUDED.rep_id), team = COALESCE(lead_facts.team, EXCLUDED.team),
         region = COALESCE(lead_facts.region, EXCLUDED.region), product_line = COALESCE(lead_facts.product_line, EXCLUDED.product_line)`,
      rows.map((d) => ({
        lead_id: d.leadId,
        converted_at: ts(d.convertedAt),
        rep_id: d.repId,
        team: d.team ?? null,
        region: d.region ?? null,
        product_line: d.productLine ?? null,
      })),
    );
  }

  /** The (locked) leads with their rep's team and their deals' milestones. */
  loadForProjection(m: EntityManager, ids: readonly string[]): Promise<LeadProjectionRow[]> {
    return select<LeadProjectionRow>(
      m,
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
      [ids],
    );
  }
}
