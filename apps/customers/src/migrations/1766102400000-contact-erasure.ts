import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ContactErasure1766102400000 implements MigrationInterface {
  name = 'ContactErasure1766102400000';

  async up(q: QueryRunner): Promise<void> {
    // An erased contact keeps its row (account links, timeline, summary) with every personal value scrubbed;
    // lists, searches and duplicate checks leave it out (ADR 0024).
    await q.query('ALTER TABLE contacts ADD COLUMN erased_at timestamptz');
    // One row per erased contact: a repeated request answers the same result and publishes nothing new.
    await q.query(`
      CREATE TABLE contact_erasures (
        contact_id uuid PRIMARY KEY REFERENCES contacts (id),
        request_id uuid NOT NULL UNIQUE,
        reason text NOT NULL,
        contact_ids uuid[] NOT NULL,
        lead_ids uuid[] NOT NULL,
        opportunity_ids uuid[] NOT NULL,
        order_ids uuid[] NOT NULL,
        receivable_ids uuid[] NOT NULL,
        erased_by varchar(128) NOT NULL,
        erased_at timestamptz NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE contact_erasures');
    await q.query('ALTER TABLE contacts DROP COLUMN erased_at');
  }
}
