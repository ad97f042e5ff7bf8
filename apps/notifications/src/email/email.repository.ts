import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { NotificationType, RecordKind } from '../catalogue/catalogue';
import type { Params } from '../templates/templates';

/** How a recipient is written to: language, zone, quiet hours. */
export interface MailRecipient {
  locale: string;
  timeZone: string | null;
  quietStart: string | null;
  quietEnd: string | null;
}

export interface MailNotification {
  type: NotificationType;
  recordKind: RecordKind;
  recordId: string;
  params: Params;
  critical: boolean;
  createdAt: Date;
}

export interface DigestRecipient {
  userId: string;
  email: string;
  timeZone: string | null;
  digestAt: string;
}

const RECIPIENT = `r.locale, r.time_zone AS "timeZone", r.quiet_start::text AS "quietStart", r.quiet_end::text AS "quietEnd"`;
const NOTIFICATION = `n.type, n.record_kind AS "recordKind", n.record_id AS "recordId", n.params, n.critical, n.created_at AS "createdAt"`;
// One key for every replica's digest scan: one scans at a time (the ledger's unique key would stop a duplicate anyway).
const DIGEST_LOCK = 7_340_801;

/** The email channel's reads (what to say, to whom) and the digest's ledger rows; the ledger's state changes are LedgerRepository's. */
@Injectable()
export class EmailRepository {
  /** The notification of a ledger row and its recipient (null fields for a recipient the service has no copy of). */
  async notification(m: EntityManager, notificationId: string): Promise<(MailNotification & { recipient: MailRecipient }) | null> {
    const [row] = await m.query(
      `SELECT ${NOTIFICATION}, ${RECIPIENT} FROM notifications n LEFT JOIN recipients r ON r.user_id = n.recipient_id WHERE n.id = $1`,
      [notificationId],
    );
    if (!row) return null;
    const { locale, timeZone, quietStart, quietEnd, ...n } = row;
    return { ...n, recipient: { locale, timeZone, quietStart, quietEnd } };
  }

  async recipient(m: EntityManager, userId: string): Promise<MailRecipient | null> {
    const [row] = await m.query(`SELECT ${RECIPIENT} FROM recipients r WHERE r.user_id = $1`, [userId]);
    return row ?? null;
  }

  /** A user's unread, unarchived in-app notifications, newest first, and how many there are in all. */
  async unread(m: EntityManager, userId: string, limit: number): Promise<{ items: MailNotification[]; total: number }> {
    const rows: (MailNotification & { total: number })[] = await m.query(
      `SELECT ${NOTIFICATION}, count(*) OVER ()::int AS total FROM notifications n
        WHERE n.recipient_id = $1 AND n.in_app AND n.read_at IS NULL AND n.archived_at IS NULL
        ORDER BY n.id DESC LIMIT $2`,
      [userId, limit],
    );
    return { items: rows.map(({ total: _, ...n }) => n), total: rows[0]?.total ?? 0 };
  }

  async unreadCount(m: EntityManager, userId: string): Promise<number> {
    const [{ count }] = await m.query(
      `SELECT count(*)::int AS count FROM notifications WHERE recipient_id = $1 AND in_app AND read_at IS NULL AND archived_at IS NULL`,
      [userId],
    );
    return count;
  }

  async tryDigestLock(m: EntityManager): Promise<boolean> {
    const [{ locked }] = await m.query('SELECT pg_try_advisory_xact_lock($1) AS locked', [DIGEST_LOCK]);
    return locked;
  }

  digestRecipients(m: EntityManager): Promise<DigestRecipient[]> {
    return m.query(
      `SELECT user_id AS "userId", email, time_zone AS "timeZone", digest_at::text AS "digestAt"
         FROM recipients WHERE active AND digest_at IS NOT NULL AND email IS NOT NULL ORDER BY user_id`,
    );
  }

  async existingKeys(m: EntityManager, keys: string[]): Promise<Set<string>> {
    if (keys.length === 0) return new Set();
    const rows: { key: string }[] = await m.query('SELECT dedupe_key AS key FROM deliveries WHERE dedupe_key = ANY($1)', [keys]);
    return new Set(rows.map((r) => r.key));
  }

  /**
   * A digest's ledger row: `pending` (the dispatcher renders and sends it) or, with nothing unread, `cancelled`,
   * which still marks the day done. Returns whether it was new.
   */
  async insertDigest(m: EntityManager, dedupeKey: string, email: string, status: 'pending' | 'cancelled'): Promise<boolean> {
    const rows = await m.query(
      `INSERT INTO deliveries (id, dedupe_key, notification_id, channel, target, status, last_error)
       VALUES (gen_random_uuid(), $1, NULL, 'email', $2, $3, $4) ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`,
      [dedupeKey, email, status, status === 'cancelled' ? 'nothing unread' : null],
    );
    if (rows.length && status === 'pending') await m.query(`SELECT pg_notify('deliveries', 'email')`);
    return rows.length > 0;
  }
}
