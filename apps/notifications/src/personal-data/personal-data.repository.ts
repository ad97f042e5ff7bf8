import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { ERASED } from '@crm/privacy';
import type { Params } from '../templates/templates';

/** Who an erasure or export is about: the records named, and those linked to the contact or the leads. */
export interface PersonQuery {
  records: { kind: string; id: string }[];
  contactId?: string;
  leadIds: string[];
}

export interface HeldRecord {
  recordKind: string;
  recordId: string;
  ownerId: string | null;
  team: string | null;
  label: string | null;
  productLines: string[];
  orderId: string | null;
  contactId: string | null;
  leadId: string | null;
  updatedAt: Date;
}

export interface HeldNotification {
  id: string;
  params: Params;
}

const RECORD_COLUMNS = `record_kind AS "recordKind", record_id AS "recordId", owner_id AS "ownerId", team, label, product_lines AS "productLines",
  order_id AS "orderId", contact_id AS "contactId", lead_id AS "leadId", updated_at AS "updatedAt"`;
const WHERE_PERSON = `(record_kind, record_id) IN (SELECT * FROM unnest($1::text[], $2::text[]))
  OR contact_id = $3 OR lead_id = ANY($4::text[]) OR (record_kind = 'lead' AND record_id = ANY($4::text[]))`;
const args = (q: PersonQuery) => [q.records.map((r) => r.kind), q.records.map((r) => r.id), q.contactId ?? null, q.leadIds];

/** The only SQL of a person's data here: the record copies, their notifications and the leads' next actions. */
@Injectable()
export class PersonalDataRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  records(m: EntityManager | DataSource, q: PersonQuery, lock = false): Promise<HeldRecord[]> {
    return m.query(`SELECT ${RECORD_COLUMNS} FROM record_access WHERE ${WHERE_PERSON} ORDER BY record_kind, record_id${lock ? ' FOR UPDATE' : ''}`, args(q));
  }

  /** Every notification about the records, to anyone: a record named whose copy was never made is searched too. */
  notificationsOf(m: EntityManager | DataSource, records: { recordKind: string; recordId: string }[], lock = false) {
    return m.query(
      `SELECT id::text, event_id AS "eventId", recipient_id AS "recipientId", type, audience, record_kind AS "recordKind", record_id AS "recordId",
              params, critical, in_app AS "inApp", created_at AS "createdAt", read_at AS "readAt", archived_at AS "archivedAt",
              snoozed_until AS "snoozedUntil", escalates_at AS "escalatesAt", escalated_at AS "escalatedAt"
         FROM notifications WHERE (record_kind, record_id) IN (SELECT * FROM unnest($1::text[], $2::text[])) ORDER BY id${lock ? ' FOR UPDATE' : ''}`,
      [records.map((r) => r.recordKind), records.map((r) => r.recordId)],
    ) as Promise<(HeldNotification & Record<string, unknown>)[]>;
  }

  reminders(m: EntityManager | DataSource, leadIds: string[], lock = false) {
    return m.query(
      `SELECT lead_id AS "leadId", follow_up_id AS "followUpId", rep_id AS "repId", next_action AS "nextAction", due_at AS "dueAt",
              followed_up_at AS "followedUpAt", due_sent_at AS "dueSentAt", overdue_sent_at AS "overdueSentAt", closed_at AS "closedAt"
         FROM reminders WHERE lead_id = ANY($1::text[]) ORDER BY lead_id${lock ? ' FOR UPDATE' : ''}`,
      [leadIds],
    ) as Promise<{ leadId: string; nextAction: string | null }[]>;
  }

  /** Names become "[erased]"; who owns the records stays (access checks of later events still need it). */
  async scrub(m: EntityManager, s: { records: { recordKind: string; recordId: string }[]; leadIds: string[]; notifications: HeldNotification[] }) {
    await m.query(
      `UPDATE record_access SET label = $3, updated_at = now()
        WHERE (record_kind, record_id) IN (SELECT * FROM unnest($1::text[], $2::text[])) AND label IS NOT NULL`,
      [s.records.map((r) => r.recordKind), s.records.map((r) => r.recordId), ERASED],
    );
    await m.query('UPDATE reminders SET next_action = NULL WHERE lead_id = ANY($1::text[])', [s.leadIds]);
    for (const n of s.notifications) await m.query('UPDATE notifications SET params = $2 WHERE id = $1', [n.id, JSON.stringify(n.params)]);
    // A failed delivery's error may quote what the endpoint or mail server echoed back.
    await m.query('UPDATE deliveries SET last_error = NULL WHERE notification_id = ANY($1::bigint[]) AND last_error IS NOT NULL', [
      s.notifications.map((n) => n.id),
    ]);
  }

  get source(): DataSource {
    return this.dataSource;
  }
}
