import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { EventData } from '@crm/contracts';
import { select, ts, type LeadFactRow } from './fact-rows';

/** A lead with what its funnel depends on: its rep's team and its deals' milestones. */
export interface LeadProjectionRow extends LeadFactRow {
  rep_team: string | null;
  /** First opportunity of the lead created, first won, first order of it fully paid. */
  opportunity_at: Date | null;
  won_at: Date | null;
  paid_at: Date | null;
}

/** lead_facts. */
@Injectable()
export class LeadFactsRepository {
  async captured(m: EntityManager, data: EventData<'lead.captured'>): Promise<void> {
    await m.query(
      `INSERT INTO lead_facts (lead_id, source, campaign, region, product_line, captured_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (lead_id) DO UPDATE SET source = EXCLUDED.source, campaign = EXCLUDED.campaign, region = COALESCE(EXCLUDED.region, lead_facts.region),
         product_line = COALESCE(EXCLUDED.product_line, lead_facts.product_line), captured_at = EXCLUDED.captured_at`,
      [data.leadId, data.source, data.campaign ?? null, data.region ?? null, data.productLine ?? null, ts(data.capturedAt)],
    );
  }

  /** The latest assignment wins, whatever order the (re)assignments arrive in. */
  async assigned(m: EntityManager, leadId: string, repId: string, team: string | null, at: string): Promise<void> {
    await m.query(
      `INSERT INTO lead_facts (lead_id, rep_id, team, assigned_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (lead_id) DO UPDATE SET rep_id = EXCLUDED.rep_id, team = EXCLUDED.team, assigned_at = EXCLUDED.assigned_at
       WHERE lead_facts.assigned_at IS NULL OR lead_facts.assigned_at <= EXCLUDED.assigned_at`,
      [leadId, repId, team, ts(at)],
    );
  }

  /** Applies `set` to the lead's row, or creates it with `inserted`: what `set` makes of an empty row. */
  private async update(m: EntityManager, leadId: string, inserted: Record<string, string>, set: string, params: unknown[]): Promise<void> {
    await m.query(
      `INSERT INTO lead_facts (lead_id, ${Object.keys(inserted).join(', ')}) VALUES ($1, ${Object.values(inserted).join(', ')})
       ON CONFLICT (lead_id) DO UPDATE SET ${set}`,
      [leadId, ...params],
    );
  }

  async followedUp(m: EntityManager, data: EventData<'lead.followed_up'>): Promise<void> {
    await this.update(
      m,
      data.leadId,
      { first_follow_up_at: '$2', follow_ups: '1' },
      'first_follow_up_at = LEAST(lead_facts.first_follow_up_at, $2), follow_ups = lead_facts.follow_ups + 1',
      [ts(data.at)],
    );
  }

  async qualified(m: EntityManager, data: EventData<'lead.qualified'>): Promise<void> {
    await this.update(m, data.leadId, { qualified_at: '$2' }, 'qualified_at = LEAST(lead_facts.qualified_at, $2)', [ts(data.qualifiedAt)]);
  }

  async disqualified(m: EntityManager, data: EventData<'lead.disqualified'>): Promise<void> {
    await this.update(m, data.leadId, { disqualified_at: '$2' }, 'disqualified_at = GREATEST(lead_facts.disqualified_at, $2)', [ts(data.disqualifiedAt)]);
  }

  async converted(m: EntityManager, data: EventData<'lead.converted'>): Promise<void> {
    await this.update(
      m,
      data.leadId,
      { converted_at: '$2', rep_id: '$3', team: '$4', region: '$5', product_line: '$6' },
      `converted_at = LEAST(lead_facts.converted_at, $2), rep_id = COALESCE(lead_facts.rep_id, $3), team = COALESCE(lead_facts.team, $4),
         region = COALESCE(lead_facts.region, $5), product_line = COALESCE(lead_facts.product_line, $6)`,
      [ts(data.convertedAt), data.repId, data.team ?? null, data.region ?? null, data.productLine ?? null],
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
