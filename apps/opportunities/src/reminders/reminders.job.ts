import { Inject, Injectable, Logger, Optional, type OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { MetricsRegistry } from '@crm/observability';
import { RemindersService } from './reminders.service';
import { DEFAULT_STAGE_CLOCK, STAGE_CLOCK, type StageClock } from './stage-clock';

const OVERDUE_SCAN_LOCK = 7_340_201;
const BATCH = 500;
export const STAGE_OVERDUE_JOB = 'opportunity-stage-overdue';

/**
 * Publishes `opportunity.stage_overdue` for open opportunities past their stage's time limit: once per
 * crossing, i.e. per (opportunity, stage, entered at), whatever the number of replicas or runs. The advisory
 * lock keeps replicas from scanning at once; the reminders' unique key would stop a duplicate anyway.
 */
@Injectable()
export class StageOverdueJob implements OnApplicationBootstrap {
  private readonly logger = new Logger(StageOverdueJob.name);
  private readonly published;
  private running = false;

  constructor(
    private readonly reminders: RemindersService,
    metrics: MetricsRegistry,
    @Optional() @Inject(SchedulerRegistry) private readonly scheduler: SchedulerRegistry | null = null,
    @Optional() @Inject(STAGE_CLOCK) private readonly clock: StageClock = DEFAULT_STAGE_CLOCK,
  ) {
    this.published = metrics.counter({ name: 'crm_opportunity_stage_overdue_total', help: 'opportunity.stage_overdue reminders published' });
  }

  onApplicationBootstrap(): void {
    // Every OPPORTUNITIES_STAGE_SCAN_INTERVAL_MS; registered with the scheduler so that shutdown clears it with the other jobs.
    this.scheduler?.addInterval(
      STAGE_OVERDUE_JOB,
      setInterval(() => void this.run(), this.clock.scanIntervalMs),
    );
  }

  async run(): Promise<void> {
    // A short interval must not pile scans up behind a slow one.
    if (this.running) return;
    this.running = true;
    try {
      await this.scan().catch((err: Error) => this.logger.error(`stage overdue scan failed: ${err.message}`));
    } finally {
      this.running = false;
    }
  }

  /** Scans as of `now`; returns how many reminders were raised (0 when another replica holds the lock). */
  async scan(now = new Date()): Promise<number> {
    let total = 0;
    for (let more = true; more;) {
      const batch = await this.reminders.raiseOverdue(now, this.clock.hourMs, OVERDUE_SCAN_LOCK, BATCH);
      this.published.inc(batch.raised);
      total += batch.raised;
      more = batch.more;
    }
    return total;
  }
}
