import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { PersonalDataSubject } from '@crm/http';
import { camelRow, scrubFreeTexts, type FreeTextColumn } from '@crm/persistence';
import type { Erasure, ErasureTarget, PersonalCopy } from './personal-data.domain';

type Row = Record<string, unknown>;

/** Texts people write on an opportunity that may repeat the customer's details: [table, column, is jsonb]. */
const FREE_TEXTS: FreeTextColumn[] = [
  ['opportunities', 'fields', true],
  ['opportunities', 'lost_reason', false],
  ['opportunities', 'competitor', false],
  ['opportunity_tasks', 'title', false],
  ['strategy_records', 'pricing', false],
  ['strategy_records', 'rationale', false],
  ['strategy_records', 'products', true],
  ['strategy_records', 'promotions', true],
  ['opportunity_hand_overs', 'reason', false],
];

/** What the export lists per opportunity, by kind: [kind, table]. */
const CHILDREN: [string, string][] = [
  ['opportunityLines', 'opportunity_lines'],
  ['opportunityTasks', 'opportunity_tasks'],
  ['stageHistory', 'stage_history'],
  ['strategyRecords', 'strategy_records'],
  ['handOvers', 'opportunity_hand_overs'],
  ['stageOverdueReminders', 'stage_overdue_reminders'],
];

/** The only SQL of the personal-data capability: a person's opportunities, their scrubbing, and their export. */
@Injectable()
export class PersonalDataRepository {
  async lockCopies(m: EntityManager, t: ErasureTarget): Promise<PersonalCopy[]> {
    return m.query(
      `SELECT id, customer, account_key AS "accountKey" FROM opportunities
        WHERE id = ANY($1::uuid[]) OR contact_id = $2 OR lead_id = ANY($3::uuid[]) ORDER BY id FOR UPDATE`,
      [t.opportunityIds, t.contactId, t.leadIds],
    );
  }

  /** Purchase-history keys of these orders made of an e-mail (the customer named no company). */
  async emailHistoryKeys(m: EntityManager, orderIds: string[]): Promise<string[]> {
    if (!orderIds.length) return [];
    const rows: { key: string }[] = await m.query(
      `SELECT DISTINCT account_key AS key FROM account_history WHERE order_id = ANY($1::uuid[]) AND account_key LIKE 'email:%'`,
      [orderIds],
    );
    return rows.map((r) => r.key);
  }

  /** A change of what the record shows, so the version moves: a form opened before cannot write the old values back. */
  async scrub(m: EntityManager, e: Erasure): Promise<void> {
    const ids = e.customers.map((c) => c.id);
    for (const { id, customer } of e.customers) {
      // The product needs are the person's own words from the converted lead (sealed in lead.converted).
      await m.query(`UPDATE opportunities SET customer = $2, product_needs = '[]', version = version + 1, updated_at = now() WHERE id = $1`, [
        id,
        JSON.stringify(customer),
      ]);
    }
    for (const { from, to } of e.accountKeys) {
      await m.query('UPDATE opportunities SET account_key = $2 WHERE account_key = $1', [from, to]);
      await m.query('UPDATE account_history SET account_key = $2 WHERE account_key = $1', [from, to]);
    }
    await scrubFreeTexts(m, FREE_TEXTS, { table: 'opportunities', foreignKey: 'opportunity_id', ids }, e.values);
  }

  /** Every row this service holds about the person, as stored (the search column is derived and left out). */
  async export(m: EntityManager, s: PersonalDataSubject): Promise<Record<string, Row[]>> {
    const [column, id] = s.contactId ? ['contact_id', s.contactId] : ['lead_id', s.leadId];
    const opportunities: Row[] = await m.query(`SELECT * FROM opportunities WHERE ${column} = $1 ORDER BY created_at, id`, [id]);
    const ids = opportunities.map((o) => o.id);
    const leadIds = s.leadId ? [s.leadId] : opportunities.map((o) => o.lead_id).filter(Boolean);
    const records: Record<string, Row[]> = {
      opportunities: opportunities.map(({ search_text: _derived, ...o }) => camelRow(o)),
    };
    for (const [kind, table] of CHILDREN) {
      records[kind] = (await m.query(`SELECT * FROM ${table} WHERE opportunity_id = ANY($1::uuid[]) ORDER BY opportunity_id, id`, [ids])).map(camelRow);
    }
    records.leadFacts = (await m.query('SELECT * FROM lead_facts WHERE lead_id = ANY($1::uuid[]) ORDER BY lead_id', [leadIds])).map(camelRow);
    const pending = s.contactId
      ? await m.query('SELECT * FROM pending_customer_links WHERE contact_id = $1 ORDER BY lead_id', [s.contactId])
      : await m.query('SELECT * FROM pending_customer_links WHERE lead_id = $1', [s.leadId]);
    records.pendingCustomerLinks = pending.map(camelRow);
    return records;
  }
}
