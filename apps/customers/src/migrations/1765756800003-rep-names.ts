import type { MigrationInterface, QueryRunner } from 'typeorm';

export class RepNames1765756800003 implements MigrationInterface {
  name = 'RepNames1765756800003';

  async up(q: QueryRunner): Promise<void> {
    // The rep's name with their team (rep.upserted), so an entry can say who a record was handed over to (ADR 0022).
    await q.query('ALTER TABLE rep_teams ADD COLUMN name text');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE rep_teams DROP COLUMN name');
  }
}
