import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BusinessCalendar, canonicalTimeZone } from '@crm/calendar';
import { MetricsRegistry } from '@crm/observability';
import { NOTIFICATIONS_SETTINGS, type NotificationsSettings } from '../notifications.settings';
import { digestDueDay, digestKey } from './email-schedule.domain';
import { EmailRepository } from './email.repository';

/**
 * The daily digest: once a recipient's `digest_at` has passed in their zone, one ledger row per local day
 * (`digest:<user>:<day>`), which the email dispatcher renders and sends. Nothing unread: the row is written
 * `cancelled`, so the day counts as done and is not looked at again. An advisory lock keeps replicas from
 * scanning at once; the row's unique key would stop a second digest anyway.
 */
@Injectable()
export class DigestJob implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(DigestJob.name);
  private readonly created;
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly repo: EmailRepository,
    private readonly calendar: BusinessCalendar,
    @Inject(NOTIFICATIONS_SETTINGS) private readonly settings: NotificationsSettings,
    metrics: MetricsRegistry,
  ) {
    this.created = metrics.counter({
      name: 'crm_notifications_digests_total',
      help: 'daily digests decided, by whether there was anything unread to send',
      labelNames: ['outcome'],
    });
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.running ??= this.scan()
        .catch((err: Error) => this.logger.error(`digest scan failed: ${err.message}`))
        .finally(() => (this.running = undefined));
    }, this.settings.digestIntervalMs);
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** Writes the digests due at `now`; returns how many were to be sent (0 when another replica holds the lock). */
  scan(now = new Date()): Promise<number> {
    return this.dataSource.transaction(async (m) => {
      if (!(await this.repo.tryDigestLock(m))) return 0;
      const due = (await this.repo.digestRecipients(m)).flatMap((r) => {
        const day = digestDueDay(now, (r.timeZone && canonicalTimeZone(r.timeZone)) || this.calendar.zone, r.digestAt);
        return day ? [{ ...r, key: digestKey(r.userId, day) }] : [];
      });
      const done = await this.repo.existingKeys(
        m,
        due.map((d) => d.key),
      );
      let toSend = 0;
      for (const d of due.filter((x) => !done.has(x.key))) {
        const status = (await this.repo.unreadCount(m, d.userId)) > 0 ? 'pending' : 'cancelled';
        if (!(await this.repo.insertDigest(m, d.key, d.email, status))) continue;
        this.created.inc({ outcome: status === 'pending' ? 'queued' : 'nothing_unread' });
        if (status === 'pending') toSend++;
      }
      return toSend;
    });
  }
}
