import { Module } from '@nestjs/common';
import { ReceivablesModule } from '../receivables/receivables.module';
import { OverdueJob } from './overdue.job';

@Module({ imports: [ReceivablesModule], providers: [OverdueJob], exports: [OverdueJob] })
export class OverdueModule {}
