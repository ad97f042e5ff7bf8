import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The setting the retention purge sets for its own transaction: the one DELETE the trigger lets through. */
export const AUDIT_PURGE_SETTING = 'crm.audit_purge';

/**
 * The `audit_trail` table of one service, append-only: a trigger refuses UPDATE and DELETE unless the retention
 * purge set `crm.audit_purge` in its transaction. Each service registers it with its own timestamp:
 * `auditTrailMigration(1766102400040)` in its migrations index.
 */
export function auditTrailMigration(timestamp: number): new () => MigrationInterface {
  const name = `AuditTrail${timestamp}`;
  return class implements MigrationInterface {
    name = name;

    async up(q: QueryRunner): Promise<void> {
      await q.query(`CREATE TABLE audit_trail (
        id bigserial PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT now(),
        actor text NOT NULL,
        actor_roles text[] NOT NULL DEFAULT '{}',
        ip text,
        user_agent text,
        correlation_id text,
        record_type text NOT NULL,
        record_id text NOT NULL,
        action text NOT NULL,
        key_id text,
        changes jsonb NOT NULL DEFAULT '[]')`);
      await q.query('CREATE INDEX audit_trail_record ON audit_trail (record_type, record_id, at, id)');
      await q.query('CREATE INDEX audit_trail_actor ON audit_trail (actor, at, id)');
      // The purge walks the oldest rows first.
      await q.query('CREATE INDEX audit_trail_at ON audit_trail (at, id)');
      await q.query(`CREATE FUNCTION audit_trail_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF TG_OP = 'DELETE' AND current_setting('${AUDIT_PURGE_SETTING}', true) = 'on' THEN
            RETURN OLD;
          END IF;
          RAISE EXCEPTION 'audit_trail is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
        END $$`);
      await q.query(`CREATE TRIGGER audit_trail_append_only BEFORE UPDATE OR DELETE ON audit_trail
        FOR EACH ROW EXECUTE FUNCTION audit_trail_append_only()`);
      await q.query(`CREATE TRIGGER audit_trail_no_truncate BEFORE TRUNCATE ON audit_trail
        FOR EACH STATEMENT EXECUTE FUNCTION audit_trail_append_only()`);
    }

    async down(q: QueryRunner): Promise<void> {
      await q.query('DROP TABLE audit_trail');
      await q.query('DROP FUNCTION audit_trail_append_only()');
    }
  };
}
