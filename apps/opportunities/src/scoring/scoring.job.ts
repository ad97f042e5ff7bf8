import { Injectable, Logger } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { DataSource } from 'typeorm';
import { inTransaction } from '@crm/persistence';
import { ScoringService } from './scoring.service';

const SCORING_JOB_LOCK = 7_340_202;

/**
 * Nightly: trains a learned model on the closed history when there is enough of it, else re-scores the open
 * opportunities with the current model (urgency moves with the calendar). One replica at a time.
 */
@Injectable()
export class ScoringJob {
  private readonly logger = new Logger(ScoringJob.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly scoring: ScoringService,
  ) {}

  @Cron(CronExpression.EVERY_DAY_AT_2AM, { name: 'opportunity-scoring' })
  async run(): Promise<void> {
    await this.runOnce().catch((err: Error) => this.logger.error(`scoring job failed: ${err.message}`));
  }

  /** false when another replica holds the lock. */
  runOnce(now = new Date()): Promise<boolean> {
    return inTransaction(this.dataSource, (m) => this.scoring.nightly(m, SCORING_JOB_LOCK, now));
  }
}
