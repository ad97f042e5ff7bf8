import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BusinessCalendar, canonicalTimeZone } from '@crm/calendar';
import type { Locale } from '../catalogue/catalogue';
import type { ClaimedDelivery } from '../delivery/ledger.repository';
import { NOTIFICATIONS_SETTINGS, type NotificationsSettings } from '../notifications.settings';
import { render } from '../templates/templates';
import { digestEmail, notificationEmail, type EmailMessage } from './email-content.domain';
import { digestUserOf } from './email-schedule.domain';
import { EmailRepository, type MailRecipient } from './email.repository';

/** The most notifications one digest lists; the count says how many more there are. */
const DIGEST_ITEMS = 50;

export interface ComposedEmail {
  message: EmailMessage;
  /** Critical mail ignores quiet hours; a digest is never critical. */
  critical: boolean;
  zone: string;
  quietStart: string | null;
  quietEnd: string | null;
}

/** What one email ledger row says, in its reader's language and time zone, read when it is sent. */
@Injectable()
export class EmailComposer {
  constructor(
    private readonly dataSource: DataSource,
    private readonly repo: EmailRepository,
    private readonly calendar: BusinessCalendar,
    @Inject(NOTIFICATIONS_SETTINGS) private readonly settings: NotificationsSettings,
  ) {}

  /** Null: nothing to send any more (the notification is gone, or the digest's user has nothing unread). */
  async compose(row: ClaimedDelivery): Promise<ComposedEmail | null> {
    const m = this.dataSource.manager;
    if (row.notificationId) {
      const n = await this.repo.notification(m, row.notificationId);
      if (!n) return null;
      const { locale, zone } = this.reader(n.recipient);
      const message = notificationEmail(row.id, row.target, locale, render(n, locale, zone), this.settings.consoleUrl);
      return { message, critical: n.critical, zone, quietStart: n.recipient.quietStart, quietEnd: n.recipient.quietEnd };
    }
    const userId = digestUserOf(row.dedupeKey);
    if (!userId) return null;
    const [recipient, { items, total }] = await Promise.all([this.repo.recipient(m, userId), this.repo.unread(m, userId, DIGEST_ITEMS)]);
    if (total === 0) return null;
    const { locale, zone } = this.reader(recipient);
    const time = new Intl.DateTimeFormat(locale, { timeZone: zone, dateStyle: 'medium', timeStyle: 'short' });
    const rendered = items.map((n) => ({ ...render(n, locale, zone), createdAt: n.createdAt }));
    const message = digestEmail(row.id, row.target, locale, rendered, total, this.settings.consoleUrl, (d) => time.format(d));
    return { message, critical: false, zone, quietStart: recipient?.quietStart ?? null, quietEnd: recipient?.quietEnd ?? null };
  }

  /** The recipient's language (zh-CN unless English) and zone (theirs if valid, else the business time zone). */
  private reader(r: MailRecipient | null): { locale: Locale; zone: string } {
    const zone = (r?.timeZone && canonicalTimeZone(r.timeZone)) || this.calendar.zone;
    return { locale: r?.locale === 'en' ? 'en' : 'zh-CN', zone };
  }
}
