import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { EventEnvelope } from '@crm/contracts';
import { paginate, restrictToScope, type AuthUser, type Page } from '@crm/http';
import { appendToOutbox } from '@crm/messaging';
import { ReminderEntity } from '../opportunities/opportunity.entities';
import type { Crossing } from './reminder.domain';
import type { ListRemindersQuery } from './reminders.dto';

/** Stage-overdue reminders: one row per (opportunity, stage, entered at), the unique key. */
@Injectable()
export class ReminderRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Keeps replicas from scanning at once: false when another holds it (released with the transaction). */
  async tryScanLock(m: EntityManager, key: number): Promise<boolean> {
    const [{ locked }] = await m.query('SELECT pg_try_advisory_xact_lock($1) AS locked', [key]);
    return locked;
  }

  /**
   * Records up to `limit` crossings of a stage time limit not recorded yet, as of `now`, and returns them. An hour
   * of the limit lasts `hourMs` (the rule of `stageDueAt`).
   */
  async recordCrossings(m: EntityManager, now: Date, hourMs: number, limit: number): Promise<Crossing[]> {
    const rows: { opportunity_id: string; rep_id: string; stage: string; stage_entered_at: Date; limit_hours: number }[] = await m.query(
      `INSERT INTO stage_overdue_reminders (id, opportunity_id, rep_id, team, stage, stage_entered_at, limit_hours, due_at, detected_at)
       SELECT gen_random_uuid(), o.id, o.rep_id, o.team, o.stage, o.stage_entered_at, s.time_limit_hours,
              d.due_at, $1
         FROM opportunities o
         JOIN stages s ON s.pipeline_id = o.pipeline_id AND s.key = o.stage
        CROSS JOIN LATERAL (SELECT o.stage_entered_at + make_interval(secs => s.time_limit_hours * $3::float8 / 1000) AS due_at) d
        WHERE o.status = 'open' AND s.time_limit_hours IS NOT NULL
          AND d.due_at <= $1
          AND NOT EXISTS (SELECT 1 FROM stage_overdue_reminders r
                           WHERE r.opportunity_id = o.id AND r.stage = o.stage AND r.stage_entered_at = o.stage_entered_at)
        ORDER BY o.stage_entered_at, o.id
        LIMIT $2
       ON CONFLICT (opportunity_id, stage, stage_entered_at) DO NOTHING
       RETURNING opportunity_id, rep_id, stage, stage_entered_at, limit_hours`,
      [now, limit, hourMs],
    );
    return rows.map((r) => ({
      opportunityId: r.opportunity_id,
      repId: r.rep_id,
      stage: r.stage,
      stageEnteredAt: r.stage_entered_at,
      limitHours: r.limit_hours,
    }));
  }

  async publish(m: EntityManager, events: readonly EventEnvelope[]): Promise<void> {
    await appendToOutbox(m, events);
  }

  /** Newest first, within the caller's scope. */
  list(user: AuthUser, query: ListRemindersQuery): Promise<Page<ReminderEntity>> {
    const qb = restrictToScope(this.dataSource.getRepository(ReminderEntity).createQueryBuilder('r'), user, { rep: 'r.repId', team: 'r.team' });
    if (query.repId) qb.andWhere('r.repId = :repId', { repId: query.repId });
    if (query.opportunityId) qb.andWhere('r.opportunityId = :opportunityId', { opportunityId: query.opportunityId });
    return paginate(qb, { sort: { column: 'r.detectedAt', direction: 'DESC' }, tieBreaker: 'id', limit: query.limit, cursor: query.cursor });
  }
}
