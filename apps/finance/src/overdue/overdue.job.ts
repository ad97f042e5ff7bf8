import { Injectable, Logger } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { BusinessCalendar } from '@crm/calendar';
import { DomainError } from '@crm/domain';
import { inTransaction, loadDecideSave } from '@crm/persistence';
import { FinanceMetrics } from '../receivables/finance-metrics';
import { decideOverdue } from './overdue.domain';
import { OverdueRepository } from './overdue.repository';

const BATCH_SIZE = 200;
// Bounds one run; whatever is left is claimed by the next one.
const MAX_BATCHES = 50;

/**
 * Alerts receivables past their due date with money outstanding, once each. A batch is claimed and marked in
 * the same transaction as its events, so several replicas (or two overlapping runs) never alert one twice.
 */
@Injectable()
export class OverdueJob {
  private readonly logger = new Logger(OverdueJob.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly overdue: OverdueRepository,
    private readonly metrics: FinanceMetrics,
    private readonly calendar: BusinessCalendar,
  ) {}

  @Cron(CronExpression.EVERY_10_MINUTES, { name: 'finance-overdue-receivables' })
  async scheduled(): Promise<void> {
    try {
      const alerted = await this.detectOverdue();
      if (alerted) this.logger.log(`${alerted} receivable(s) became overdue`);
    } catch (err) {
      this.logger.error(`overdue detection failed: ${(err as Error).message}`, (err as Error).stack);
    }
  }

  /** One run as of `now`; returns how many receivables it alerted. */
  async detectOverdue(now = new Date()): Promise<number> {
    const today = this.calendar.today(now);
    let alerted = 0;
    for (let batch = 0; batch < MAX_BATCHES; batch++) {
      const claimed = await inTransaction(this.dataSource, (m) =>
        loadDecideSave(m, {
          load: (tx) => this.overdue.claim(tx, today, BATCH_SIZE),
          notFound: () => DomainError.notFound('overdue batch', today),
          decide: (claimed) => decideOverdue(claimed, now, this.calendar.zone),
          save: async (tx, _claimed, { ids, alertedAt }) => {
            await this.overdue.markAlerted(tx, ids, alertedAt);
            return ids.length;
          },
        }),
      );
      alerted += claimed;
      if (claimed < BATCH_SIZE) break;
    }
    this.metrics.overdueReceivables.set(await this.overdue.countOverdue(today));
    return alerted;
  }
}
