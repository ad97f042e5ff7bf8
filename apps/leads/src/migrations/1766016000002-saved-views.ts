import type { MigrationInterface, QueryRunner } from 'typeorm';

export class SavedViews1766016000002 implements MigrationInterface {
  name = 'SavedViews1766016000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE saved_views (
        id uuid PRIMARY KEY,
        owner_id text NOT NULL,
        team text,
        list text NOT NULL,
        name text NOT NULL,
        query jsonb NOT NULL,
        shared boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // A name is unique per owner and list whatever its case: "Overdue" and "overdue" would confuse the picker.
    await q.query('CREATE UNIQUE INDEX uq_saved_views_owner_list_name ON saved_views (owner_id, list, lower(name))');
    await q.query('CREATE INDEX idx_saved_views_team_shared ON saved_views (list, team) WHERE shared');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE saved_views');
  }
}
