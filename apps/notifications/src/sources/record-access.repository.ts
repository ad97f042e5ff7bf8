import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { RecordKind } from '../catalogue/catalogue';

/** The only SQL of the service's copies of other services' data: records' owners and names, items, reps. */
@Injectable()
export class RecordAccessRepository {
  /** Sets what is known; a null keeps what was there (a lead's name arrives with capture, its owner with assignment). */
  async upsert(
    m: EntityManager,
    kind: RecordKind,
    id: string,
    r: {
      ownerId?: string | null;
      team?: string | null;
      label?: string | null;
      productLines?: string[];
      orderId?: string | null;
      contactId?: string | null;
      leadId?: string | null;
    },
  ): Promise<void> {
    await m.query(
      `INSERT INTO record_access (record_kind, record_id, owner_id, team, label, product_lines, order_id, contact_id, lead_id)
       VALUES ($1, $2, $3, $4, $5, coalesce($6, '{}'::text[]), $7,
               -- A lead resolved before its opportunity arrived (other topic): the opportunity is that contact's too.
               coalesce($8::varchar, (SELECT l.contact_id FROM record_access l WHERE l.record_kind = 'lead' AND l.record_id = $9::varchar AND $1::varchar <> 'lead')), $9::varchar)
       ON CONFLICT (record_kind, record_id) DO UPDATE SET
         owner_id = coalesce(EXCLUDED.owner_id, record_access.owner_id),
         team = coalesce(EXCLUDED.team, record_access.team),
         label = coalesce(EXCLUDED.label, record_access.label),
         product_lines = CASE WHEN $6::text[] IS NULL THEN record_access.product_lines ELSE EXCLUDED.product_lines END,
         order_id = coalesce(EXCLUDED.order_id, record_access.order_id),
         contact_id = coalesce(EXCLUDED.contact_id, record_access.contact_id),
         lead_id = coalesce(EXCLUDED.lead_id, record_access.lead_id),
         updated_at = now()`,
      [kind, id, r.ownerId ?? null, r.team ?? null, r.label ?? null, r.productLines ?? null, r.orderId ?? null, r.contactId ?? null, r.leadId ?? null],
    );
  }

  /** An order's product lines: those of its items, and its opportunity's. */
  async productLinesOf(m: EntityManager, skus: string[], opportunityId: string | null): Promise<string[]> {
    const rows: { line: string }[] = await m.query(
      `SELECT product_line AS line FROM items WHERE sku = ANY($1) AND product_line IS NOT NULL
       UNION SELECT unnest(product_lines) FROM record_access WHERE record_kind = 'opportunity' AND record_id = $2`,
      [skus, opportunityId ?? ''],
    );
    return rows.map((r) => r.line).sort();
  }

  /** The lead an opportunity came from, when known: an order of it is about the same person. */
  async leadOf(m: EntityManager, opportunityId: string | null): Promise<string | null> {
    if (!opportunityId) return null;
    const [row]: { leadId: string | null }[] = await m.query(
      `SELECT lead_id AS "leadId" FROM record_access WHERE record_kind = 'opportunity' AND record_id = $1`,
      [opportunityId],
    );
    return row?.leadId ?? null;
  }

  /** A lead resolved to a contact: the lead and what came of it (not yet linked to a contact) are the contact's. */
  async resolveLead(m: EntityManager, leadId: string, contactId: string): Promise<void> {
    await this.upsert(m, 'lead', leadId, { leadId, contactId });
    await m.query('UPDATE record_access SET contact_id = $2, updated_at = now() WHERE lead_id = $1 AND contact_id IS NULL', [leadId, contactId]);
  }

  /** A receivable is the order's money: it takes the order's owner, team, name and person. */
  async copyFromOrder(m: EntityManager, receivableId: string, orderId: string): Promise<void> {
    await m.query(
      `INSERT INTO record_access (record_kind, record_id, owner_id, team, label, product_lines, order_id, contact_id, lead_id)
       SELECT 'receivable', $1, owner_id, team, label, product_lines, record_id, contact_id, lead_id
         FROM record_access WHERE record_kind = 'order' AND record_id = $2
       ON CONFLICT (record_kind, record_id) DO UPDATE SET owner_id = EXCLUDED.owner_id, team = EXCLUDED.team, label = EXCLUDED.label,
         order_id = EXCLUDED.order_id, contact_id = EXCLUDED.contact_id, lead_id = EXCLUDED.lead_id, updated_at = now()`,
      [receivableId, orderId],
    );
  }

  /** An order's receivables take its owner and team again (after a hand-over of the order). */
  async receivablesFollowOrder(m: EntityManager, orderId: string): Promise<void> {
    await m.query(
      `UPDATE record_access r SET owner_id = o.owner_id, team = o.team, updated_at = now()
         FROM record_access o
        WHERE o.record_kind = 'order' AND o.record_id = $1 AND r.record_kind = 'receivable' AND r.order_id = $1`,
      [orderId],
    );
  }

  async upsertItem(m: EntityManager, sku: string, productLine: string | null): Promise<void> {
    await m.query('INSERT INTO items (sku, product_line) VALUES ($1, $2) ON CONFLICT (sku) DO UPDATE SET product_line = EXCLUDED.product_line', [
      sku,
      productLine,
    ]);
  }

  /** A rep as leads publishes them; what an admin or the rep set here (roles, locale, time zone, quiet hours) stays. */
  async upsertRep(
    m: EntityManager,
    r: { repId: string; name: string; email: string; team: string | null; managerId: string | null; active: boolean },
  ): Promise<void> {
    await m.query(
      `INSERT INTO recipients (user_id, name, email, roles, team, manager_id, active, source) VALUES ($1, $2, $3, '{sales_rep}', $4, $5, $6, 'rep')
       ON CONFLICT (user_id) DO UPDATE SET name = EXCLUDED.name, email = EXCLUDED.email, team = EXCLUDED.team,
         manager_id = EXCLUDED.manager_id, active = EXCLUDED.active, source = 'rep', updated_at = now(),
         roles = CASE WHEN 'sales_rep' = ANY(recipients.roles) THEN recipients.roles ELSE recipients.roles || '{sales_rep}'::text[] END`,
      [r.repId, r.name, r.email, r.team, r.managerId, r.active],
    );
  }
}
