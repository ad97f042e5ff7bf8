import { Injectable, Logger } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { appendToOutbox, newEvent } from '@crm/messaging';
import { FinanceMetrics } from '../receivables/finance-metrics';
import { daysOverdue, outstandingOf, utcDate } from '../receivables/receivables.domain';

const BATCH_SIZE = 200;
// Bounds one run; whatever is left is claimed by the next one.
const MAX_BATCHES = 50;

interface OverdueRow {
  id: string;
  order_id: string;
  amount: string;
  paid: string;
  currency: string;
  due_date: string;
}

/**
 * Alerts receivables past their due date with money outstanding, once each. Rows are claimed with
 * `FOR UPDATE SKIP LOCKED` and marked in the same transaction as their events, so several replicas (or two
 * overlapping runs) split the work and never alert one receivable twice.
 */
@Injectable()
export class OverdueJob {
  private readonly logger = new Logger(OverdueJob.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly metrics: FinanceMetrics,
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
    const today = utcDate(now);
    let alerted = 0;
    for (let batch = 0; batch < MAX_BATCHES; batch++) {
      const claimed = await this.dataSource.transaction(async (manager) => {
        const rows: OverdueRow[] = await manager.query(
          `SELECT id, order_id, amount::text AS amount, paid::text AS paid, currency, due_date::text AS due_date
             FROM receivables
            WHERE status IN ('open', 'partially_paid') AND overdue_alerted_at IS NULL AND due_date < $1::date
            ORDER BY due_date, id
            LIMIT $2
              FOR UPDATE SKIP LOCKED`,
          [today, BATCH_SIZE],
        );
        if (!rows.length) return 0;
        await manager.query(
          'UPDATE receivables SET overdue_alerted_at = $2, version = version + 1, updated_at = $2 WHERE id = ANY($1::uuid[])',
          [rows.map((r) => r.id), now],
        );
        await appendToOutbox(
          manager,
          rows.map((r) =>
            newEvent('receivable.overdue', {
              subject: r.id,
              data: {
                receivableId: r.id,
                orderId: r.order_id,
                outstanding: outstandingOf(r.amount, r.paid),
                currency: r.currency,
                dueDate: r.due_date,
                daysOverdue: daysOverdue(r.due_date, now),
                detectedAt: now.toISOString(),
              },
            }),
          ),
        );
        return rows.length;
      });
      alerted += claimed;
      if (claimed < BATCH_SIZE) break;
    }
    await this.refreshGauge(today);
    return alerted;
  }

  private async refreshGauge(today: string): Promise<void> {
    const [{ n }] = await this.dataSource.query(
      `SELECT count(*)::int AS n FROM receivables WHERE status IN ('open', 'partially_paid') AND due_date < $1::date`,
      [today],
    );
    this.metrics.overdueReceivables.set(n);
  }
}
