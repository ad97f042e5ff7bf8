import { Injectable, Logger } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { MetricsRegistry } from '@crm/observability';
import { RemindersService } from './reminders.service';

const OVERDUE_SCAN_LOCK = 7_340_201;
const BATCH = 500;

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
    private readonly reminders: RemindersService,
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
    for (let more = true; more;) {
      const batch = await this.reminders.raiseOverdue(now, OVERDUE_SCAN_LOCK, BATCH);
      this.published.inc(batch.raised);
      total += batch.raised;
      more = batch.more;
    }
    return total;
  }
}
