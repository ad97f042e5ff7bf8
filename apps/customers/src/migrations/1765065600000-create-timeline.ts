import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateTimeline1765065600000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    // One row per event about a customer, from every service (ADR 0018). The id is the event's, so a redelivered
    // event adds nothing; account and contact are filled in when the record's link to them becomes known.
    await q.query(`
      CREATE TABLE timeline_entries (
        id uuid PRIMARY KEY,
        at timestamptz NOT NULL,
        kind varchar(48) NOT NULL,
        record_kind varchar(16) NOT NULL CHECK (record_kind IN ('lead', 'opportunity', 'order', 'receivable', 'account', 'contact')),
        record_id uuid NOT NULL,
        account_id uuid,
        contact_id uuid,
        rep_id uuid,
        team varchar(64),
        detail jsonb NOT NULL DEFAULT '{}'
      )`);
    // A page is an index range scan: newest first, the id breaking ties for the keyset cursor.
    await q.query('CREATE INDEX timeline_account_idx ON timeline_entries (account_id, at DESC, id DESC) WHERE account_id IS NOT NULL');
    await q.query('CREATE INDEX timeline_contact_idx ON timeline_entries (contact_id, at DESC, id DESC) WHERE contact_id IS NOT NULL');
    await q.query('CREATE INDEX timeline_record_idx ON timeline_entries (record_kind, record_id)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE timeline_entries');
  }
}
