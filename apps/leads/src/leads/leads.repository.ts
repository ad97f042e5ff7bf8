import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Decision } from '@crm/domain';
import { restrictToScope, type AuthUser } from '@crm/http';
import { appendToOutbox } from '@crm/messaging';
import type { NewLead, OfferedContact, Touch } from './lead-capture.domain';
import type { DisqualifyChanges, FollowUpChanges, LeadEdit } from './lead-workflow.domain';
import { dedupeLockKeys, type ContactKey, type Conversion } from './lead.domain';
import { FollowUpEntity, LeadEntity, LeadTouchEntity } from './lead.entities';

/** An open lead's de-duplication key, as the capture compares it. */
export type OpenLeadKey = ContactKey & { id: string };

/** The leads, their touches and follow-ups: every write of a lead command, and the caller's view of a lead. */
@Injectable()
export class LeadsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The leads the caller may see. The queue of leads no team has taken is every manager's to see. */
  scoped(user: AuthUser, m: EntityManager = this.dataSource.manager) {
    return restrictToScope(m.getRepository(LeadEntity).createQueryBuilder('lead'), user, {
      rep: 'lead.ownerRepId',
      team: `(lead.team = :scopeTeam OR (lead.status = 'unassigned' AND lead.team IS NULL))`,
    });
  }

  /** The caller's lead under a row lock; undefined when absent or not theirs to see. */
  async lockVisible(m: EntityManager, user: AuthUser, id: string): Promise<LeadEntity | undefined> {
    return (await this.scoped(user, m).andWhere('lead.id = :id', { id }).setLock('pessimistic_write').getOne()) ?? undefined;
  }

  /** Any lead under a row lock (an event names it, not a caller). */
  async lockById(m: EntityManager, id: string): Promise<LeadEntity | undefined> {
    return (await m.findOne(LeadEntity, { where: { id }, lock: { mode: 'pessimistic_write' } })) ?? undefined;
  }

  load(m: EntityManager, id: string): Promise<LeadEntity> {
    return m.findOneOrFail(LeadEntity, { where: { id } });
  }

  isVisible(user: AuthUser, id: string): Promise<boolean> {
    return this.scoped(user).andWhere('lead.id = :id', { id }).getExists();
  }

  // ---- capture -------------------------------------------------------------------------------------

  /** Two submissions of one person queue behind each other on these, so the second sees the first and merges. */
  async lockContact(m: EntityManager, key: ContactKey): Promise<void> {
    for (const lockKey of dedupeLockKeys(key)) await m.query('SELECT pg_advisory_xact_lock(hashtext($1))', [lockKey]);
  }

  /** Open leads sharing the email or the phone, oldest first. */
  async openLeadsOfContact(m: EntityManager, key: ContactKey): Promise<OpenLeadKey[]> {
    if (!key.email && !key.phone) return [];
    return m.query(
      `SELECT id, normalized_email AS email, normalized_phone AS phone, normalized_company AS company FROM leads
        WHERE status NOT IN ('disqualified', 'converted') AND (normalized_email = $1 OR normalized_phone = $2)
        ORDER BY created_at, id LIMIT 50`,
      [key.email, key.phone],
    );
  }

  async insert(m: EntityManager, { changes: l, events }: Decision<NewLead>): Promise<void> {
    await m.query(
      `INSERT INTO leads (id, status, source, campaign, contact_name, email, phone, company, normalized_email, normalized_phone, normalized_company,
                          company_size, region, product_interest, needs, custom_fields, created_by, created_at, updated_at)
       VALUES ($1, 'new', $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17)`,
      [
        l.id,
        l.source,
        l.campaign,
        l.contactName,
        l.email,
        l.phone,
        l.company,
        l.key.email,
        l.key.phone,
        l.key.company,
        l.companySize,
        l.region,
        l.productInterest,
        l.needs,
        l.customFields,
        l.createdBy,
        l.createdAt,
      ],
    );
    await appendToOutbox(m, events);
  }

  /** Keeps the touch; the offered contact details fill only what the lead lacks, in one statement. */
  async merge(m: EntityManager, { touch, offered }: { touch: Touch; offered: OfferedContact }): Promise<void> {
    await m.insert(LeadTouchEntity, touch);
    await m.query(
      `UPDATE leads SET email = COALESCE(email, $2), normalized_email = COALESCE(normalized_email, $3), phone = COALESCE(phone, $4),
              normalized_phone = COALESCE(normalized_phone, $5), company = COALESCE(company, $6), normalized_company = COALESCE(normalized_company, $7),
              updated_at = now()
        WHERE id = $1`,
      [touch.leadId, offered.email, offered.key.email, offered.phone, offered.key.phone, offered.company, offered.key.company],
    );
  }

  /** A new lead nobody can take yet waits in the queue with the reason. */
  async queueNew(m: EntityManager, id: string, reason: string): Promise<void> {
    await m.query(`UPDATE leads SET status = 'unassigned', unassigned_reason = $2 WHERE id = $1`, [id, reason]);
  }

  // ---- workflow --------------------------------------------------------------------------------------

  async saveFollowUp(m: EntityManager, c: FollowUpChanges): Promise<FollowUpEntity> {
    await m.insert(FollowUpEntity, c.followUp);
    await m.query(`UPDATE leads SET first_followed_up_at = $2, status = $3, version = version + 1, updated_at = now() WHERE id = $1`, [
      c.followUp.leadId,
      c.firstFollowedUpAt,
      c.status,
    ]);
    return m.findOneByOrFail(FollowUpEntity, { id: c.followUp.id });
  }

  async saveQualified(m: EntityManager, id: string, qualifiedAt: Date): Promise<void> {
    await m.query(`UPDATE leads SET status = 'qualified', qualified_at = $2, version = version + 1, updated_at = now() WHERE id = $1`, [id, qualifiedAt]);
  }

  async saveDisqualified(m: EntityManager, id: string, c: Extract<DisqualifyChanges, { kind: 'close' }>): Promise<void> {
    await m.query(
      `UPDATE leads SET status = 'disqualified', disqualified_at = $2, disqualify_reason = $3, version = version + 1, updated_at = now() WHERE id = $1`,
      [id, c.disqualifiedAt, c.reason],
    );
  }

  /** Back to the managers' queue, without an owner. */
  async saveUnassigned(m: EntityManager, id: string, reason: string): Promise<void> {
    await m.query(
      `UPDATE leads SET status = 'unassigned', owner_rep_id = NULL, unassigned_reason = $2, version = version + 1, updated_at = now() WHERE id = $1`,
      [id, reason],
    );
  }

  async saveConverted(m: EntityManager, id: string, c: { convertedAt: Date; conversion: Conversion }): Promise<void> {
    await m.query(`UPDATE leads SET status = 'converted', converted_at = $2, conversion = $3, version = version + 1, updated_at = now() WHERE id = $1`, [
      id,
      c.convertedAt,
      c.conversion,
    ]);
  }

  async saveEdit(m: EntityManager, id: string, e: LeadEdit): Promise<void> {
    await m.query(
      `UPDATE leads SET contact_name = COALESCE($2, contact_name), email = $3, phone = $4, company = $5, normalized_email = $6, normalized_phone = $7,
              normalized_company = $8, company_size = COALESCE($9, company_size), region = COALESCE($10, region),
              product_interest = COALESCE($11, product_interest), needs = COALESCE($12, needs), score = COALESCE($13, score),
              custom_fields = COALESCE($14, custom_fields), version = version + 1, updated_at = now()
        WHERE id = $1`,
      [
        id,
        e.contactName,
        e.email,
        e.phone,
        e.company,
        e.key.email,
        e.key.phone,
        e.key.company,
        e.companySize,
        e.region,
        e.productInterest,
        e.needs,
        e.score,
        e.customFields,
      ],
    );
  }

  async saveOpportunityLink(m: EntityManager, id: string, opportunityId: string): Promise<void> {
    await m.query('UPDATE leads SET opportunity_id = $2, updated_at = now() WHERE id = $1', [id, opportunityId]);
  }
}
