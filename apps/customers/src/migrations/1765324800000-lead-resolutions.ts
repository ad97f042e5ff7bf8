import type { MigrationInterface, QueryRunner } from 'typeorm';

export class LeadResolutions1765324800000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    // One row per converted lead (ADR 0018): the key makes a lead resolve once, whatever event brings it again.
    await q.query(`
      CREATE TABLE lead_resolutions (
        lead_id uuid PRIMARY KEY,
        contact_id uuid NOT NULL REFERENCES contacts (id),
        account_id uuid REFERENCES accounts (id),
        contact_created boolean NOT NULL,
        account_created boolean NOT NULL,
        resolved_at timestamptz NOT NULL,
        event_id uuid NOT NULL
      )`);
    await q.query('CREATE INDEX lead_resolutions_contact_idx ON lead_resolutions (contact_id)');
    await q.query('CREATE INDEX lead_resolutions_account_idx ON lead_resolutions (account_id) WHERE account_id IS NOT NULL');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE lead_resolutions');
  }
}
