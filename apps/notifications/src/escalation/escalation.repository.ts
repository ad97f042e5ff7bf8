import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { NotificationType, RecordKind } from '../catalogue/catalogue';

export interface Unacknowledged {
  id: string;
  type: NotificationType;
  recipientId: string;
  recipientName: string | null;
  recordKind: RecordKind;
  recordId: string;
  params: Record<string, unknown>;
  createdAt: Date;
}

/** The only SQL of escalation: alerts past their window that nobody read, archived or snoozed. */
@Injectable()
export class EscalationRepository {
  claimDue(m: EntityManager, now: Date, limit: number): Promise<Unacknowledged[]> {
    return m.query(
      `SELECT n.id, n.type, n.recipient_id AS "recipientId", r.name AS "recipientName", n.record_kind AS "recordKind", n.record_id AS "recordId",
              n.params, n.created_at AS "createdAt"
         FROM notifications n LEFT JOIN recipients r ON r.user_id = n.recipient_id
        WHERE n.escalates_at <= $1 AND n.escalated_at IS NULL AND n.read_at IS NULL AND n.archived_at IS NULL
          AND (n.snoozed_until IS NULL OR n.snoozed_until <= $1)
        ORDER BY n.escalates_at LIMIT $2 FOR UPDATE OF n SKIP LOCKED`,
      [now, limit],
    );
  }

  async markEscalated(m: EntityManager, id: string, now: Date): Promise<void> {
    await m.query('UPDATE notifications SET escalated_at = $2 WHERE id = $1', [id, now]);
  }
}
