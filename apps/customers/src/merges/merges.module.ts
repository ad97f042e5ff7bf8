import { Module, type DynamicModule } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { ContactsModule } from '../contacts/contacts.module';
import { MergesController } from './merges.controller';
import { MergesRepository } from './merges.repository';
import { MERGE_UNDO_DAYS, MergesService } from './merges.service';

@Module({})
export class MergesModule {
  /** `mergeUndoDays`: how long a merge can be undone (CUSTOMERS_MERGE_UNDO_DAYS). */
  static forRoot(settings: { mergeUndoDays: number }): DynamicModule {
    return {
      module: MergesModule,
      imports: [AccountsModule, ContactsModule],
      controllers: [MergesController],
      providers: [MergesRepository, MergesService, { provide: MERGE_UNDO_DAYS, useValue: settings.mergeUndoDays }],
    };
  }
}
