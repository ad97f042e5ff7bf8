import { Module } from '@nestjs/common';
import { FanoutModule } from '../fanout/fanout.module';
import { EscalationJob } from './escalation.job';
import { EscalationRepository } from './escalation.repository';

/** Alerts nobody acknowledged within their window, sent on to the owner's manager. */
@Module({
  imports: [FanoutModule],
  providers: [EscalationJob, EscalationRepository],
})
export class EscalationModule {}
