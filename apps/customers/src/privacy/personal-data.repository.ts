import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { camelRow } from '@crm/persistence';
import { RECORD_TREE } from './erasure.repository';

type Row = Record<string, unknown>;

/** What the customers database holds about one person, every column, for their data export. */
@Injectable()
export class PersonalDataRepository {
  constructor(private readonly dataSource: DataSource) {}

  private async q(sql: string, params: unknown[]): Promise<Row[]> {
    return ((await this.dataSource.query(sql, params)) as Row[]).map(camelRow);
  }

  async ofContact(contactId: string): Promise<Record<string, Row[]>> {
    const leads = await this.q('SELECT * FROM lead_resolutions WHERE contact_id = $1 ORDER BY resolved_at, lead_id', [contactId]);
    const leadIds = leads.map((l) => l.leadId as string);
    return {
      contacts: await this.q('SELECT * FROM contacts WHERE id = $1', [contactId]),
      memberships: await this.q(
        `SELECT ca.*, a.name AS account_name FROM contact_accounts ca JOIN accounts a ON a.id = ca.account_id
          WHERE ca.contact_id = $1 ORDER BY ca.since, ca.account_id`,
        [contactId],
      ),
      leadResolutions: leads,
      timelineEntries: await this.q(
        `${RECORD_TREE} SELECT * FROM timeline_entries
          WHERE contact_id = ANY($2::uuid[]) OR (record_kind = 'contact' AND record_id = ANY($2::uuid[])) OR record_id IN (SELECT record_id FROM tree)
          ORDER BY at, id`,
        [leadIds, [contactId]],
      ),
      customerRecords: await this.q(`${RECORD_TREE} SELECT * FROM customer_records WHERE record_id IN (SELECT record_id FROM tree) ORDER BY record_id`, [
        leadIds,
        [contactId],
      ]),
      merges: await this.q(`SELECT * FROM merges WHERE kind = 'contact' AND (survivor_id = $1 OR merged_id = $1) ORDER BY merged_at, id`, [contactId]),
      erasures: await this.q('SELECT * FROM contact_erasures WHERE contact_id = $1', [contactId]),
    };
  }

  async ofLead(leadId: string): Promise<Record<string, Row[]>> {
    return {
      contacts: [],
      memberships: [],
      leadResolutions: await this.q('SELECT * FROM lead_resolutions WHERE lead_id = $1', [leadId]),
      timelineEntries: await this.q(`${RECORD_TREE} SELECT * FROM timeline_entries WHERE record_id IN (SELECT record_id FROM tree) ORDER BY at, id`, [
        [leadId],
        [],
      ]),
      customerRecords: await this.q(`${RECORD_TREE} SELECT * FROM customer_records WHERE record_id IN (SELECT record_id FROM tree) ORDER BY record_id`, [
        [leadId],
        [],
      ]),
      merges: [],
      erasures: [],
    };
  }
}
