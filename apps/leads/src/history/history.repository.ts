import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { LOAD_STATUSES } from '../leads/lead.domain';
import type { LeadHistoryPlan } from './history.domain';

/** The SQL of the historical import: reps it refers to, and one lead stored whole or not at all. */
@Injectable()
export class LeadHistoryRepository {
  /** The team of each of these reps that exists (null: a rep without a team). */
  async repTeams(m: EntityManager, ids: readonly string[]): Promise<Map<string, string | null>> {
    if (!ids.length) return new Map();
    const rows: { id: string; team: string | null }[] = await m.query('SELECT id, team FROM reps WHERE id = ANY($1::uuid[])', [ids]);
    return new Map(rows.map((r) => [r.id, r.team]));
  }

  /**
   * Stores the lead with its follow-ups and assignment; false (nothing stored) when its id is here already.
   * No live follow-up deadline is stored (first_follow_up_due_at stays null), so the SLA job never re-assigns
   * an imported lead; an open one counts towards its owner's load like any other.
   */
  async insert(m: EntityManager, p: LeadHistoryPlan): Promise<boolean> {
    const l = p.lead;
    const inserted: unknown[] = await m.query(
      `INSERT INTO leads (id, status, owner_rep_id, team, source, campaign, contact_name, email, phone, company, normalized_email, normalized_phone,
                          normalized_company, company_size, region, product_interest, needs, custom_fields, assigned_at, first_followed_up_at,
                          qualified_at, disqualified_at, disqualify_reason, converted_at, created_by, created_at, unassigned_reason)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26,
               CASE WHEN $3::uuid IS NULL THEN 'imported without an owner' END)
       ON CONFLICT (id) DO NOTHING RETURNING id`,
      [
        l.id,
        l.status,
        l.ownerRepId,
        l.team,
        l.source,
        l.campaign,
        l.contactName,
        l.email,
        l.phone,
        l.company,
        l.normalizedEmail,
        l.normalizedPhone,
        l.normalizedCompany,
        l.companySize,
        l.region,
        l.productInterest,
        l.needs,
        JSON.stringify(l.customFields),
        l.assignedAt,
        l.firstFollowedUpAt,
        l.qualifiedAt,
        l.disqualifiedAt,
        l.disqualifyReason,
        l.convertedAt,
        l.createdBy,
        l.createdAt,
      ],
    );
    if (!inserted.length) return false;
    for (const f of p.followUps) {
      await m.query(
        `INSERT INTO follow_ups (id, lead_id, rep_id, team, channel, at, content, customer_feedback, next_action, by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $6)`,
        [f.id, l.id, f.repId, f.team, f.channel, f.at, f.content, f.customerFeedback, f.nextAction, l.createdBy],
      );
    }
    if (p.assignment) {
      await m.query(`INSERT INTO assignments (lead_id, rep_id, kind, reason, deadline, by, at) VALUES ($1, $2, 'initial', 'history import', $3, $4, $5)`, [
        l.id,
        p.assignment.repId,
        p.assignment.deadline,
        l.createdBy,
        p.assignment.at,
      ]);
    }
    if (l.ownerRepId && LOAD_STATUSES.includes(l.status)) await m.query('UPDATE reps SET open_leads = open_leads + 1 WHERE id = $1', [l.ownerRepId]);
    return true;
  }
}
