import type { MigrationInterface, QueryRunner } from 'typeorm';
import { NOTIFICATION_TYPES } from '../catalogue/catalogue';
import { DEFAULT_RULES } from '../catalogue/default-rules';

export class CreateNotifications1765584000000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    // Who can be told: reps (copied from rep.upserted) and the people an admin adds (managers, finance, product teams).
    await q.query(`
      CREATE TABLE recipients (
        user_id varchar(128) PRIMARY KEY,
        name varchar(200),
        email varchar(320),
        roles text[] NOT NULL DEFAULT '{}',
        team varchar(64),
        manager_id varchar(128),
        locale varchar(8) NOT NULL DEFAULT 'zh-CN',
        time_zone varchar(64),
        quiet_start time,
        quiet_end time,
        digest_at time,
        active boolean NOT NULL DEFAULT true,
        source varchar(16) NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query('CREATE INDEX recipients_team_idx ON recipients (team) WHERE active');
    await q.query('CREATE INDEX recipients_roles_idx ON recipients USING gin (roles)');

    await q.query(`
      CREATE TABLE notification_types (
        type varchar(64) PRIMARY KEY,
        critical boolean NOT NULL,
        escalate_after_minutes integer,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    for (const [type, spec] of Object.entries(NOTIFICATION_TYPES)) {
      await q.query('INSERT INTO notification_types (type, critical, escalate_after_minutes) VALUES ($1, $2, $3)', [
        type,
        spec.critical,
        spec.escalateAfterMinutes,
      ]);
    }

    // Every rule is data: the event type (and a match on its data) → the notification type → audiences → channels.
    await q.query(`
      CREATE TABLE notification_rules (
        id varchar(64) PRIMARY KEY,
        event_type varchar(64) NOT NULL,
        match jsonb NOT NULL DEFAULT '{}',
        type varchar(64) NOT NULL REFERENCES notification_types (type),
        audiences text[] NOT NULL,
        channels text[] NOT NULL,
        enabled boolean NOT NULL DEFAULT true,
        version integer NOT NULL DEFAULT 1,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query('CREATE INDEX notification_rules_event_idx ON notification_rules (event_type) WHERE enabled');
    for (const r of DEFAULT_RULES) {
      await q.query('INSERT INTO notification_rules (id, event_type, match, type, audiences, channels) VALUES ($1, $2, $3, $4, $5, $6)', [
        r.id,
        r.eventType,
        JSON.stringify(r.match),
        r.type,
        r.audiences,
        r.channels,
      ]);
    }

    // Which R&D or production team owns complaints and quality problems of a product line.
    await q.query(`
      CREATE TABLE product_routes (
        product_line varchar(64) PRIMARY KEY,
        team varchar(64) NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);

    // A user's choice per type and channel; no row: on. A critical type ignores an "off".
    await q.query(`
      CREATE TABLE preferences (
        user_id varchar(128) NOT NULL,
        type varchar(64) NOT NULL REFERENCES notification_types (type),
        channel varchar(16) NOT NULL,
        enabled boolean NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (user_id, type, channel)
      )`);

    // Who may see each record the events talk about, and how to name it: checked before anyone is told.
    await q.query(`
      CREATE TABLE record_access (
        record_kind varchar(32) NOT NULL,
        record_id varchar(128) NOT NULL,
        owner_id varchar(128),
        team varchar(64),
        label varchar(300),
        product_lines text[] NOT NULL DEFAULT '{}',
        order_id varchar(128),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (record_kind, record_id)
      )`);
    // The catalogue's product lines, so an order's lines name the teams its complaints go to.
    await q.query('CREATE TABLE items (sku varchar(64) PRIMARY KEY, product_line varchar(64))');

    // The inbox, and the anchor of every channel's delivery. The id is the live stream's event id (Last-Event-ID).
    await q.query(`
      CREATE TABLE notifications (
        id bigserial PRIMARY KEY,
        event_id uuid NOT NULL,
        recipient_id varchar(128) NOT NULL,
        type varchar(64) NOT NULL,
        audience varchar(32) NOT NULL,
        record_kind varchar(32) NOT NULL,
        record_id varchar(128) NOT NULL,
        params jsonb NOT NULL,
        critical boolean NOT NULL,
        in_app boolean NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        read_at timestamptz,
        archived_at timestamptz,
        snoozed_until timestamptz,
        escalates_at timestamptz,
        escalated_at timestamptz,
        CONSTRAINT notifications_once UNIQUE (event_id, recipient_id, type)
      )`);
    await q.query('CREATE INDEX notifications_inbox_idx ON notifications (recipient_id, id) WHERE in_app');
    await q.query('CREATE INDEX notifications_unread_idx ON notifications (recipient_id) WHERE in_app AND read_at IS NULL AND archived_at IS NULL');
    await q.query(
      'CREATE INDEX notifications_escalation_idx ON notifications (escalates_at) WHERE escalated_at IS NULL AND read_at IS NULL AND archived_at IS NULL',
    );

    await q.query(`
      CREATE TABLE webhook_endpoints (
        id uuid PRIMARY KEY,
        owner_user_id varchar(128),
        owner_team varchar(64),
        url text NOT NULL,
        format varchar(16) NOT NULL DEFAULT 'standard',
        description varchar(500),
        types text[] NOT NULL DEFAULT '{}',
        secrets jsonb NOT NULL,
        enabled boolean NOT NULL DEFAULT true,
        disabled_at timestamptz,
        disabled_reason varchar(500),
        consecutive_failures integer NOT NULL DEFAULT 0,
        created_by varchar(128) NOT NULL,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT webhook_endpoints_owner CHECK ((owner_user_id IS NULL) <> (owner_team IS NULL))
      )`);
    await q.query('CREATE INDEX webhook_endpoints_user_idx ON webhook_endpoints (owner_user_id) WHERE enabled');
    await q.query('CREATE INDEX webhook_endpoints_team_idx ON webhook_endpoints (owner_team) WHERE enabled');

    // The delivery ledger of email and webhooks: one row per (event, recipient or endpoint, channel), by its key.
    await q.query(`
      CREATE TABLE deliveries (
        id uuid PRIMARY KEY,
        dedupe_key text NOT NULL UNIQUE,
        notification_id bigint REFERENCES notifications (id),
        channel varchar(16) NOT NULL,
        target varchar(320) NOT NULL,
        status varchar(16) NOT NULL DEFAULT 'pending',
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        lease_until timestamptz,
        last_error text,
        last_status integer,
        sent_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX deliveries_due_idx ON deliveries (channel, next_attempt_at) WHERE status IN ('pending', 'sending')`);
    await q.query('CREATE INDEX deliveries_notification_idx ON deliveries (notification_id)');

    // Next actions promised in follow-ups: told when due, and when overdue if no newer follow-up came.
    await q.query(`
      CREATE TABLE reminders (
        lead_id varchar(128) PRIMARY KEY,
        follow_up_id varchar(128) NOT NULL,
        rep_id varchar(128) NOT NULL,
        next_action varchar(500),
        due_at timestamptz NOT NULL,
        followed_up_at timestamptz NOT NULL,
        due_sent_at timestamptz,
        overdue_sent_at timestamptz,
        closed_at timestamptz
      )`);
    await q.query('CREATE INDEX reminders_due_idx ON reminders (due_at) WHERE closed_at IS NULL AND overdue_sent_at IS NULL');
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of [
      'reminders',
      'deliveries',
      'webhook_endpoints',
      'notifications',
      'items',
      'record_access',
      'preferences',
      'product_routes',
      'notification_rules',
      'notification_types',
      'recipients',
    ])
      await q.query(`DROP TABLE IF EXISTS ${t}`);
  }
}
