import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ERASED } from '@crm/privacy';
import type { ErasureResult, ErasureScope } from './erasure.domain';

type Json = Record<string, unknown>;

export interface ErasableContact {
  id: string;
  mergedInto: string | null;
  erasedAt: Date | null;
}

export interface ScrubbableEntry {
  id: string;
  kind: string;
  detail: Json;
}

export interface ContactMergeRow {
  id: string;
  survivorId: string;
  mergedId: string;
  survivorBefore: Json;
  mergedData: Json;
}

/**
 * `tree`: the person's records (by id, $1, or by contact, $2) and their descendants (opportunity → order → receivable)
 * through customer_records, leaving out a child that names another contact of its own.
 */
export const RECORD_TREE = `
  WITH RECURSIVE tree AS (
    SELECT record_id, record_kind, contact_id FROM customer_records WHERE record_id = ANY($1::uuid[]) OR contact_id = ANY($2::uuid[])
    UNION
    SELECT c.record_id, c.record_kind, c.contact_id FROM customer_records c JOIN tree t ON c.parent_id = t.record_id
     WHERE c.contact_id IS NULL OR c.contact_id = ANY($2::uuid[]) OR c.contact_id = t.contact_id
  )`;
const DESCENDANTS = `${RECORD_TREE} SELECT DISTINCT record_id AS id, record_kind AS kind FROM tree ORDER BY kind, id`;

/** The SQL of an erasure: what the customers database holds of a person, and its scrub (ADR 0024). */
@Injectable()
export class ErasureRepository {
  async lockContact(m: EntityManager, id: string): Promise<ErasableContact | undefined> {
    const [row] = await m.query('SELECT id, merged_into AS "mergedInto", erased_at AS "erasedAt" FROM contacts WHERE id = $1 FOR UPDATE', [id]);
    return row;
  }

  async findErasure(m: EntityManager, contactId: string): Promise<ErasureResult | undefined> {
    const [row] = await m.query(
      `SELECT request_id AS "requestId", contact_id AS "contactId", lead_ids AS "leadIds", opportunity_ids AS "opportunityIds",
              order_ids AS "orderIds", receivable_ids AS "receivableIds", to_json(erased_at) #>> '{}' AS "erasedAt"
         FROM contact_erasures WHERE contact_id = $1`,
      [contactId],
    );
    return row ? { ...row, erasedAt: new Date(row.erasedAt).toISOString() } : undefined;
  }

  /** The contact and those merged into it (they are the same person, and it holds their emails and phones), locked. */
  async personContacts(m: EntityManager, id: string): Promise<string[]> {
    const rows: { id: string }[] = await m.query(
      `WITH RECURSIVE person AS (
         SELECT id FROM contacts WHERE id = $1
         UNION SELECT c.id FROM contacts c JOIN person p ON c.merged_into = p.id
       )
       SELECT c.id FROM contacts c JOIN person USING (id) ORDER BY c.id FOR UPDATE OF c`,
      [id],
    );
    return rows.map((r) => r.id);
  }

  /** The leads resolved to the person and every record that came of them or names them. */
  async scopeOf(m: EntityManager, contactIds: string[]): Promise<ErasureScope> {
    const leads: { lead_id: string }[] = await m.query('SELECT lead_id FROM lead_resolutions WHERE contact_id = ANY($1) ORDER BY lead_id', [contactIds]);
    const leadIds = leads.map((l) => l.lead_id);
    const records: { id: string; kind: string }[] = await m.query(DESCENDANTS, [leadIds, contactIds]);
    const of = (kind: string) => records.filter((r) => r.kind === kind).map((r) => r.id);
    return {
      contactIds,
      leadIds: [...new Set([...leadIds, ...of('lead')])].sort(),
      opportunityIds: of('opportunity'),
      orderIds: of('order'),
      receivableIds: of('receivable'),
    };
  }

  /** The lead and its opportunities, with what came of them (a lead that never became a contact). */
  async leadRecords(m: EntityManager, leadId: string, opportunityIds: string[]): Promise<string[]> {
    const rows: { id: string }[] = await m.query(DESCENDANTS, [[leadId, ...opportunityIds], []]);
    return [...new Set([leadId, ...opportunityIds, ...rows.map((r) => r.id)])];
  }

  /** Which of these ids this database holds a record or a timeline entry of, and of what kind (what an erasure reached here). */
  heldRecords(m: EntityManager, ids: string[]): Promise<{ kind: string; id: string }[]> {
    return m.query(
      `SELECT record_kind AS kind, record_id AS id FROM customer_records WHERE record_id = ANY($1::uuid[])
       UNION SELECT record_kind, record_id FROM timeline_entries WHERE record_id = ANY($1::uuid[]) AND record_kind <> 'contact'
       ORDER BY kind, id`,
      [ids],
    );
  }

  /** Every personal value of the contacts, as stored (normalised forms included). */
  async contactValues(m: EntityManager, contactIds: string[]): Promise<string[]> {
    const rows: { v: string }[] = await m.query(
      `SELECT DISTINCT v FROM contacts c,
              unnest(ARRAY[c.name, c.title] || c.emails || c.phones || c.normalized_emails || c.normalized_phones) v
        WHERE c.id = ANY($1) AND v IS NOT NULL`,
      [contactIds],
    );
    return rows.map((r) => r.v);
  }

  /** The entries of the contacts themselves and of their records. */
  entries(m: EntityManager, contactIds: string[], recordIds: string[]): Promise<ScrubbableEntry[]> {
    return m.query(
      `SELECT id, kind, detail FROM timeline_entries
        WHERE contact_id = ANY($1) OR (record_kind = 'contact' AND record_id = ANY($1)) OR record_id = ANY($2)
        ORDER BY id FOR UPDATE`,
      [contactIds, recordIds],
    );
  }

  async saveEntries(m: EntityManager, entries: { id: string; detail: Json }[]): Promise<void> {
    if (!entries.length) return;
    await m.query(`UPDATE timeline_entries t SET detail = v.detail FROM unnest($1::uuid[], $2::jsonb[]) AS v(id, detail) WHERE t.id = v.id`, [
      entries.map((e) => e.id),
      entries.map((e) => JSON.stringify(e.detail)),
    ]);
  }

  contactMerges(m: EntityManager, contactIds: string[]): Promise<ContactMergeRow[]> {
    return m.query(
      `SELECT id, survivor_id AS "survivorId", merged_id AS "mergedId", survivor_before AS "survivorBefore", merged_data AS "mergedData"
         FROM merges WHERE kind = 'contact' AND (survivor_id = ANY($1) OR merged_id = ANY($1)) ORDER BY id FOR UPDATE`,
      [contactIds],
    );
  }

  async saveMerge(m: EntityManager, row: ContactMergeRow): Promise<void> {
    await m.query('UPDATE merges SET survivor_before = $2, merged_data = $3 WHERE id = $1', [
      row.id,
      JSON.stringify(row.survivorBefore),
      JSON.stringify(row.mergedData),
    ]);
  }

  /** The contacts keep their ids, owner, account links and dates; every personal value and its search forms go. */
  async scrubContacts(m: EntityManager, contactIds: string[], at: Date): Promise<void> {
    await m.query(
      `UPDATE contacts SET name = $2, title = NULL, emails = '{}', phones = '{}', preferred_channel = NULL, normalized_emails = '{}',
              normalized_phones = '{}', search_text = '', erased_at = coalesce(erased_at, $3), version = version + 1, updated_at = now()
        WHERE id = ANY($1)`,
      [contactIds, ERASED, at],
    );
  }

  async insertErasure(m: EntityManager, r: ErasureResult, contactIds: string[], reason: string, by: string): Promise<void> {
    await m.query(
      `INSERT INTO contact_erasures (contact_id, request_id, reason, contact_ids, lead_ids, opportunity_ids, order_ids, receivable_ids, erased_by, erased_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [r.contactId, r.requestId, reason, contactIds, r.leadIds, r.opportunityIds, r.orderIds, r.receivableIds, by, r.erasedAt],
    );
  }
}
