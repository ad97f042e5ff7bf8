import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { PersonalDataSubject } from '@crm/http';
import { camelRow, scrubFreeTexts, type FreeTextColumn } from '@crm/persistence';
import type { Erasure, ErasureTarget, PersonalCopy } from './personal-data.domain';

type Row = Record<string, unknown>;

/**
 * Texts people write on an order that may repeat the customer's details: [table, column, is jsonb]. Addresses are
 * the account's (a company's), not the person's, and carry no recipient name or phone here.
 */
const FREE_TEXTS: FreeTextColumn[] = [
  ['orders', 'hold_reason', false],
  ['orders', 'cancel_reason', false],
  ['order_status_history', 'note', false],
  ['order_tracking', 'note', false],
  ['order_tracking', 'location', false],
  ['order_draft_edits', 'note', false],
  ['order_hand_overs', 'reason', false],
  ['alerts', 'message', false],
  ['alerts', 'details', true],
];

/** What the export lists per order, by kind: [kind, table, order]. */
const CHILDREN: [string, string, string][] = [
  ['orderLines', 'order_lines', 'position'],
  ['statusHistory', 'order_status_history', 'id'],
  ['tracking', 'order_tracking', 'at, id'],
  ['feedback', 'feedback', 'received_at'],
  ['feedbackRequests', 'feedback_requests', 'opened_at'],
  ['draftEdits', 'order_draft_edits', 'id'],
  ['handOvers', 'order_hand_overs', 'id'],
  ['alerts', 'alerts', 'created_at, id'],
];

/** The only SQL of the personal-data capability: a person's orders, their scrubbing, and their export. */
@Injectable()
export class PersonalDataRepository {
  async lockCopies(m: EntityManager, t: ErasureTarget): Promise<PersonalCopy[]> {
    return m.query(
      `SELECT o.id, o.customer, coalesce((SELECT array_agg(f.comment) FROM feedback f WHERE f.order_id = o.id AND f.comment IS NOT NULL), '{}') AS comments
         FROM orders o WHERE o.id = ANY($1::uuid[]) OR o.contact_id = $2 OR o.opportunity_id = ANY($3::uuid[]) ORDER BY o.id FOR UPDATE`,
      [t.orderIds, t.contactId, t.opportunityIds],
    );
  }

  /** A change of what the record shows, so the version moves: a form opened before cannot write the old values back. */
  async scrub(m: EntityManager, e: Erasure): Promise<void> {
    const ids = e.customers.map((c) => c.id);
    if (!ids.length) return;
    for (const { id, customer } of e.customers) {
      await m.query('UPDATE orders SET customer = $2, version = version + 1, updated_at = now() WHERE id = $1', [id, JSON.stringify(customer)]);
    }
    await m.query('UPDATE feedback SET comment = NULL WHERE order_id = ANY($1::uuid[]) AND comment IS NOT NULL', [ids]);
    await scrubFreeTexts(m, FREE_TEXTS, { table: 'orders', foreignKey: 'order_id', ids }, e.values);
  }

  /** Every row this service holds about the person, as stored (the search column is derived and left out). */
  async export(m: EntityManager, s: PersonalDataSubject): Promise<Record<string, Row[]>> {
    const [column, id] = s.contactId ? ['contact_id', s.contactId] : ['lead_id', s.leadId];
    const orders: Row[] = await m.query(`SELECT * FROM orders WHERE ${column} = $1 ORDER BY created_at, id`, [id]);
    const ids = orders.map((o) => o.id);
    const records: Record<string, Row[]> = { orders: orders.map(({ search_text: _derived, ...o }) => camelRow(o)) };
    for (const [kind, table, order] of CHILDREN) {
      records[kind] = (await m.query(`SELECT * FROM ${table} WHERE order_id = ANY($1::uuid[]) ORDER BY order_id, ${order}`, [ids])).map(camelRow);
    }
    return records;
  }
}
