import { Module } from '@nestjs/common';
import { RemindersController } from './reminders.controller';
import { StageOverdueJob } from './reminders.job';

@Module({ controllers: [RemindersController], providers: [StageOverdueJob] })
export class RemindersModule {}
