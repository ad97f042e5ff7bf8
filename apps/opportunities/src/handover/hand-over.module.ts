import { Module } from '@nestjs/common';
import { RepsCopyModule } from '../reps/reps.module';
import { OpportunityHandOverConsumer, OpportunityHandOverController } from './hand-over.controller';
import { OpportunityHandOverRepository } from './hand-over.repository';
import { OpportunityHandOverService } from './hand-over.service';

/** Handing opportunities over to another rep, one by one or with a rep's whole hand-over (ADR 0022). */
@Module({
  imports: [RepsCopyModule],
  controllers: [OpportunityHandOverController, OpportunityHandOverConsumer],
  providers: [OpportunityHandOverRepository, OpportunityHandOverService],
})
export class OpportunityHandOverModule {}
