import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Which contact and which lead each record copy is about, as the events tell it (an opportunity's lead and
 * contact, an order's contact, a resolved lead's contact): a person's notifications are found for an export or
 * an erasure. Older copies have none until an event names them.
 */
export class RecordPeople1766102400030 implements MigrationInterface {
  name = 'RecordPeople1766102400030';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE record_access ADD COLUMN contact_id varchar(128), ADD COLUMN lead_id varchar(128)');
    await q.query('CREATE INDEX record_access_contact_idx ON record_access (contact_id) WHERE contact_id IS NOT NULL');
    await q.query('CREATE INDEX record_access_lead_idx ON record_access (lead_id) WHERE lead_id IS NOT NULL');
    // A person's notifications are found by their records.
    await q.query('CREATE INDEX notifications_record_idx ON notifications (record_kind, record_id)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX notifications_record_idx');
    await q.query('ALTER TABLE record_access DROP COLUMN lead_id, DROP COLUMN contact_id');
  }
}
