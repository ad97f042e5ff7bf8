import { Module } from '@nestjs/common';
import { ScoringModule } from '../scoring/scoring.module';
import { AccountsConsumer } from './accounts.consumer';
import { AccountsService } from './accounts.service';

@Module({ imports: [ScoringModule], controllers: [AccountsConsumer], providers: [AccountsService] })
export class AccountsModule {}
