import { Module, type DynamicModule } from '@nestjs/common';
import { ReminderRepository } from './reminder.repository';
import { RemindersController } from './reminders.controller';
import { StageOverdueJob } from './reminders.job';
import { RemindersService } from './reminders.service';
import { STAGE_CLOCK, type StageClock } from './stage-clock';

@Module({})
export class RemindersModule {
  static forRoot(clock: StageClock): DynamicModule {
    return {
      module: RemindersModule,
      controllers: [RemindersController],
      providers: [StageOverdueJob, RemindersService, ReminderRepository, { provide: STAGE_CLOCK, useValue: clock }],
    };
  }
}
