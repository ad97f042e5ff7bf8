import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { EventEnvelope } from '@crm/contracts';
import { paginate, restrictToScope, type AuthUser, type Page } from '@crm/http';
import { appendToOutbox } from '@crm/messaging';
import { NOT_YET_SHIPPED } from '../orders/order-workflow.domain';
import type { Acknowledgement, LateOrder, NewAlert } from './alert.domain';
import { AlertEntity } from './alert.entity';
import type { ListAlertsQuery } from './alerts.dto';

const DELAY_SCAN_LOCK = 7_340_301;

/** Alerts per rep, and the scan for orders past their promised date. */
@Injectable()
export class AlertsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Inserts the alert in the caller's transaction and, only when this occurrence was not alerted before,
   * appends `events` with it; false when it was.
   */
  async raise(m: EntityManager, alert: NewAlert, events: readonly EventEnvelope[] = []): Promise<boolean> {
    const rows = await m.query(
      `INSERT INTO alerts (id, order_id, rep_id, team, kind, dedupe_key, message, details, audience)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`,
      [alert.id, alert.orderId, alert.repId, alert.team, alert.kind, alert.dedupeKey, alert.message, alert.details, alert.audience ?? 'rep'],
    );
    if (rows.length) await appendToOutbox(m, events);
    return rows.length > 0;
  }

  list(user: AuthUser, query: ListAlertsQuery): Promise<Page<AlertEntity>> {
    const qb = this.scoped(this.dataSource.manager, user);
    if (query.repId) qb.andWhere('alert.repId = :repId', { repId: query.repId });
    if (query.orderId) qb.andWhere('alert.orderId = :orderId', { orderId: query.orderId });
    if (query.kind) qb.andWhere('alert.kind = :kind', { kind: query.kind });
    if (query.audience) qb.andWhere('alert.audience = :audience', { audience: query.audience });
    if (query.open !== undefined) qb.andWhere(query.open ? 'alert.acknowledgedAt IS NULL' : 'alert.acknowledgedAt IS NOT NULL');
    return paginate(qb, { sort: { column: 'alert.createdAt', direction: 'DESC' }, tieBreaker: 'id', limit: query.limit, cursor: query.cursor });
  }

  async findVisible(user: AuthUser, id: string, m: EntityManager = this.dataSource.manager): Promise<AlertEntity | undefined> {
    return (await this.scoped(m, user).andWhere('alert.id = :id', { id }).getOne()) ?? undefined;
  }

  async acknowledge(m: EntityManager, id: string, ack: Acknowledgement): Promise<void> {
    // The first acknowledgement stands, whoever races it.
    await m.query('UPDATE alerts SET acknowledged_at = $2, acknowledged_by = $3 WHERE id = $1 AND acknowledged_at IS NULL', [
      id,
      ack.acknowledgedAt,
      ack.acknowledgedBy,
    ]);
  }

  /** Takes the scan's transaction-scoped advisory lock; false when another replica is scanning. */
  async tryDelayScanLock(m: EntityManager): Promise<boolean> {
    const [{ locked }] = await m.query('SELECT pg_try_advisory_xact_lock($1) AS locked', [DELAY_SCAN_LOCK]);
    return locked;
  }

  /** Orders past their promised date on `today`, not shipped, whose delay has no alert yet. */
  lateOrders(m: EntityManager, today: string, limit: number): Promise<LateOrder[]> {
    return m.query(
      `SELECT o.id, o.rep_id AS "repId", o.team, o.status, o.promised_delivery_date::text AS promised
         FROM orders o
        WHERE o.promised_delivery_date < $1::date AND o.status = ANY($2)
          AND NOT EXISTS (SELECT 1 FROM alerts a WHERE a.dedupe_key = 'past_promised_date:' || o.id || ':' || o.promised_delivery_date::text)
        ORDER BY o.promised_delivery_date, o.id
        LIMIT $3`,
      [today, NOT_YET_SHIPPED, limit],
    );
  }

  private scoped(m: EntityManager, user: AuthUser) {
    return restrictToScope(m.getRepository(AlertEntity).createQueryBuilder('alert'), user, { rep: 'alert.repId', team: 'alert.team' });
  }
}
