import { randomUUID } from 'node:crypto';
import { HttpStatus, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { HttpProblemCode, restrictToScope, paginate, ProblemException, type AuthUser, type Page } from '@crm/http';
import { AlertEntity, type AlertKind } from './alert.entity';
import type { ListAlertsQuery } from './alerts.dto';

export interface NewAlert {
  orderId: string;
  repId: string;
  team: string | null;
  kind: AlertKind;
  /** Identifies the occurrence (a delay, a report): the same key never alerts twice. */
  dedupeKey: string;
  message: string;
  details?: Record<string, unknown>;
}

/** Alerts for the order's rep (shortage, delay, quality problem), listed per rep and acknowledged by them. */
@Injectable()
export class AlertsService {
  constructor(private readonly dataSource: DataSource) {}

  /** Inserts the alert in the caller's transaction; false when this occurrence was alerted before. */
  async raise(manager: EntityManager, alert: NewAlert): Promise<boolean> {
    const rows = await manager.query(
      `INSERT INTO alerts (id, order_id, rep_id, team, kind, dedupe_key, message, details)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`,
      [randomUUID(), alert.orderId, alert.repId, alert.team, alert.kind, alert.dedupeKey, alert.message, alert.details ?? {}],
    );
    return rows.length > 0;
  }

  list(user: AuthUser, query: ListAlertsQuery): Promise<Page<AlertEntity>> {
    const qb = this.scoped(user);
    if (query.repId) qb.andWhere('alert.repId = :repId', { repId: query.repId });
    if (query.orderId) qb.andWhere('alert.orderId = :orderId', { orderId: query.orderId });
    if (query.kind) qb.andWhere('alert.kind = :kind', { kind: query.kind });
    if (query.open !== undefined) qb.andWhere(query.open ? 'alert.acknowledgedAt IS NULL' : 'alert.acknowledgedAt IS NOT NULL');
    return paginate(qb, { sort: { column: 'alert.createdAt', direction: 'DESC' }, tieBreaker: 'id', limit: query.limit, cursor: query.cursor });
  }

  async acknowledge(user: AuthUser, id: string): Promise<AlertEntity> {
    const alert = await this.scoped(user).andWhere('alert.id = :id', { id }).getOne();
    if (!alert) throw new ProblemException({ status: HttpStatus.NOT_FOUND, code: HttpProblemCode.NotFound, detail: `No alert ${id}.` });
    await this.dataSource.query(
      'UPDATE alerts SET acknowledged_at = now(), acknowledged_by = $2 WHERE id = $1 AND acknowledged_at IS NULL',
      [id, user.sub],
    );
    return (await this.scoped(user).andWhere('alert.id = :id', { id }).getOne())!;
  }

  private scoped(user: AuthUser) {
    return restrictToScope(this.dataSource.getRepository(AlertEntity).createQueryBuilder('alert'), user, { rep: 'alert.repId', team: 'alert.team' });
  }
}
