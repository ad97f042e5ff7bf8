import type { MigrationInterface, QueryRunner } from 'typeorm';

export class LeadErasure1766102400010 implements MigrationInterface {
  name = 'LeadErasure1766102400010';

  async up(q: QueryRunner): Promise<void> {
    // When the lead's personal data was erased (on request, with its contact, or at the end of its retention
    // period); the business facts stay, the search ignores it.
    await q.query('ALTER TABLE leads ADD COLUMN erased_at timestamptz');
    // The retention job's two scans, each over the leads it may still erase, oldest first.
    await q.query(`CREATE INDEX idx_leads_retention_disqualified ON leads (disqualified_at, id) WHERE status = 'disqualified' AND erased_at IS NULL`);
    await q.query(
      `CREATE INDEX idx_leads_retention_unconverted ON leads (updated_at, id) WHERE erased_at IS NULL AND converted_at IS NULL AND contact_id IS NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX idx_leads_retention_unconverted');
    await q.query('DROP INDEX idx_leads_retention_disqualified');
    await q.query('ALTER TABLE leads DROP COLUMN erased_at');
  }
}
