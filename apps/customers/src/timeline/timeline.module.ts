import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { ContactsModule } from '../contacts/contacts.module';
import { CustomerRecordsRepository } from './customer-records.repository';
import { TimelineProjection } from './timeline-projection.service';
import { TimelineConsumer } from './timeline.consumer';
import { TimelineController } from './timeline.controller';
import { TimelineRepository } from './timeline.repository';
import { TimelineService } from './timeline.service';

/** The customer timeline and summary, projected from every service's events (ADR 0018). */
@Module({
  imports: [AccountsModule, ContactsModule],
  controllers: [TimelineController, TimelineConsumer],
  providers: [CustomerRecordsRepository, TimelineProjection, TimelineRepository, TimelineService],
})
export class TimelineModule {}
