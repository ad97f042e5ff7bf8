import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CustomerRefsRepository, type MergeApplied, type MergeUndone } from '@crm/customer-refs';
import type { EntryDraft, RecordPatch } from './timeline.domain';

/** The columns a merge of accounts (or contacts) re-points in this service's projections (ADR 0018). */
const accountRefs = new CustomerRefsRepository([
  { table: 'timeline_entries', column: 'account_id', key: 'id' },
  { table: 'customer_records', column: 'account_id', key: 'record_id' },
]);
const contactRefs = new CustomerRefsRepository([
  { table: 'timeline_entries', column: 'contact_id', key: 'id' },
  { table: 'customer_records', column: 'contact_id', key: 'record_id' },
]);

/** The timeline's writes: entries, the customer records behind them, and the links between the two. */
@Injectable()
export class CustomerRecordsRepository {
  /** False when the entry was there already (a redelivered event). */
  async insertEntry(m: EntityManager, id: string, e: EntryDraft): Promise<boolean> {
    const rows: unknown[] = await m.query(
      `INSERT INTO timeline_entries (id, at, kind, record_kind, record_id, account_id, contact_id, rep_id, team, detail)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (id) DO NOTHING RETURNING id`,
      [id, e.at, e.kind, e.recordKind, e.recordId, e.own?.accountId ?? null, e.own?.contactId ?? null, e.own?.repId ?? null, e.own?.team ?? null, e.detail],
    );
    return rows.length > 0;
  }

  /**
   * Creates the record on its first event (whichever arrives first) or applies the patch. A receivable takes its
   * order's rep; a new rep without a team named takes the team `rep.upserted` gave them.
   */
  async upsertRecord(m: EntityManager, p: RecordPatch): Promise<void> {
    await m.query(
      `INSERT INTO customer_records AS r (record_id, record_kind, parent_id, account_id, contact_id, link_explicit, rep_id, team, status, open,
                                          amount, currency, paid, confirmed_at, rating, last_follow_up_at)
       SELECT $1, $2, $3::uuid, $4::uuid, $5::uuid, $6::boolean,
              COALESCE($7::uuid, parent.rep_id),
              COALESCE($8::varchar, (SELECT team FROM rep_teams WHERE rep_id = $7::uuid), CASE WHEN $7::uuid IS NULL THEN parent.team END),
              COALESCE($9::varchar, 'open'), COALESCE($10::boolean, true), $11::numeric, $12::char(3), COALESCE($13::numeric, 0),
              $14::timestamptz, $15::smallint, $16::timestamptz
         FROM (SELECT 1) one LEFT JOIN customer_records parent ON parent.record_id = $3::uuid
       ON CONFLICT (record_id) DO UPDATE SET
         parent_id = COALESCE(EXCLUDED.parent_id, r.parent_id),
         account_id = CASE WHEN $6::boolean THEN EXCLUDED.account_id ELSE r.account_id END,
         contact_id = CASE WHEN $6::boolean THEN EXCLUDED.contact_id ELSE r.contact_id END,
         link_explicit = r.link_explicit OR $6::boolean,
         rep_id = COALESCE($7::uuid, r.rep_id),
         team = CASE WHEN $7::uuid IS NULL OR $7::uuid = r.rep_id THEN COALESCE($8::varchar, r.team)
                     ELSE COALESCE($8::varchar, (SELECT team FROM rep_teams WHERE rep_id = $7::uuid), r.team) END,
         status = COALESCE($9::varchar, r.status),
         open = COALESCE($10::boolean, r.open),
         amount = COALESCE($11::numeric, r.amount),
         currency = COALESCE($12::char(3), r.currency),
         paid = r.paid + COALESCE($13::numeric, 0),
         confirmed_at = COALESCE(r.confirmed_at, $14::timestamptz),
         rating = COALESCE($15::smallint, r.rating),
         last_follow_up_at = GREATEST(r.last_follow_up_at, $16::timestamptz),
         updated_at = now()`,
      [
        p.recordId,
        p.recordKind,
        p.parentId ?? null,
        p.link?.accountId ?? null,
        p.link?.contactId ?? null,
        !!p.link,
        p.repId ?? null,
        p.team ?? null,
        p.status ?? null,
        p.open ?? null,
        p.amount ?? null,
        p.currency ?? null,
        p.paid ?? null,
        p.confirmedAt ?? null,
        p.rating ?? null,
        p.followUpAt ?? null,
      ],
    );
  }

  /**
   * Gives the record, and every descendant that names no account of its own (opportunity → order → receivable),
   * the account and contact it now resolves to: its own, else its parent's. Then, set-based, every timeline entry
   * of those records takes them, so follow-ups logged before the lead was resolved land on the account; and the
   * record's entries take its current rep and team (a reassigned lead's history follows the lead).
   */
  async propagate(m: EntityManager, recordId: string): Promise<void> {
    // A receivable belongs to its order's rep, also when finance's event came before the order's (another topic).
    await m.query(
      `WITH moved AS (
         UPDATE customer_records r SET rep_id = p.rep_id, team = p.team
           FROM customer_records p
          WHERE p.record_id = r.parent_id AND r.record_kind = 'receivable' AND (r.parent_id = $1 OR r.record_id = $1)
            AND p.rep_id IS NOT NULL AND (r.rep_id, r.team) IS DISTINCT FROM (p.rep_id, p.team)
         RETURNING r.record_id, r.rep_id, r.team
       )
       UPDATE timeline_entries e SET rep_id = moved.rep_id, team = moved.team FROM moved WHERE e.record_id = moved.record_id`,
      [recordId],
    );
    await m.query(
      `WITH RECURSIVE tree (record_id, account_id, contact_id) AS (
         SELECT r.record_id,
                CASE WHEN r.link_explicit OR p.record_id IS NULL THEN r.account_id ELSE p.account_id END,
                CASE WHEN r.link_explicit OR p.record_id IS NULL THEN r.contact_id ELSE p.contact_id END
           FROM customer_records r LEFT JOIN customer_records p ON p.record_id = r.parent_id
          WHERE r.record_id = $1
         UNION ALL
         SELECT c.record_id, t.account_id, t.contact_id
           FROM customer_records c JOIN tree t ON c.parent_id = t.record_id
          WHERE NOT c.link_explicit
       ),
       records AS (
         UPDATE customer_records r SET account_id = t.account_id, contact_id = t.contact_id
           FROM tree t
          WHERE r.record_id = t.record_id AND (r.account_id, r.contact_id) IS DISTINCT FROM (t.account_id, t.contact_id)
       )
       UPDATE timeline_entries e
          SET account_id = t.account_id, contact_id = t.contact_id,
              rep_id = CASE WHEN t.record_id = $1 THEN own.rep_id ELSE e.rep_id END,
              team = CASE WHEN t.record_id = $1 THEN own.team ELSE e.team END
         FROM tree t, customer_records own
        WHERE own.record_id = $1 AND e.record_id = t.record_id
          AND ((e.account_id, e.contact_id) IS DISTINCT FROM (t.account_id, t.contact_id)
               OR (t.record_id = $1 AND (e.rep_id, e.team) IS DISTINCT FROM (own.rep_id, own.team)))`,
      [recordId],
    );
  }

  async saveRepTeam(m: EntityManager, repId: string, team: string | null, name: string): Promise<void> {
    await m.query(
      'INSERT INTO rep_teams (rep_id, team, name) VALUES ($1, $2, $3) ON CONFLICT (rep_id) DO UPDATE SET team = EXCLUDED.team, name = EXCLUDED.name',
      [repId, team, name],
    );
  }

  /** The rep's name as `rep.upserted` gave it; undefined before it arrived. */
  async repName(m: EntityManager, repId: string): Promise<string | undefined> {
    const [row]: { name: string | null }[] = await m.query('SELECT name FROM rep_teams WHERE rep_id = $1', [repId]);
    return row?.name ?? undefined;
  }

  applyMerge(m: EntityManager, of: 'account' | 'contact', merge: MergeApplied): Promise<number> {
    return (of === 'account' ? accountRefs : contactRefs).applyMerge(m, merge);
  }

  undoMerge(m: EntityManager, of: 'account' | 'contact', undo: MergeUndone): Promise<number> {
    return (of === 'account' ? accountRefs : contactRefs).undoMerge(m, undo);
  }
}
