import { Module } from '@nestjs/common';
import { ReminderRepository } from './reminder.repository';
import { RemindersController } from './reminders.controller';
import { StageOverdueJob } from './reminders.job';
import { RemindersService } from './reminders.service';

@Module({ controllers: [RemindersController], providers: [StageOverdueJob, RemindersService, ReminderRepository] })
export class RemindersModule {}
