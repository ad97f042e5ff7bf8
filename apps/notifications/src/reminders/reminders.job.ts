import { Inject, Injectable, Logger, Optional, type OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { v5 as nameUuid } from 'uuid';
import { DataSource } from 'typeorm';
import { inTransaction } from '@crm/persistence';
import { FanoutService } from '../fanout/fanout.service';
import { NOTIFICATIONS_SETTINGS, type NotificationsSettings } from '../notifications.settings';
import { stepDue } from './reminder.domain';
import { RemindersRepository } from './reminders.repository';

const BATCH = 200;
// The namespace of reminder trigger ids: a reminder step has one id, so the fan-out's keys stop a second notice.
const NAMESPACE = '0b7f3a52-8c1e-4d6b-9f3a-2e5c7d9a1b40';

/**
 * Tells reps of next actions coming due and going overdue. Every replica runs it; the claim's row locks
 * (SKIP LOCKED) give each reminder to one of them, and the step's fixed trigger id stops a repeat anyway.
 */
@Injectable()
export class RemindersJob implements OnApplicationBootstrap {
  private readonly logger = new Logger(RemindersJob.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly reminders: RemindersRepository,
    private readonly fanout: FanoutService,
    @Inject(NOTIFICATIONS_SETTINGS) private readonly settings: NotificationsSettings,
    @Optional() @Inject(SchedulerRegistry) private readonly scheduler: SchedulerRegistry | null = null,
  ) {}

  onApplicationBootstrap(): void {
    this.scheduler?.addInterval(
      'notifications-reminders',
      setInterval(() => void this.run().catch((err: Error) => this.logger.error(`reminder scan failed: ${err.message}`)), this.settings.scanIntervalMs),
    );
  }

  /** One scan as of `now`; returns how many notices went out. */
  async run(now = new Date()): Promise<number> {
    let sent = 0;
    for (;;) {
      const { count, full } = await inTransaction(this.dataSource, async (m) => {
        const due = await this.reminders.claimDue(m, now, this.settings.nextActionOverdueHours, BATCH);
        let n = 0;
        for (const r of due) {
          const step = stepDue(r, now, this.settings.nextActionOverdueHours);
          if (!step) continue;
          await this.fanout.fanOut(m, {
            eventId: nameUuid(`${r.leadId}:${r.followUpId}:${step}`, NAMESPACE),
            eventType: `reminder.next_action_${step}`,
            data: { leadId: r.leadId, nextAction: r.nextAction, dueAt: r.dueAt.toISOString() },
            occurredAt: now,
            record: { kind: 'lead', id: r.leadId },
          });
          await this.reminders.markSent(m, r.leadId, step, now);
          n++;
        }
        return { count: n, full: due.length === BATCH };
      });
      sent += count;
      if (!full) return sent;
    }
  }
}
