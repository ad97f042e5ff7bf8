import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { ContactsModule } from '../contacts/contacts.module';
import { ResolutionConsumer } from './resolution.consumer';
import { ResolutionRepository } from './resolution.repository';
import { ResolutionService } from './resolution.service';

/** Lead resolution (ADR 0018): `lead.converted` in, the account and contact found or created, `contact.lead_resolved` out. */
@Module({
  imports: [AccountsModule, ContactsModule],
  controllers: [ResolutionConsumer],
  providers: [ResolutionRepository, ResolutionService],
})
export class ResolutionModule {}
