import { Injectable, Logger } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { DataSource } from 'typeorm';
import { appendToOutbox, newEvent } from '@crm/messaging';
import { MetricsRegistry } from '@crm/observability';
import { daysLate, NOT_YET_SHIPPED } from '../orders/order-workflow.domain';
import { AlertsService } from './alerts.service';

const DELAY_SCAN_LOCK = 7_340_301;
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
    private readonly alerts: AlertsService,
    metrics: MetricsRegistry,
  ) {
    this.raised = metrics.counter({ name: 'crm_order_delay_alerts_total', help: 'order.delayed alerts raised for passed promised dates' });
  }

  @Cron(CronExpression.EVERY_10_MINUTES, { name: 'order-delay-alerts' })
  async run(): Promise<void> {
    await this.scan().catch((err: Error) => this.logger.error(`delay scan failed: ${err.message}`));
  }

  /** Scans as of `now`; returns how many new alerts were raised (0 when another replica holds the lock). */
  async scan(now = new Date()): Promise<number> {
    const today = now.toISOString().slice(0, 10);
    let total = 0;
    for (let more = true; more; ) {
      const batch = await this.dataSource.transaction(async (m) => {
        const [{ locked }] = await m.query('SELECT pg_try_advisory_xact_lock($1) AS locked', [DELAY_SCAN_LOCK]);
        if (!locked) return { raised: 0, more: false };
        const due: { id: string; rep_id: string; team: string | null; status: (typeof NOT_YET_SHIPPED)[number]; promised: string }[] = await m.query(
          `SELECT o.id, o.rep_id, o.team, o.status, o.promised_delivery_date::text AS promised
             FROM orders o
            WHERE o.promised_delivery_date < $1::date AND o.status = ANY($2)
              AND NOT EXISTS (SELECT 1 FROM alerts a WHERE a.dedupe_key = 'past_promised_date:' || o.id || ':' || o.promised_delivery_date::text)
            ORDER BY o.promised_delivery_date, o.id
            LIMIT $3`,
          [today, NOT_YET_SHIPPED, BATCH],
        );
        let count = 0;
        for (const order of due) {
          const late = daysLate(order.promised, today);
          const isNew = await this.alerts.raise(m, {
            orderId: order.id,
            repId: order.rep_id,
            team: order.team,
            kind: 'past_promised_date',
            dedupeKey: `past_promised_date:${order.id}:${order.promised}`,
            message: `Order ${order.id} was promised for ${order.promised} and is still ${order.status} (${late} day(s) late).`,
            details: { promisedDeliveryDate: order.promised, daysLate: late, status: order.status },
          });
          if (!isNew) continue;
          count++;
          await appendToOutbox(m, [
            newEvent('order.delayed', {
              subject: order.id,
              data: {
                orderId: order.id,
                repId: order.rep_id,
                status: order.status,
                reason: 'past_promised_date',
                promisedDeliveryDate: order.promised,
                daysLate: late,
                detectedAt: now.toISOString(),
              },
            }),
          ]);
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
