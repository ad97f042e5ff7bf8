import { Injectable, Logger } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { DataSource } from 'typeorm';
import { appendToOutbox, newEvent } from '@crm/messaging';
import { MetricsRegistry } from '@crm/observability';

const OVERDUE_SCAN_LOCK = 7_340_201;
const BATCH = 500;

interface Crossing {
  opportunity_id: string;
  rep_id: string;
  stage: string;
  stage_entered_at: Date;
  limit_hours: number;
}

/**
 * Publishes `opportunity.stage_overdue` for open opportunities past their stage's time limit: once per
 * crossing, i.e. per (opportunity, stage, entered at), whatever the number of replicas or runs. The advisory
 * lock keeps replicas from scanning at once; the reminders' unique key would stop a duplicate anyway.
 */
@Injectable()
export class StageOverdueJob {
  private readonly logger = new Logger(StageOverdueJob.name);
  private readonly published;

  constructor(
    private readonly dataSource: DataSource,
    metrics: MetricsRegistry,
  ) {
    this.published = metrics.counter({ name: 'crm_opportunity_stage_overdue_total', help: 'opportunity.stage_overdue reminders published' });
  }

  @Cron(CronExpression.EVERY_10_MINUTES, { name: 'opportunity-stage-overdue' })
  async run(): Promise<void> {
    await this.scan().catch((err: Error) => this.logger.error(`stage overdue scan failed: ${err.message}`));
  }

  /** Scans as of `now`; returns how many reminders were raised (0 when another replica holds the lock). */
  async scan(now = new Date()): Promise<number> {
    let total = 0;
    for (let more = true; more; ) {
      const batch = await this.dataSource.transaction(async (m) => {
        const [{ locked }] = await m.query('SELECT pg_try_advisory_xact_lock($1) AS locked', [OVERDUE_SCAN_LOCK]);
        if (!locked) return { raised: 0, more: false };
        const crossings: Crossing[] = await m.query(
          `INSERT INTO stage_overdue_reminders (id, opportunity_id, rep_id, team, stage, stage_entered_at, limit_hours, due_at, detected_at)
           SELECT gen_random_uuid(), o.id, o.rep_id, o.team, o.stage, o.stage_entered_at, s.time_limit_hours,
                  o.stage_entered_at + make_interval(hours => s.time_limit_hours), $1
             FROM opportunities o
             JOIN stages s ON s.pipeline_id = o.pipeline_id AND s.key = o.stage
            WHERE o.status = 'open' AND s.time_limit_hours IS NOT NULL
              AND o.stage_entered_at + make_interval(hours => s.time_limit_hours) <= $1
              AND NOT EXISTS (SELECT 1 FROM stage_overdue_reminders r
                               WHERE r.opportunity_id = o.id AND r.stage = o.stage AND r.stage_entered_at = o.stage_entered_at)
            ORDER BY o.stage_entered_at, o.id
            LIMIT $2
           ON CONFLICT (opportunity_id, stage, stage_entered_at) DO NOTHING
           RETURNING opportunity_id, rep_id, stage, stage_entered_at, limit_hours`,
          [now, BATCH],
        );
        await appendToOutbox(
          m,
          crossings.map((c) =>
            newEvent('opportunity.stage_overdue', {
              subject: c.opportunity_id,
              data: {
                opportunityId: c.opportunity_id,
                repId: c.rep_id,
                stage: c.stage,
                enteredAt: c.stage_entered_at.toISOString(),
                limitHours: c.limit_hours,
                detectedAt: now.toISOString(),
              },
            }),
          ),
        );
        return { raised: crossings.length, more: crossings.length === BATCH };
      });
      this.published.inc(batch.raised);
      total += batch.raised;
      more = batch.more;
    }
    return total;
  }
}
