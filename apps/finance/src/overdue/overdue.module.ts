import { Module } from '@nestjs/common';
import { ReceivablesModule } from '../receivables/receivables.module';
import { OverdueJob } from './overdue.job';
import { OverdueRepository } from './overdue.repository';

@Module({ imports: [ReceivablesModule], providers: [OverdueRepository, OverdueJob], exports: [OverdueJob] })
export class OverdueModule {}
