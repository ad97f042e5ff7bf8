import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { DataSource } from 'typeorm';
import { BusinessCalendar } from '@crm/calendar';
import { MetricsRegistry } from '@crm/observability';
import { inTransaction } from '@crm/persistence';
import { decideDelayAlert } from './alert.domain';
import { AlertsRepository } from './alerts.repository';

const BATCH = 500;

/**
 * Raises `order.delayed` for orders past their promised date and not shipped: one alert per delay (order
 * and promised date), however many replicas scan and however often. An advisory lock keeps replicas from
 * scanning at once; the alerts' unique key would stop a duplicate anyway.
 */
@Injectable()
export class DelayAlertsJob {
  private readonly logger = new Logger(DelayAlertsJob.name);
  private readonly raised;

  constructor(
    private readonly dataSource: DataSource,
    private readonly alerts: AlertsRepository,
    metrics: MetricsRegistry,
    private readonly calendar: BusinessCalendar,
  ) {
    this.raised = metrics.counter({ name: 'crm_order_delay_alerts_total', help: 'order.delayed alerts raised for passed promised dates' });
  }

  @Cron(CronExpression.EVERY_10_MINUTES, { name: 'order-delay-alerts' })
  async run(): Promise<void> {
    await this.scan().catch((err: Error) => this.logger.error(`delay scan failed: ${err.message}`));
  }

  /**
   * Scans as of `now`: orders whose promised day has passed in the business time zone. Returns how many new
   * alerts were raised (0 when another replica holds the lock).
   */
  async scan(now = new Date()): Promise<number> {
    const today = this.calendar.today(now);
    let total = 0;
    for (let more = true; more;) {
      const batch = await inTransaction(this.dataSource, async (m) => {
        if (!(await this.alerts.tryDelayScanLock(m))) return { raised: 0, more: false };
        const due = await this.alerts.lateOrders(m, today, BATCH);
        let count = 0;
        for (const order of due) {
          const { changes, events } = decideDelayAlert(order, { id: randomUUID(), now, zone: this.calendar.zone });
          if (await this.alerts.raise(m, changes.alert, events)) count++;
        }
        return { raised: count, more: due.length === BATCH };
      });
      this.raised.inc(batch.raised);
      total += batch.raised;
      more = batch.more;
    }
    return total;
  }
}
