import { Module } from '@nestjs/common';
import { ScoringModule } from '../scoring/scoring.module';
import { AccountDirectoryModule } from './account-directory.module';
import { AccountsConsumer } from './accounts.consumer';
import { AccountsService } from './accounts.service';

@Module({ imports: [ScoringModule, AccountDirectoryModule], controllers: [AccountsConsumer], providers: [AccountsService] })
export class AccountsModule {}
