import { Inject, Injectable, Logger, Optional, type OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { v5 as nameUuid } from 'uuid';
import { DataSource } from 'typeorm';
import { inTransaction } from '@crm/persistence';
import { FanoutService } from '../fanout/fanout.service';
import { NOTIFICATIONS_SETTINGS, type NotificationsSettings } from '../notifications.settings';
import { EscalationRepository } from './escalation.repository';

const BATCH = 200;
const NAMESPACE = '5d2e8f61-3a9c-4b7e-8d1f-6c4a2b9e7f03';

/**
 * An owner's alert not acknowledged (read or archived) within its type's window goes to their manager, once:
 * `escalated_at` is set in the transaction that tells the manager, and the trigger id is fixed per alert.
 */
@Injectable()
export class EscalationJob implements OnApplicationBootstrap {
  private readonly logger = new Logger(EscalationJob.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly repo: EscalationRepository,
    private readonly fanout: FanoutService,
    @Inject(NOTIFICATIONS_SETTINGS) private readonly settings: NotificationsSettings,
    @Optional() @Inject(SchedulerRegistry) private readonly scheduler: SchedulerRegistry | null = null,
  ) {}

  onApplicationBootstrap(): void {
    this.scheduler?.addInterval(
      'notifications-escalation',
      setInterval(() => void this.run().catch((err: Error) => this.logger.error(`escalation scan failed: ${err.message}`)), this.settings.scanIntervalMs),
    );
  }

  /** One scan as of `now`; returns how many alerts were escalated. */
  async run(now = new Date()): Promise<number> {
    let escalated = 0;
    for (;;) {
      const { count, full } = await inTransaction(this.dataSource, async (m) => {
        const due = await this.repo.claimDue(m, now, BATCH);
        for (const n of due) {
          await this.fanout.fanOut(m, {
            eventId: nameUuid(`escalation:${n.id}`, NAMESPACE),
            eventType: 'escalation.due',
            data: { notificationId: n.id, originalType: n.type, ownerId: n.recipientId },
            occurredAt: now,
            record: { kind: n.recordKind, id: n.recordId },
            params: {
              original: { type: n.type, params: n.params },
              ownerName: n.recipientName ?? n.recipientId,
              originalAt: new Date(n.createdAt).toISOString(),
            },
          });
          await this.repo.markEscalated(m, n.id, now);
        }
        return { count: due.length, full: due.length === BATCH };
      });
      escalated += count;
      if (!full) return escalated;
    }
  }
}
