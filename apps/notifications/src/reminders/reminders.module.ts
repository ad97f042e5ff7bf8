import { Module } from '@nestjs/common';
import { FanoutModule } from '../fanout/fanout.module';
import { RemindersJob } from './reminders.job';
import { RemindersRepository } from './reminders.repository';

/** Next actions promised in follow-ups: told when due and when overdue. */
@Module({
  imports: [FanoutModule],
  providers: [RemindersJob, RemindersRepository],
  exports: [RemindersRepository],
})
export class RemindersModule {}
