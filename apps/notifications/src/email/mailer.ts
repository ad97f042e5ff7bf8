import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { createTransport } from 'nodemailer';
import { NOTIFICATIONS_SETTINGS, type NotificationsSettings } from '../notifications.settings';
import type { EmailMessage } from './email-content.domain';

/** The SMTP side: one pooled transport (at most one connection per dispatch worker), closed at shutdown. */
@Injectable()
export class Mailer implements OnApplicationShutdown {
  private readonly transport;

  constructor(@Inject(NOTIFICATIONS_SETTINGS) private readonly settings: NotificationsSettings) {
    this.transport = createTransport({
      pool: true,
      url: settings.smtpUrl,
      maxConnections: Math.max(1, settings.emailWorkers),
      connectionTimeout: settings.smtpTimeoutMs,
      greetingTimeout: settings.smtpTimeoutMs,
      socketTimeout: settings.smtpTimeoutMs,
    });
  }

  /** Resolves once the server accepted the message (250); rejects on any failure. */
  async send(message: EmailMessage): Promise<void> {
    await this.transport.sendMail({ from: this.settings.mailFrom, ...message });
  }

  onApplicationShutdown(): void {
    this.transport.close();
  }
}
