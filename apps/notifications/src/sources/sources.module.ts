import { Module } from '@nestjs/common';
import { FanoutModule } from '../fanout/fanout.module';
import { RemindersModule } from '../reminders/reminders.module';
import { RecordAccessRepository } from './record-access.repository';
import { SourcesConsumer } from './sources.consumer';
import { SourcesService } from './sources.service';

/** The events of leads, opportunities, orders, inventory and finance, read into copies and triggers. */
@Module({
  imports: [FanoutModule, RemindersModule],
  controllers: [SourcesConsumer],
  providers: [SourcesService, RecordAccessRepository],
})
export class SourcesModule {}
