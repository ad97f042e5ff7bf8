import { Module } from '@nestjs/common';
import { ScoringModule } from '../scoring/scoring.module';
import { AccountsConsumer } from './accounts.consumer';

@Module({ imports: [ScoringModule], controllers: [AccountsConsumer] })
export class AccountsModule {}
