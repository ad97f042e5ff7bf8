import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Channel, NotificationType, RecordKind } from '../catalogue/catalogue';
import type { RecordAccess, Recipient, Rule } from './fanout.domain';

const RECIPIENT_LOCKS = 8_101;
const RECIPIENT = `user_id AS "userId", email, roles, team, manager_id AS "managerId", active`;

/** The only SQL of the fan-out: rules, the record and recipient copies, preferences, and the inbox and ledger rows. */
@Injectable()
export class FanoutRepository {
  rulesFor(m: EntityManager, eventType: string): Promise<Rule[]> {
    return m.query(
      `SELECT id, event_type AS "eventType", match, type, audiences, channels FROM notification_rules WHERE event_type = $1 AND enabled ORDER BY id`,
      [eventType],
    );
  }

  async recordAccess(m: EntityManager, kind: RecordKind, id: string): Promise<RecordAccess> {
    const [row] = await m.query(
      `SELECT owner_id AS "ownerId", team, label, product_lines AS "productLines" FROM record_access WHERE record_kind = $1 AND record_id = $2`,
      [kind, id],
    );
    return row ?? { ownerId: null, team: null, label: null, productLines: [] };
  }

  async recipients(m: EntityManager, userIds: string[]): Promise<Recipient[]> {
    if (userIds.length === 0) return [];
    return m.query(`SELECT ${RECIPIENT} FROM recipients WHERE user_id = ANY($1)`, [userIds]);
  }

  withRole(m: EntityManager, role: string, teams?: string[]): Promise<Recipient[]> {
    return teams
      ? m.query(`SELECT ${RECIPIENT} FROM recipients WHERE active AND $1 = ANY(roles) AND team = ANY($2)`, [role, teams])
      : m.query(`SELECT ${RECIPIENT} FROM recipients WHERE active AND $1 = ANY(roles)`, [role]);
  }

  async productTeams(m: EntityManager, productLines: string[]): Promise<string[]> {
    if (productLines.length === 0) return [];
    const rows: { team: string }[] = await m.query('SELECT DISTINCT team FROM product_routes WHERE product_line = ANY($1)', [productLines]);
    return rows.map((r) => r.team);
  }

  async typeSettings(m: EntityManager, type: NotificationType): Promise<{ critical: boolean; escalateAfterMinutes: number | null }> {
    const [row] = await m.query(`SELECT critical, escalate_after_minutes AS "escalateAfterMinutes" FROM notification_types WHERE type = $1`, [type]);
    return row ?? { critical: false, escalateAfterMinutes: null };
  }

  /** Each user's channels turned off for this type. */
  async channelsOff(m: EntityManager, userIds: string[], type: NotificationType): Promise<Map<string, Set<Channel>>> {
    const off = new Map<string, Set<Channel>>();
    if (userIds.length === 0) return off;
    const rows: { userId: string; channel: Channel }[] = await m.query(
      `SELECT user_id AS "userId", channel FROM preferences WHERE user_id = ANY($1) AND type = $2 AND NOT enabled`,
      [userIds, type],
    );
    for (const r of rows) off.set(r.userId, (off.get(r.userId) ?? new Set()).add(r.channel));
    return off;
  }

  /** Transaction locks on these users, in one sorted pass (no two fan-outs can wait on each other crosswise). */
  async lockRecipients(m: EntityManager, userIds: string[]): Promise<void> {
    if (userIds.length === 0) return;
    // The two-key form keeps these apart from the service's other advisory locks (RECIPIENT_LOCKS is their class).
    await m.query('SELECT pg_advisory_xact_lock($2, h) FROM (SELECT DISTINCT hashtext(u) AS h FROM unnest($1::text[]) AS u ORDER BY h) AS keys', [
      userIds,
      RECIPIENT_LOCKS,
    ]);
  }

  /** The inbox row, once per (event, recipient, type): null when it exists already (a redelivery). */
  async insertNotification(
    m: EntityManager,
    n: {
      eventId: string;
      recipientId: string;
      type: NotificationType;
      audience: string;
      recordKind: RecordKind;
      recordId: string;
      params: Record<string, unknown>;
      critical: boolean;
      inApp: boolean;
      createdAt: Date;
      escalatesAt: Date | null;
    },
  ): Promise<string | null> {
    const rows: { id: string }[] = await m.query(
      `INSERT INTO notifications (event_id, recipient_id, type, audience, record_kind, record_id, params, critical, in_app, created_at, escalates_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT ON CONSTRAINT notifications_once DO NOTHING RETURNING id`,
      [n.eventId, n.recipientId, n.type, n.audience, n.recordKind, n.recordId, JSON.stringify(n.params), n.critical, n.inApp, n.createdAt, n.escalatesAt],
    );
    if (rows.length === 0) return null;
    // Delivered at commit to every replica's live streams (LISTEN notifications).
    if (n.inApp) await m.query(`SELECT pg_notify('notifications', $1)`, [n.recipientId]);
    return rows[0].id;
  }

  /** A ledger row for email or a webhook, once per key; wakes the dispatchers at commit. */
  async insertDelivery(
    m: EntityManager,
    d: { dedupeKey: string; notificationId: string | null; channel: Channel; target: string; notBefore?: Date },
  ): Promise<void> {
    await m.query(
      `INSERT INTO deliveries (id, dedupe_key, notification_id, channel, target, next_attempt_at)
       VALUES (gen_random_uuid(), $1, $2, $3, $4, coalesce($5, now())) ON CONFLICT (dedupe_key) DO NOTHING`,
      [d.dedupeKey, d.notificationId, d.channel, d.target, d.notBefore ?? null],
    );
    await m.query(`SELECT pg_notify('deliveries', $1)`, [d.channel]);
  }

  /** The enabled endpoints of the user or of their team that take this type (no types listed: all). */
  async endpointsFor(m: EntityManager, recipient: Recipient, type: NotificationType): Promise<string[]> {
    const rows: { id: string }[] = await m.query(
      `SELECT id FROM webhook_endpoints
        WHERE enabled AND (owner_user_id = $1 OR owner_team = $2) AND (cardinality(types) = 0 OR $3 = ANY(types))`,
      [recipient.userId, recipient.team, type],
    );
    return rows.map((r) => r.id);
  }
}
