import type { MigrationInterface, QueryRunner } from 'typeorm';

export class SlaWarning1765670400000 implements MigrationInterface {
  name = 'SlaWarning1765670400000';

  async up(q: QueryRunner): Promise<void> {
    // The first-follow-up deadline the owner was last warned about (lead.first_follow_up_due_soon): one warning
    // per deadline, and a re-assignment's new deadline differs from it, so it gets its own. The scan for due
    // warnings uses idx_leads_sla (the same leads as the re-assignment, a range of deadlines).
    await q.query('ALTER TABLE leads ADD COLUMN first_follow_up_warned_for timestamptz');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE leads DROP COLUMN first_follow_up_warned_for');
  }
}
