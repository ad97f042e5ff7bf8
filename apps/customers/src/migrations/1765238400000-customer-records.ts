import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createCustomerRefTables, dropCustomerRefTables } from '@crm/customer-refs';

export class CustomerRecords1765238400000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    // Every lead, opportunity, order and receivable the timeline has heard of (ADR 0018): who owns it, its parent
    // (opportunity → lead, order → opportunity, receivable → order), its account and contact once known, and the
    // figures the customer summary adds up. `link_explicit`: the record named its own account (it does not
    // inherit its parent's).
    await q.query(`
      CREATE TABLE customer_records (
        record_id uuid PRIMARY KEY,
        record_kind varchar(16) NOT NULL CHECK (record_kind IN ('lead', 'opportunity', 'order', 'receivable')),
        parent_id uuid,
        account_id uuid,
        contact_id uuid,
        link_explicit boolean NOT NULL DEFAULT false,
        rep_id uuid,
        team varchar(64),
        status varchar(32) NOT NULL,
        open boolean NOT NULL DEFAULT true,
        amount numeric(19, 4),
        currency char(3),
        paid numeric(19, 4) NOT NULL DEFAULT 0,
        confirmed_at timestamptz,
        rating smallint,
        last_follow_up_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query('CREATE INDEX customer_records_parent_idx ON customer_records (parent_id) WHERE parent_id IS NOT NULL');
    await q.query('CREATE INDEX customer_records_account_idx ON customer_records (account_id, record_kind) WHERE account_id IS NOT NULL');
    await q.query('CREATE INDEX customer_records_contact_idx ON customer_records (contact_id, record_kind) WHERE contact_id IS NOT NULL');
    // Open work: the accounts a rep (or a team) has an open lead, opportunity or order with.
    await q.query(`CREATE INDEX customer_records_open_rep_idx ON customer_records (rep_id, account_id) WHERE open AND record_kind <> 'receivable'`);
    await q.query(`CREATE INDEX customer_records_open_team_idx ON customer_records (team, account_id) WHERE open AND record_kind <> 'receivable'`);
    // The team of each rep (rep.upserted): events that name only a rep (a reassignment) still place a record in a team.
    await q.query('CREATE TABLE rep_teams (rep_id uuid PRIMARY KEY, team varchar(64))');
    await createCustomerRefTables(q);
  }

  async down(q: QueryRunner): Promise<void> {
    await dropCustomerRefTables(q);
    await q.query('DROP TABLE rep_teams');
    await q.query('DROP TABLE customer_records');
  }
}
