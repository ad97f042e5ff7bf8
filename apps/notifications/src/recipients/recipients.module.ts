import { Module } from '@nestjs/common';
import { NotificationSettingsController } from './notification-settings.controller';
import { RecipientsController } from './recipients.controller';
import { RecipientsRepository } from './recipients.repository';
import { RecipientsService } from './recipients.service';

/** The recipient directory (admins) and each user's delivery settings (everyone), on the recipients rows. */
@Module({ controllers: [RecipientsController, NotificationSettingsController], providers: [RecipientsRepository, RecipientsService] })
export class RecipientsModule {}
