import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ERASED } from '@crm/privacy';
import type { ErasableLead } from './lead-erasure.domain';

const ERASABLE = `id, contact_id AS "contactId", opportunity_id AS "opportunityId", erased_at AS "erasedAt"`;

/** The free texts that may quote the person and are kept, redacted: the assignment history's reasons, the queue's reason. */
export interface QuotingText {
  table: 'assignments' | 'leads';
  id: string;
  text: string;
}

/**
 * The SQL of an erasure: the leads of a person under their row locks, every copy of the person's values in the
 * leads database (the lead, its repeat touches, follow-ups, the outbox's copies), and the retention scans.
 */
@Injectable()
export class LeadErasureRepository {
  async tryLock(m: EntityManager, key: number): Promise<boolean> {
    const [{ locked }]: { locked: boolean }[] = await m.query('SELECT pg_try_advisory_xact_lock($1) AS locked', [key]);
    return locked;
  }

  /** The leads with these ids or resolved to this contact, locked in id order. */
  lockLeads(m: EntityManager, ids: readonly string[], contactId: string | null): Promise<ErasableLead[]> {
    return m.query(`SELECT ${ERASABLE} FROM leads WHERE id = ANY($1::uuid[]) OR contact_id = $2 ORDER BY id FOR UPDATE`, [ids, contactId]);
  }

  /**
   * The person's identifying values as stored on these leads and their repeat touches (name, email, phone, their
   * de-duplication keys): what is searched for and forgotten in the copies no table of the lead owns.
   */
  async identityValues(m: EntityManager, leadIds: readonly string[]): Promise<string[]> {
    const rows: { t: string | null }[] = await m.query(
      `SELECT unnest(ARRAY[contact_name, email, phone, normalized_email, normalized_phone]) AS t FROM leads WHERE id = ANY($1::uuid[])
       UNION ALL SELECT unnest(ARRAY[submitted ->> 'name', submitted ->> 'email', submitted ->> 'phone']) FROM lead_touches WHERE lead_id = ANY($1::uuid[])`,
      [leadIds],
    );
    return rows.map((r) => r.t).filter((t): t is string => t !== null);
  }

  /** Stored answers of an Idempotency-Key replay that name these leads (their capture, their follow-ups). */
  async forgetReplays(m: EntityManager, leadIds: readonly string[]): Promise<void> {
    await m.query('DELETE FROM idempotency_keys WHERE response_body::text LIKE ANY($1)', [leadIds.map((id) => `%${id}%`)]);
  }

  /** The kept free texts of these leads that a person's values may appear in. */
  quotingTexts(m: EntityManager, leadIds: readonly string[]): Promise<QuotingText[]> {
    return m.query(
      `SELECT 'assignments' AS "table", id::text AS id, reason AS text FROM assignments WHERE lead_id = ANY($1::uuid[])
       UNION ALL SELECT 'leads', id::text, unassigned_reason FROM leads WHERE id = ANY($1::uuid[]) AND unassigned_reason IS NOT NULL`,
      [leadIds],
    );
  }

  /**
   * Scrubs the leads: the name reads "[erased]", contact details, needs, custom values and the de-duplication keys
   * go (search_text follows, being generated from them); a disqualification keeps its reason code. Follow-ups keep
   * their channel, rep and dates; the repeat touches their source and campaign. Business facts stay.
   */
  async scrub(m: EntityManager, leadIds: readonly string[], erasedAt: Date, redacted: readonly QuotingText[]): Promise<void> {
    await m.query(
      `UPDATE leads SET contact_name = $2, email = NULL, phone = NULL, normalized_email = NULL, normalized_phone = NULL, needs = NULL,
              custom_fields = '{}', disqualify_reason = split_part(disqualify_reason, ':', 1),
              conversion = CASE WHEN conversion ? 'productNeeds' THEN jsonb_set(conversion, '{productNeeds}', '[]') ELSE conversion END,
              erased_at = COALESCE(erased_at, $3), version = version + 1, updated_at = now()
        WHERE id = ANY($1::uuid[])`,
      [leadIds, ERASED, erasedAt],
    );
    await m.query(`UPDATE follow_ups SET content = $2, customer_feedback = NULL, next_action = NULL WHERE lead_id = ANY($1::uuid[])`, [leadIds, ERASED]);
    await m.query(
      `UPDATE lead_touches SET submitted = jsonb_build_object('source', submitted -> 'source', 'name', $2::text) || jsonb_strip_nulls(jsonb_build_object(
              'campaign', submitted -> 'campaign', 'region', submitted -> 'region', 'productInterest', submitted -> 'productInterest',
              'companySize', submitted -> 'companySize', 'company', submitted -> 'company'))
        WHERE lead_id = ANY($1::uuid[])`,
      [leadIds, ERASED],
    );
    for (const r of redacted) {
      if (r.table === 'assignments') await m.query('UPDATE assignments SET reason = $2 WHERE id = $1', [r.id, r.text]);
      else await m.query('UPDATE leads SET unassigned_reason = $2 WHERE id = $1', [r.id, r.text]);
    }
  }

  /**
   * The outbox's copies of the free texts its events carry unsealed (a qualification's note, a disqualification's
   * note, a follow-up's next action): gone from the rows of these leads, published or not.
   */
  async scrubOutbox(m: EntityManager, leadIds: readonly string[]): Promise<void> {
    await m.query(
      `UPDATE outbox SET payload = jsonb_set(payload, '{data}',
              CASE event_type WHEN 'crm.lead.disqualified'
                   THEN jsonb_set(payload -> 'data', '{reason}', to_jsonb(split_part(payload #>> '{data,reason}', ':', 1)))
                   ELSE (payload -> 'data') - 'note' - 'nextAction' END)
        WHERE message_key = ANY($1::text[]) AND event_type IN ('crm.lead.qualified', 'crm.lead.disqualified', 'crm.lead.followed_up', 'crm.lead.reassigned')`,
      [leadIds],
    );
  }

  // ---- retention -----------------------------------------------------------------------------------------

  /** Disqualified before the cutoff and not erased yet, oldest first; rows another transaction holds are skipped. */
  claimDisqualified(m: EntityManager, before: Date, limit: number): Promise<ErasableLead[]> {
    return m.query(
      `SELECT ${ERASABLE} FROM leads
        WHERE status = 'disqualified' AND erased_at IS NULL AND contact_id IS NULL AND disqualified_at < $1
        ORDER BY disqualified_at, id LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [before, limit],
    );
  }

  /** Never converted, unchanged and without a follow-up since the cutoff, not erased yet; oldest change first. */
  claimUntouched(m: EntityManager, before: Date, limit: number): Promise<ErasableLead[]> {
    return m.query(
      `SELECT ${ERASABLE} FROM leads l
        WHERE erased_at IS NULL AND converted_at IS NULL AND contact_id IS NULL AND status <> 'converted' AND updated_at < $1
          AND NOT EXISTS (SELECT 1 FROM follow_ups f WHERE f.lead_id = l.id AND (f.at >= $1 OR f.created_at >= $1))
        ORDER BY updated_at, id LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [before, limit],
    );
  }
}
