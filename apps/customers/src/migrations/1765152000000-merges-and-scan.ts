import type { MigrationInterface, QueryRunner } from 'typeorm';

export class MergesAndScan1765152000000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    // The account's trading currency (ISO 4217): two accounts trading in different currencies cannot be merged.
    await q.query('ALTER TABLE accounts ADD COLUMN currency char(3)');
    // A merged record stays (stale links follow merged_into); lists and duplicate checks leave it out.
    for (const table of ['accounts', 'contacts']) {
      await q.query(`ALTER TABLE ${table} ADD COLUMN merged_into uuid, ADD COLUMN merged_at timestamptz`);
      await q.query(`CREATE INDEX ${table}_merged_into_idx ON ${table} (merged_into) WHERE merged_into IS NOT NULL`);
    }

    // One row per merge: what the survivor was before and what the loser was, and the memberships it moved,
    // so an undo can put everything back.
    await q.query(`
      CREATE TABLE merges (
        id uuid PRIMARY KEY,
        kind varchar(16) NOT NULL CHECK (kind IN ('account', 'contact')),
        survivor_id uuid NOT NULL,
        merged_id uuid NOT NULL,
        survivor_before jsonb NOT NULL,
        merged_data jsonb NOT NULL,
        moved_memberships jsonb NOT NULL DEFAULT '[]',
        merged_by varchar(128) NOT NULL,
        merged_at timestamptz NOT NULL,
        undone_by varchar(128),
        undone_at timestamptz,
        CHECK (survivor_id <> merged_id)
      )`);
    await q.query('CREATE INDEX merges_survivor_idx ON merges (survivor_id, merged_at DESC, id DESC)');
    await q.query('CREATE INDEX merges_merged_idx ON merges (merged_id)');
    await q.query('CREATE INDEX merges_at_idx ON merges (merged_at, id)');

    // Pairs the scheduled scan found; one row per unordered pair (first_id < second_id), so a re-run adds nothing
    // and a dismissed pair stays dismissed.
    await q.query(`
      CREATE TABLE duplicate_candidates (
        id uuid PRIMARY KEY,
        entity varchar(16) NOT NULL CHECK (entity IN ('account', 'contact')),
        first_id uuid NOT NULL,
        second_id uuid NOT NULL,
        fields text[] NOT NULL,
        rule_ids uuid[] NOT NULL,
        score numeric(4,3) NOT NULL,
        status varchar(16) NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'dismissed', 'merged')),
        found_at timestamptz NOT NULL,
        last_seen_at timestamptz NOT NULL,
        decided_by varchar(128),
        decided_at timestamptz,
        CHECK (first_id < second_id),
        UNIQUE (entity, first_id, second_id)
      )`);
    await q.query('CREATE INDEX duplicate_candidates_list_idx ON duplicate_candidates (status, found_at DESC, id DESC)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE duplicate_candidates');
    await q.query('DROP TABLE merges');
    for (const table of ['accounts', 'contacts']) await q.query(`ALTER TABLE ${table} DROP COLUMN merged_into, DROP COLUMN merged_at`);
    await q.query('ALTER TABLE accounts DROP COLUMN currency');
  }
}
