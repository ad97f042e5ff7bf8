import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Locale } from '../catalogue/catalogue';
import type { Params } from '../templates/templates';
import type { WebhookNotification } from './webhook-payload';

export interface DeliveryContext {
  notification: WebhookNotification & { params: Params };
  /** The reader's: the endpoint's owner, or for a team's endpoint the member the notification is for. */
  locale: Locale | null;
  timeZone: string | null;
}

/** The dispatcher's SQL besides the ledger's: what a message says, and the endpoint's failure state. */
@Injectable()
export class WebhookDispatchRepository {
  async context(m: EntityManager, notificationId: string, ownerUserId: string | null): Promise<DeliveryContext | undefined> {
    const [row] = await m.query(
      `SELECT n.id::text AS id, n.type, n.critical, n.record_kind AS "recordKind", n.record_id AS "recordId", n.recipient_id AS "recipientId",
              n.created_at AS "createdAt", n.params, r.locale, r.time_zone AS "timeZone"
         FROM notifications n LEFT JOIN recipients r ON r.user_id = coalesce($2, n.recipient_id)
        WHERE n.id = $1`,
      [notificationId, ownerUserId],
    );
    if (!row) return undefined;
    const { locale, timeZone, ...notification } = row as WebhookNotification & { params: Params; locale: Locale | null; timeZone: string | null };
    return { notification, locale, timeZone };
  }

  async setFailures(m: EntityManager, endpointId: string, consecutiveFailures: number): Promise<void> {
    await m.query('UPDATE webhook_endpoints SET consecutive_failures = $2 WHERE id = $1 AND consecutive_failures <> $2', [endpointId, consecutiveFailures]);
  }

  async disable(m: EntityManager, endpointId: string, reason: string, at: Date): Promise<void> {
    await m.query(
      `UPDATE webhook_endpoints SET enabled = false, disabled_at = $3, disabled_reason = $2, version = version + 1, updated_at = $3 WHERE id = $1`,
      [endpointId, reason.slice(0, 500), at],
    );
  }
}
