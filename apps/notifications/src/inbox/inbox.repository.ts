import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { NotificationType, RecordKind } from '../catalogue/catalogue';
import type { InboxKey, InboxStatus } from './inbox.domain';

/** An inbox row with what rendering it needs: its recipient's language and time zone (null: no recipient row). */
export interface InboxRow {
  id: string;
  type: NotificationType;
  critical: boolean;
  recordKind: RecordKind;
  recordId: string;
  params: Record<string, unknown>;
  createdAt: Date;
  readAt: Date | null;
  archivedAt: Date | null;
  snoozedUntil: Date | null;
  locale: string | null;
  timeZone: string | null;
}

export type InboxChange = { kind: 'read' | 'unread' | 'archive' } | { kind: 'snooze'; until: Date };

const COLUMNS = `n.id::text AS id, n.type, n.critical, n.record_kind AS "recordKind", n.record_id AS "recordId", n.params,
  n.created_at AS "createdAt", n.read_at AS "readAt", n.archived_at AS "archivedAt", n.snoozed_until AS "snoozedUntil",
  r.locale, r.time_zone AS "timeZone"`;
const FROM = 'notifications n LEFT JOIN recipients r ON r.user_id = n.recipient_id';
const AWAKE = '(n.snoozed_until IS NULL OR n.snoozed_until <= now())';
const UNREAD = `n.in_app AND n.read_at IS NULL AND n.archived_at IS NULL AND ${AWAKE}`;

const STATUS: Record<InboxStatus | 'default', string> = {
  default: `n.archived_at IS NULL AND ${AWAKE}`,
  unread: `n.read_at IS NULL AND n.archived_at IS NULL AND ${AWAKE}`,
  read: `n.read_at IS NOT NULL AND n.archived_at IS NULL AND ${AWAKE}`,
  archived: 'n.archived_at IS NOT NULL',
  all: 'true',
};

// TypeORM answers an UPDATE with [rows, affected].
const affected = (result: unknown) => (Array.isArray(result) && typeof result[1] === 'number' ? result[1] : 0);

/**
 * The only SQL of the inbox. Every statement is bounded by the caller's `recipient_id`: a row of someone else
 * is never read or changed, it just is not found. Changes notify 'notifications' with the recipient at commit,
 * so the user's streams on every replica send the new unread count.
 */
@Injectable()
export class InboxRepository {
  /** A page in list order: unread first, then newest (keyset on (read?, id)). */
  list(m: EntityManager, userId: string, q: { status?: InboxStatus; type?: string; after?: InboxKey; limit: number }): Promise<InboxRow[]> {
    const params: unknown[] = [userId, q.type ?? null, q.limit];
    let keyset = '';
    if (q.after) {
      params.push(q.after.read, q.after.id);
      keyset = 'AND ((n.read_at IS NOT NULL) > $4 OR ((n.read_at IS NOT NULL) = $4 AND n.id < $5))';
    }
    return m.query(
      `SELECT ${COLUMNS} FROM ${FROM}
        WHERE n.recipient_id = $1 AND n.in_app AND ${STATUS[q.status ?? 'default']} AND ($2::text IS NULL OR n.type = $2) ${keyset}
        ORDER BY (n.read_at IS NOT NULL), n.id DESC LIMIT $3`,
      params,
    );
  }

  async one(m: EntityManager, userId: string, id: string): Promise<InboxRow | null> {
    const [row] = await m.query(`SELECT ${COLUMNS} FROM ${FROM} WHERE n.id = $1 AND n.recipient_id = $2 AND n.in_app`, [id, userId]);
    return row ?? null;
  }

  async unreadCount(m: EntityManager, userId: string): Promise<number> {
    const [row] = await m.query(`SELECT count(*)::int AS unread FROM notifications n WHERE n.recipient_id = $1 AND ${UNREAD}`, [userId]);
    return row.unread;
  }

  /**
   * Applies one change to the caller's own notification; false when there is none with that id. Reading or
   * archiving acknowledges it: a pending escalation is called off for good (a later "unread" does not re-arm it).
   */
  async change(m: EntityManager, userId: string, id: string, change: InboxChange): Promise<boolean> {
    const ack = 'escalates_at = CASE WHEN escalated_at IS NULL THEN NULL ELSE escalates_at END';
    const set = {
      read: `read_at = coalesce(read_at, now()), ${ack}`,
      unread: 'read_at = NULL',
      archive: `archived_at = coalesce(archived_at, now()), ${ack}`,
      snooze: 'snoozed_until = $3',
    }[change.kind];
    const params = change.kind === 'snooze' ? [id, userId, change.until] : [id, userId];
    const updated = affected(await m.query(`UPDATE notifications SET ${set} WHERE id = $1 AND recipient_id = $2 AND in_app`, params));
    if (updated > 0) await this.notify(m, userId);
    return updated > 0;
  }

  /** Marks every unread notification of the caller read (only up to `before` when given); returns how many. */
  async readAll(m: EntityManager, userId: string, before?: string): Promise<number> {
    const updated = affected(
      await m.query(
        `UPDATE notifications SET read_at = now(), escalates_at = CASE WHEN escalated_at IS NULL THEN NULL ELSE escalates_at END
          WHERE recipient_id = $1 AND in_app AND read_at IS NULL AND archived_at IS NULL AND ($2::bigint IS NULL OR id <= $2)`,
        [userId, before ?? null],
      ),
    );
    if (updated > 0) await this.notify(m, userId);
    return updated;
  }

  /** The newest in-app id of the user ('0' for none) and the unread count: where a stream without Last-Event-ID starts. */
  async streamStart(m: EntityManager, userId: string): Promise<{ top: string; unread: number }> {
    const [row] = await m.query(
      `SELECT coalesce((SELECT max(n.id) FROM notifications n WHERE n.recipient_id = $1 AND n.in_app), 0)::text AS top,
              (SELECT count(*) FROM notifications n WHERE n.recipient_id = $1 AND ${UNREAD})::int AS unread`,
      [userId],
    );
    return row;
  }

  /** In one round trip: the unread count and the next in-app notifications after `cursor`, in id order. */
  async streamRead(m: EntityManager, userId: string, cursor: string, limit: number): Promise<{ unread: number; rows: InboxRow[] }> {
    const found: (InboxRow & { unread: number; id: string | null })[] = await m.query(
      `SELECT (SELECT count(*) FROM notifications n WHERE n.recipient_id = $1 AND ${UNREAD})::int AS unread, f.*
         FROM (SELECT 1) one
         LEFT JOIN LATERAL (SELECT ${COLUMNS} FROM ${FROM} WHERE n.recipient_id = $1 AND n.in_app AND n.id > $2 ORDER BY n.id LIMIT $3) f ON true
        ORDER BY f.id::bigint`, // f.id is text: by text, '1000' would come before '999'
      [userId, cursor, limit],
    );
    return { unread: found[0]?.unread ?? 0, rows: found.filter((r) => r.id !== null) };
  }

  private async notify(m: EntityManager, userId: string): Promise<void> {
    await m.query(`SELECT pg_notify('notifications', $1)`, [userId]);
  }
}
