import { Module } from '@nestjs/common';
import { RemindersController } from './reminders.controller';
import { StageOverdueJob } from './reminders.job';
import { RemindersService } from './reminders.service';

@Module({ controllers: [RemindersController], providers: [StageOverdueJob, RemindersService] })
export class RemindersModule {}
